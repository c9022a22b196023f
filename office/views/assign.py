"""交办: assign one case or many — choose, preview the deadlines, confirm once.

Three steps on one URL: the form (step "start"/"edit"), the preview with the computed contact and
resolve deadlines (step "preview"), and the confirmation (step "confirm"), which assigns the whole
batch in one transaction. The preview carries a one-time token, so a double click on "confirm" runs
once; should two requests slip through together, the workflow refuses the second (InvalidState)
and the user sees a message.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import deadlines
from cases.errors import InvalidState
from cases.models import Case, Meeting
from cases.selectors import cases_visible_to, in_county, work_calendar
from cases.suggestions import suggestions_for
from office.access import office_required
from office.assignment import (
    AssignmentFailed,
    AssignmentRow,
    assignment_moment,
    assignment_preview,
    cases_assign,
    resolve_moment,
)
from office.forms import AssignCommonForm, AssignRowForm, assignable_departments
from web.forms import attach_errors
from web.middleware import request_actor
from web.query import date_param, ids_param

TOKENS = "office_assign_tokens"
KEEP_TOKENS = 20
COMMON_FIELDS = {"resolve_due_at": "resolve_due_on", "assigned_at": "assigned_on"}


@office_required
def assign(request, pk: int | None = None):
    meeting = (
        get_object_or_404(in_county(Meeting.objects.all(), request_actor(request)), pk=pk)
        if pk
        else None
    )
    back = reverse("office:meeting", args=[meeting.pk]) if meeting else reverse("office:triage")
    step = request.POST.get("step", "start") if request.method == "POST" else "start"
    if step == "confirm":
        return _confirm(request, meeting, back)
    cases = _cases(request, meeting, waiting_only=True, warn=step == "start")
    if not cases:
        messages.error(request, _("没有选中待交办的问题。"))
        return redirect(back)
    bound = step in ("preview", "edit")
    common, rows = _forms(request, cases, bound=bound)
    if step == "preview" and _valid(common, rows):
        preview = _preview(common, rows)
        if not preview.errors:
            return _render(
                request, meeting, common, rows, preview=preview, token=_new_token(request)
            )
        attach_errors(common, ValidationError(preview.errors), COMMON_FIELDS)
    return _render(request, meeting, common, rows)


def _confirm(request, meeting, back: str):
    if not _use_token(request, request.POST.get("token", "")):
        messages.warning(request, _("这批问题已经提交过交办，请勿重复提交。"))
        return redirect(back)
    # Not only the cases still waiting: one assigned meanwhile must stop the batch, not vanish.
    cases = _cases(request, meeting, waiting_only=False)
    common, rows = _forms(request, cases, bound=True)
    if not cases or not _valid(common, rows):
        return _render(request, meeting, common, rows)
    data = common.cleaned_data
    now = timezone.now()
    try:
        assigned = cases_assign(
            actor=request_actor(request),
            rows=[AssignmentRow(form.case, form.lead, form.co) for form in rows],
            batch=data["batch"],
            resolve_due_at=resolve_moment(data["resolve_due_on"]),
            assigned_at=assignment_moment(data["assigned_on"], now),
            note=data["note"],
            now=now,
        )
    except InvalidState as error:
        messages.error(request, error.message)
        return redirect(back)
    except AssignmentFailed as failure:
        messages.error(
            request,
            _("问题 %(number)s 未能交办，本批问题均未交办。") % {"number": failure.case.number},
        )
        _show_failure(failure, common, rows)
        return _render(request, meeting, common, rows)
    messages.success(
        request,
        ngettext("已交办 %(count)d 件问题。", "已交办 %(count)d 件问题。", len(assigned))
        % {"count": len(assigned)},
    )
    return redirect(back)


def _selected_ids(request) -> list[int]:
    return ids_param(request.POST if request.method == "POST" else request.GET, "case")


def _cases(request, meeting, *, waiting_only: bool, warn: bool = False) -> list[Case]:
    cases = cases_visible_to(request_actor(request)).select_related("enterprise", "category")
    if meeting is not None:
        cases = cases.filter(meetings=meeting)
    ids = _selected_ids(request)
    if ids:
        cases = cases.filter(pk__in=ids)
    elif meeting is None or request.method == "POST":
        return []
    if waiting_only:
        cases = cases.filter(status=Case.Status.SUBMITTED)
    found = list(cases.order_by("pk"))
    # A case joined to another's group (并案, cases.joint) is assigned with its main case.
    members = [case for case in found if case.is_joint_member]
    found = [case for case in found if not case.is_joint_member]
    if warn and members:
        messages.info(
            request,
            ngettext(
                "%(count)d 件并案办理的问题随主办件一并交办，不单独交办。",
                "%(count)d 件并案办理的问题随主办件一并交办，不单独交办。",
                len(members),
            )
            % {"count": len(members)},
        )
    if warn and ids and len(found) + len(members) < len(set(ids)):
        messages.warning(request, _("部分所选问题已不是待交办状态，已略过。"))
    return found


def _forms(request, cases: list[Case], *, bound: bool):
    data = request.POST if bound else None
    departments = assignable_departments(request_actor(request))
    suggestions = {} if bound else suggestions_for(cases)
    common = AssignCommonForm(data)
    rows = [
        AssignRowForm(
            data,
            case=case,
            departments=departments,
            prefix=f"c{case.pk}",
            initial={"lead_department": getattr(suggestions.get(case.pk), "department_id", None)},
        )
        for case in cases
    ]
    for form in rows:
        form.suggestion = suggestions.get(form.case.pk)
    return common, rows


def _valid(common, rows) -> bool:
    return all([common.is_valid(), *[form.is_valid() for form in rows]])


def _preview(common, rows):
    data = common.cleaned_data
    return assignment_preview(
        [AssignmentRow(form.case, form.lead, form.co) for form in rows],
        assigned_at=assignment_moment(data["assigned_on"], timezone.now()),
        resolve_due_at=resolve_moment(data["resolve_due_on"]),
        calendar=work_calendar(),
    )


def _show_failure(failure: AssignmentFailed, common, rows) -> None:
    """The workflow's field errors: batch-wide ones beside the shared fields, the rest on the row."""
    row = next(form for form in rows if form.case.pk == failure.case.pk)
    on_common = {name: (common, field) for name, field in COMMON_FIELDS.items()}
    attach_errors(row, failure.error, on_common)


def _new_token(request) -> str:
    token = secrets.token_urlsafe(16)
    request.session[TOKENS] = [*request.session.get(TOKENS, [])[-(KEEP_TOKENS - 1) :], token]
    return token


def _use_token(request, token: str) -> bool:
    tokens = request.session.get(TOKENS, [])
    if not token or token not in tokens:
        return False
    request.session[TOKENS] = [t for t in tokens if t != token]
    request.session.save()  # at once: a second click must find the token gone
    return True


def _render(request, meeting, common, rows, *, preview=None, token: str = ""):
    return render(
        request,
        "office/assign.html",
        {
            "meeting": meeting,
            "common": common,
            "rows": rows,
            "preview": preview,
            "token": token,
            "contact_due_now": _contact_due(timezone.now()),
        },
    )


@office_required
def contact_deadline(request):
    """htmx: the contact deadline an assignment on the given day gets (the form's live hint)."""
    day = date_param(request.GET, "assigned_on")
    now = timezone.now()
    moment = assignment_moment(day if day and day <= timezone.localdate() else None, now)
    return render(
        request, "office/_contact_deadline.html", {"contact_due_at": _contact_due(moment)}
    )


def _contact_due(moment):
    return deadlines.contact_due(moment, work_calendar())
