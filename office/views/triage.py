"""交办 inbox: submitted cases, newest first, with a suggested lead department and possible
duplicates beside each (the same enterprise's to merge, another enterprise's to handle jointly);
select some to assign them or to put them on a meeting's agenda. A case joined to another's group
(并案, cases.joint) is listed under its main case, which is assigned for the group."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import workflow
from cases.models import Case, CaseEvent, Meeting
from cases.search import searching
from cases.selectors import cases_visible_to, in_county
from cases.suggestions import suggestions_for
from office.access import office_required
from office.duplicates import duplicates_for
from office.filters import TriageFilter
from office.pages import paginate
from web.middleware import request_actor
from web.query import id_param, ids_param, safe_next
from web.refusals import refusal_message

OFFICE_MEETINGS = [Meeting.Kind.ASSIGNMENT, Meeting.Kind.DISPATCH]


def _latest_return_reason():
    return Subquery(
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.RETURNED)
        .order_by("-created_at", "-pk")
        .values("note")[:1]
    )


@office_required
def triage(request):
    submitted = (
        cases_visible_to(request_actor(request))
        .filter(status=Case.Status.SUBMITTED)
        .filter(Q(joint_group__isnull=True) | Q(joint_group=F("pk")))  # members: with their main
        .select_related(
            "enterprise", "enterprise__township", "category", "returned_from", "created_by"
        )
        .annotate(return_reason=_latest_return_reason())
        .order_by("-created_at", "-pk")
    )
    filterset = TriageFilter(request.GET or None, queryset=submitted, request=request)
    listed = filterset.qs  # (validates the form)
    searched = filterset.is_bound and searching(filterset.form.cleaned_data.get("q"))
    page = paginate(request, listed, searched=searched)
    cases = list(page.object_list)
    suggestions = suggestions_for(cases)
    duplicates = duplicates_for(cases)
    _with_joint_members(cases)
    rows = [(case, suggestions.get(case.pk), duplicates.get(case.pk, [])) for case in cases]
    meetings = in_county(
        Meeting.objects.filter(kind__in=OFFICE_MEETINGS), request_actor(request)
    ).order_by("-held_on", "-pk")[:20]
    return render(
        request,
        "office/triage.html",
        {"filter": filterset, "page": page, "rows": rows, "meetings": list(meetings)},
    )


@office_required
@require_POST
def merge(request, pk: int):
    """合并: a duplicate joins the case that carries on (the workflow checks both)."""
    return _into_another(request, pk, workflow.case_merge, _("问题 %(number)s 已合并。"))


def _into_another(request, pk: int, step, done: str):
    """合并 and 并案办理 alike: case `pk` goes into the case the form names (`into`), by the
    workflow `step`; `done` is said when it went (%(number)s: the case's number)."""
    case = get_object_or_404(cases_visible_to(request_actor(request)), pk=pk)
    into = id_param(request.POST, "into", default=0)  # 0 names no case: the workflow says so
    with refusal_message(request) as outcome:
        step(actor=request_actor(request), case=case, into=into)
    if outcome.ok:
        messages.success(request, done % {"number": case.number})
    return redirect(safe_next(request, reverse("office:triage")))


def _with_joint_members(cases: list[Case]) -> None:
    """Each main case's members (`joint_members`), in one query for the page."""
    mains = [case.pk for case in cases if case.joint_group_id == case.pk]
    members: dict[int, list[Case]] = {pk: [] for pk in mains}
    if mains:
        rows = (
            Case.objects.filter(joint_group_id__in=mains)
            .exclude(pk=F("joint_group"))
            .select_related("enterprise")
            .order_by("pk")
        )
        for member in rows:
            members[member.joint_group_id].append(member)
    for case in cases:
        case.joint_members = members.get(case.pk, [])


@office_required
@require_POST
def join(request, pk: int):
    """并案办理: another enterprise's case on the same problem joins this one's group."""
    return _into_another(
        request,
        pk,
        workflow.case_join,
        _("问题 %(number)s 已并案办理：随主办件交办，各企业分别答复、分别评价。"),
    )


@office_required
@require_POST
def leave_joint(request, pk: int):
    """退出并案: the case is handled on its own from now on."""
    case = get_object_or_404(cases_visible_to(request_actor(request)), pk=pk)
    with refusal_message(request) as outcome:
        workflow.case_leave_joint(actor=request_actor(request), case=case)
    if outcome.ok:
        messages.success(
            request, _("问题 %(number)s 已退出并案，单独办理。") % {"number": case.number}
        )
    return redirect(safe_next(request, reverse("office:triage")))


@office_required
@require_POST
def add_to_meeting(request):
    """Put the selected cases on a meeting's agenda."""
    meeting_id = id_param(request.POST, "meeting")
    meeting = in_county(
        Meeting.objects.filter(pk=meeting_id, kind__in=OFFICE_MEETINGS), request_actor(request)
    ).first()
    if meeting is None:
        messages.error(request, _("请选择要加入的会议。"))
        return redirect(safe_next(request, reverse("office:triage")))
    cases = cases_visible_to(request_actor(request)).filter(
        pk__in=_selected(request), status=Case.Status.SUBMITTED
    )
    added = list(cases)
    if not added:
        messages.error(request, _("请先勾选要加入会议的问题。"))
        return redirect(safe_next(request, reverse("office:triage")))
    meeting.cases.add(*added)
    messages.success(
        request,
        _("已将 %(count)d 件问题加入“%(meeting)s”。")
        % {"count": len(added), "meeting": meeting.title},
    )
    return redirect("office:meeting", pk=meeting.pk)


def _selected(request) -> list[int]:
    return ids_param(request.POST, "case")
