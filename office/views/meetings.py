"""Meetings: 交办会 (assign a batch, then one letter per lead department) and 调度会 (dispatch
meetings: the cases discussed and the decisions taken), with their minutes (纪要)."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.meetings import meeting_save
from cases.models import Case, Meeting
from cases.selectors import cases_visible_to
from enterprises.models import Department
from office.access import office_required
from office.forms import MeetingCasesForm, MeetingForm
from office.pages import paginate
from web.forms import attach_errors
from web.middleware import request_actor


@office_required
def meetings(request):
    kind = request.GET.get("kind", "")
    listed = Meeting.objects.annotate(case_count=Count("cases")).order_by("-held_on", "-pk")
    if kind in Meeting.Kind.values:
        listed = listed.filter(kind=kind)
    page = paginate(request, listed)
    return render(
        request, "office/meetings.html", {"page": page, "kind": kind, "kinds": Meeting.Kind}
    )


@office_required
def meeting_new(request):
    initial = {"kind": request.GET.get("kind") or Meeting.Kind.ASSIGNMENT}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.created_by = request.user
        try:
            meeting_save(meeting=meeting)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("会议已创建。"))
            return redirect("office:meeting", pk=meeting.pk)
    return render(request, "office/meeting_form.html", {"form": form}, status=_status(form))


@office_required
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_save(meeting=form.save(commit=False))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("会议记录已保存。"))
            return redirect("office:meeting", pk=meeting.pk)
    return render(
        request,
        "office/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=_status(form),
    )


def _status(form) -> int:
    """A refused form is shown again with its errors, answered 400."""
    return 400 if form.is_bound and form.errors else 200


@office_required
def meeting(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("task_force", "created_by"), pk=pk)
    scope = cases_visible_to(request_actor(request))
    add_form = MeetingCasesForm(request.POST or None, cases=scope)
    if request.method == "POST" and add_form.is_valid():
        meeting.cases.add(*add_form.cleaned_data["numbers"])
        messages.success(
            request,
            _("已加入 %(count)d 件问题。") % {"count": len(add_form.cleaned_data["numbers"])},
        )
        return redirect("office:meeting", pk=meeting.pk)
    cases = (
        scope.filter(meetings=meeting)
        .select_related("enterprise", "category", "lead_department")
        .prefetch_related("co_departments")
        .order_by("lead_department__name", "number")
    )
    cases = list(cases)
    letters = Counter(
        c.lead_department
        for c in cases
        if c.status in _LETTER_STATUSES and meeting.kind == Meeting.Kind.ASSIGNMENT
    )
    return render(
        request,
        "office/meeting.html",
        {
            "meeting": meeting,
            "cases": cases,
            "waiting": sum(1 for c in cases if c.status == Case.Status.SUBMITTED),
            "letters": sorted(letters.items(), key=lambda item: item[0].name),
            "add_form": add_form,
        },
    )


@office_required
@require_POST
def meeting_remove_case(request, pk: int, case_pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    meeting.cases.remove(case_pk)
    messages.success(request, _("已从会议中移除该问题。"))
    return redirect("office:meeting", pk=meeting.pk)


# A letter lists the cases handed to the department, whatever happened to them since.
_LETTER_STATUSES = [
    s for s in Case.Status.values if s not in (Case.Status.SUBMITTED, Case.Status.MERGED)
]


@office_required
def letter(request, pk: int, department_pk: int):
    """交办函: the printable assignment letter of one meeting to one lead department (A4)."""
    meeting = get_object_or_404(Meeting, pk=pk, kind=Meeting.Kind.ASSIGNMENT)
    department = get_object_or_404(Department, pk=department_pk)
    cases = list(
        cases_visible_to(request_actor(request))
        .filter(meetings=meeting, lead_department=department, status__in=_LETTER_STATUSES)
        .select_related("enterprise", "category")
        .prefetch_related("co_departments")
        .order_by("number")
    )
    if not cases:
        raise Http404(_("此次会议没有交办给该部门的问题。"))
    copied = sorted({d.name for c in cases for d in c.co_departments.all()})
    return render(
        request,
        "office/letter.html",
        {
            "meeting": meeting,
            "department": department,
            "cases": cases,
            "copied": copied,
            "contact_days": settings.CONTACT_DEADLINE_WORKING_DAYS,
            "assigned_on": min(c.assigned_at for c in cases if c.assigned_at),
        },
    )
