"""督办单: the office picks a department's cases (on the 督办 board, or here), writes what it
presses on and by when the department answers, and issues a numbered notice; the list of notices
says which are answered and which are overdue; each prints on A4 and downloads as a Word file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import supervision_notices as notices
from cases.models import Case, SupervisionNotice
from cases.selectors import in_county
from enterprises.models import Department
from office.access import office_required
from office.forms import assignable_departments
from office.pages import paginate
from office.supervision_forms import SupervisionNoticeForm
from web.forms import attach_errors
from web.middleware import request_actor, request_calendar
from web.query import as_id, id_param, ids_param
from web.supervision_papers import notice_docx_response, notice_paper

# The department's other open cases offered beside the ones picked on the board.
OFFERED = 50

STATES = {
    notices.OVERDUE: notices.overdue_q,
    notices.WAITING: lambda today: Q(answered_at__isnull=True, reply_by__gte=today),
    notices.ANSWERED: lambda today: Q(answered_at__isnull=False),
}


@office_required
@require_GET
def notice_list(request):
    """Every notice, newest first; ?state=overdue|waiting|answered, ?department=<id>."""
    listed = notices.office_notices(request_actor(request))
    state = request.GET.get("state", "")
    if state in STATES:
        listed = listed.filter(STATES[state](timezone.localdate()))
    department = id_param(request.GET, "department")
    if department:
        listed = listed.filter(department_id=department)
    return render(
        request,
        "office/supervision_notices.html",
        {
            "page": paginate(request, listed),
            "state": state,
            "states": [
                (notices.OVERDUE, _("逾期未回复")),
                (notices.WAITING, _("待回复")),
                (notices.ANSWERED, _("已回复")),
            ],
            "overdue": notices.overdue_notices(request_actor(request)).count(),
            "department": department,
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def notice_new(request):
    """开具督办单 to one department (?department=<id>), its cases picked on the board (?case=<id>,
    several) or here."""
    department_id = id_param(request.GET, "department")
    department = (
        get_object_or_404(
            in_county(Department.objects.all(), request_actor(request)),
            pk=department_id,
            active=True,
        )
        if department_id
        else None
    )
    if department is None or department.is_office:
        return render(
            request,
            "office/supervision_notice_form.html",
            {"departments": assignable_departments(request_actor(request)), "department": None},
        )
    candidates = notices.cases_to_supervise(department)
    form = SupervisionNoticeForm(request.POST or None, cases=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notices.supervision_notice_issue(
                actor=request_actor(request),
                department=department,
                cases=form.cleaned_data["cases"],
                text=form.cleaned_data["text"],
                reply_working_days=form.cleaned_data["reply_working_days"],
            )
        except ValidationError as error:
            attach_errors(form, error, {"department": NON_FIELD_ERRORS})
        else:
            messages.success(
                request,
                _("督办单 %(number)s 已开具，已通知%(department)s。")
                % {"number": notices.notice_number(notice), "department": department.name},
            )
            return redirect("office:supervision_notice", pk=notice.pk)
    picked = (
        [pk for v in form.data.getlist("cases") if (pk := as_id(v))]
        if form.is_bound
        else ids_param(request.GET, "case")
    )
    now, calendar = timezone.now(), request_calendar(request)
    return render(
        request,
        "office/supervision_notice_form.html",
        {
            "form": form,
            "department": department,
            "offered": [
                notices.NoticeCase(case, notices.deadline_state(case, now, calendar))
                for case in _offered(candidates, picked)
            ],
            "picked": picked,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _offered(candidates, picked: list[int]) -> list[Case]:
    """The cases to tick: those picked first, then the department's others, the most urgent
    first, up to OFFERED of them."""
    first = list(candidates.filter(pk__in=picked)) if picked else []
    others = list(candidates.exclude(pk__in=[c.pk for c in first])[:OFFERED])
    return first + others


def _notice(request, pk: int) -> SupervisionNotice:
    return get_object_or_404(notices.office_notices(request_actor(request)), pk=pk)


@office_required
@require_GET
def notice_detail(request, pk: int):
    notice = _notice(request, pk)
    paper = notice_paper(notice, now=timezone.now(), calendar=request_calendar(request))
    return render(request, "office/supervision_notice.html", {"notice": notice, "paper": paper})


@office_required
@require_GET
def notice_print(request, pk: int):
    notice = _notice(request, pk)
    paper = notice_paper(notice, now=timezone.now(), calendar=request_calendar(request))
    return render(
        request, "office/supervision_notice_print.html", {"notice": notice, "paper": paper}
    )


@office_required
@require_GET
def notice_download(request, pk: int):
    notice = _notice(request, pk)
    paper = notice_paper(notice, now=timezone.now(), calendar=request_calendar(request))
    return notice_docx_response(paper)
