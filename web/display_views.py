"""The account menu's large-text switch (web/display.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from web.display import large_text_choose
from web.query import safe_next


@login_required
@require_POST
def large_text(request):
    large_text_choose(request, on=request.POST.get("on") == "1")
    return redirect(safe_next(request, reverse("home")))
