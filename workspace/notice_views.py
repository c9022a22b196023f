"""督办单 in the department's workspace: the notices sent to it, each with its print and Word
file, and the written answer it owes — once. Another department's notice is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import supervision_notices as notices
from cases.errors import InvalidState
from cases.models import SupervisionNotice
from web.forms import attach_errors
from web.middleware import request_calendar
from web.supervision_papers import notice_docx_response, notice_paper
from workspace.notice_forms import NoticeAnswerForm
from workspace.views import _department_actor

PER_PAGE = 20


def _own_notice(request, pk: int) -> SupervisionNotice:
    actor = _department_actor(request)
    return get_object_or_404(notices.department_notices(actor.department_id), pk=pk)


@login_required
@require_GET
def notice_list(request):
    """The notices sent to my department, newest first."""
    actor = _department_actor(request)
    page = Paginator(notices.department_notices(actor.department_id), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "workspace/notices.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def notice_detail(request, pk: int):
    """One notice; while it is unanswered, the form of the written answer."""
    actor = _department_actor(request)
    notice = _own_notice(request, pk)
    may_answer = notices.may_answer(actor, notice)
    form = NoticeAnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("这份督办单已经回复。"))
            return redirect("workspace:notice", pk=notice.pk)
        if form.is_valid():
            try:
                notices.supervision_notice_answer(
                    actor=actor, notice=notice, answer=form.cleaned_data["answer"]
                )
            except ValidationError as error:
                attach_errors(form, error)
            except InvalidState as refused:
                messages.info(request, refused.message)
                return redirect("workspace:notice", pk=notice.pk)
            else:
                messages.success(request, _("书面回复已提交，县委办可以看到。"))
                return redirect("workspace:notice", pk=notice.pk)
    paper = notice_paper(notice, now=timezone.now(), calendar=request_calendar(request))
    return render(
        request,
        "workspace/notice.html",
        {
            "notice": notice,
            "paper": paper,
            "answer_form": form,
            "answer_url": reverse("workspace:notice", args=[notice.pk]),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def notice_print(request, pk: int):
    notice = _own_notice(request, pk)
    paper = notice_paper(notice, now=timezone.now(), calendar=request_calendar(request))
    return render(request, "workspace/notice_print.html", {"notice": notice, "paper": paper})


@login_required
@require_GET
def notice_download(request, pk: int):
    notice = _own_notice(request, pk)
    paper = notice_paper(notice, now=timezone.now(), calendar=request_calendar(request))
    return notice_docx_response(paper)
