"""Meetings: 交办会 (assign a batch, then one letter per lead department) and 调度会 (dispatch
meetings: the cases discussed and the decisions taken), with their minutes (纪要)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.errors import InvalidState
from cases.letters import (
    LETTER_STATUSES,
    letter_contact_defaults,
    letter_issue,
    meeting_letters,
)
from cases.meetings import meeting_save
from cases.models import AssignmentLetter, Case, Meeting
from cases.selectors import cases_visible_to, in_county
from enterprises.models import Department
from office.access import office_required
from office.forms import LetterIssueForm, MeetingCasesForm, MeetingForm
from office.pages import paginate
from web.forms import attach_errors
from web.letters import letter_content, letter_docx_response
from web.middleware import request_actor


def _meetings(request):
    """The meetings of the office's county (another county's answer 404)."""
    return in_county(Meeting.objects.all(), request_actor(request))


@office_required
def meetings(request):
    kind = request.GET.get("kind", "")
    listed = in_county(Meeting.objects.all(), request_actor(request))
    listed = listed.annotate(case_count=Count("cases")).order_by("-held_on", "-pk")
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
    meeting = get_object_or_404(_meetings(request), pk=pk)
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
    meeting = get_object_or_404(
        _meetings(request).select_related("task_force", "created_by"), pk=pk
    )
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
        if c.status in LETTER_STATUSES and meeting.kind == Meeting.Kind.ASSIGNMENT
    )
    letters = sorted(letters.items(), key=lambda item: item[0].name)
    issued = meeting_letters(meeting) if letters else {}
    return render(
        request,
        "office/meeting.html",
        {
            "meeting": meeting,
            "cases": cases,
            "waiting": sum(1 for c in cases if c.status == Case.Status.SUBMITTED),
            "letters": letters,
            # Each department's letter: its number and 回执, or None while not issued.
            "letter_rows": [(d, count, issued.get(d.pk)) for d, count in letters],
            "add_form": add_form,
        },
    )


@office_required
@require_POST
def meeting_remove_case(request, pk: int, case_pk: int):
    meeting = get_object_or_404(_meetings(request), pk=pk)
    meeting.cases.remove(case_pk)
    messages.success(request, _("已从会议中移除该问题。"))
    return redirect("office:meeting", pk=meeting.pk)


@office_required
def letter(request, pk: int, department_pk: int):
    """交办函: the A4 letter of one meeting to one lead department — a draft until the office
    issues it (POST: its number is taken then, and the department told), then the letter with its
    number, contact and 回执."""
    meeting = get_object_or_404(_meetings(request), pk=pk, kind=Meeting.Kind.ASSIGNMENT)
    department = get_object_or_404(
        in_county(Department.objects.all(), request_actor(request)), pk=department_pk
    )
    issued = AssignmentLetter.objects.filter(meeting=meeting, department=department).first()
    here = redirect("office:letter", pk=meeting.pk, department_pk=department.pk)
    if issued is not None and request.method == "POST":
        messages.info(request, _("交办函 %(number)s 已出具过。") % {"number": issued.number})
        return here
    form = None
    if issued is None:
        form = LetterIssueForm(request.POST or None, initial=letter_contact_defaults(request.user))
    if form is not None and request.method == "POST" and form.is_valid():
        issued = _issue(request, form, meeting, department)
        if issued is not None:
            messages.success(
                request,
                _("交办函 %(number)s 已出具，已通知%(department)s签收回执。")
                % {"number": issued.number, "department": department.name},
            )
            return here
    content = letter_content(meeting, department, issued)
    if content is None:
        raise Http404(_("此次会议没有交办给该部门的问题。"))
    return render(
        request,
        "office/letter.html",
        {"meeting": meeting, "department": department, "content": content, "form": form},
        status=_status(form) if form is not None else 200,
    )


def _issue(request, form, meeting: Meeting, department: Department) -> AssignmentLetter | None:
    """Issue the letter; None when the contact was refused (said beside the form's fields)."""
    try:
        return letter_issue(
            actor=request_actor(request),
            meeting=meeting,
            department=department,
            **form.cleaned_data,
        )
    except ValidationError as error:
        attach_errors(form, error)
        return None
    except InvalidState as refused:
        raise Http404(refused.message) from None  # the meeting hands the department no case


@office_required
def letter_docx(request, pk: int, department_pk: int):
    """The issued 交办函 as a Word file (a draft has none: it has no number yet)."""
    letter = get_object_or_404(
        in_county(
            AssignmentLetter.objects.select_related("meeting", "department", "signed_by"),
            request_actor(request),
        ),
        meeting_id=pk,
        department_id=department_pk,
    )
    return letter_docx_response(letter_content(letter.meeting, letter.department, letter))
