"""The account menu's large-text switch (web/display.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from web.display import large_text_choose


@login_required
@require_POST
def large_text(request):
    large_text_choose(request, on=request.POST.get("on") == "1")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "home"
    return redirect(back)
