"""The case page shared by every role: what the user may see of the case, and a form for each
action the workflow allows them now (and nothing it does not)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import joint, workflow
from cases.calendar import estimated_deadlines
from cases.deadlines import CONTACT, RESOLVE, clock
from cases.errors import InvalidState
from cases.models import BreakdownItem, Case, CaseEvent, Commitment, EventAttachment, Request
from cases.selectors import (
    case_events_visible_to,
    cases_visible_to,
    city_escalations_of_case,
    photos_visible_to,
    sees_internal_events,
)
from cases.supervision_notices import notices_of_case
from cases.timeline import plain_timeline
from taskforces.contacts import paired_people, phone_book
from taskforces.models import TaskForceMember
from web.case_forms import ACTIONS, PRIMARY
from web.downloads import StoredFileMissing, stored_file_response
from web.forms import attach_errors
from web.middleware import request_actor, request_calendar
from web.refusals import refusal_message


def _visible_case(request, pk: int) -> Case:
    return get_object_or_404(
        cases_visible_to(request_actor(request))
        .select_related(
            "enterprise",
            "category",
            "lead_department",
            "returned_from",
            "merged_into",
            "visit",
            "listed_by",
        )
        .prefetch_related("co_departments"),
        pk=pk,
    )


def _context(request, case: Case, bound: dict | None = None) -> dict:
    actor = request_actor(request)
    now = timezone.now()
    calendar = request_calendar(request)
    internal = sees_internal_events(actor, case)
    events = list(
        case_events_visible_to(actor, case)
        .select_related("actor", "department")
        .prefetch_related("attachments")
    )
    if not internal:
        plain_timeline(events)  # the enterprise's words: 改由 X 办理, not a second bare 交办
    else:  # staff read the kinds' own labels; set, so the template finds them (a miss is slow)
        for event in events:
            event.plain_title = event.plain_text = ""
    acked = {e.data.get("instruction") for e in events if e.kind == CaseEvent.Kind.INSTRUCTION_ACK}
    instructions = [
        {"event": e, "acked": e.pk in acked} for e in events if e.kind == CaseEvent.Kind.INSTRUCTION
    ]
    allowed = workflow.allowed_actions(actor, case)
    # A cadre records a rating on a return visit (解难问成效), not from the case page.
    rate_on_visit = "rate" in allowed and not workflow.is_enterprise_contact(actor, case)
    if rate_on_visit:
        allowed.remove("rate")
    rate_conflict = ""
    if case.status == Case.Status.REPLIED and not rate_on_visit:
        rated = case.ratings.filter(reply_round=case.reply_round).exists()
        rate_conflict = "" if rated else workflow.rating_conflict(actor, case)
    # 催办 once a working day: after an urge the page says when the next may come.
    urge_again = workflow.urge_again_at(actor, case, now) if "urge" in allowed else None
    if urge_again:
        allowed.remove("urge")
    # 建议挂牌: the ladder proposes listing; the office's 挂牌 form shows open beside it.
    proposed = internal and workflow.proposed_for_listing(case, now, calendar)
    forms = []
    for name in allowed:
        spec = ACTIONS[name]
        form = (bound or {}).get(name) or spec.form(case=case, prefix=name)
        forms.append(
            {
                "name": name,
                "label": workflow.TRANSITIONS[name].label,
                "form": form,
                "style": spec.style,
                # The enterprise's one action on a late case, 催办, shows open.
                "open": name in PRIMARY
                or (bound and name in bound)
                or not internal
                or (name == "list" and proposed),
            }
        )
    estimated = estimated_deadlines(case, calendar)
    # Read once: the page lists them and offers 完成任务 / 践诺 on those still open.
    items = list(BreakdownItem.objects.filter(case=case).select_related("department"))
    commitments = list(
        Commitment.objects.filter(case=case).select_related("committed_by", "department")
    )
    return {
        "case": case,
        "joint": _joint(actor, case, internal),
        "contacts_card": _contacts_card(actor, case),
        "events": events,
        "instructions": instructions,
        "may_ack": workflow.is_lead(actor, case),
        "internal": internal,
        # The enterprise's words (what it may do next) for an enterprise, not a city department.
        "enterprise_view": not internal and not actor.city_department_id,
        "city_escalations": list(city_escalations_of_case(actor, case)),
        "items": items if internal else [],
        "commitments": commitments,
        "requests": case.requests.select_related("requested_by", "decided_by") if internal else [],
        "ratings": case.ratings.select_related("rated_by"),
        "action_forms": forms,
        "rate_on_visit": rate_on_visit,
        "rate_conflict": rate_conflict,
        "urge_again": urge_again,
        "may_urge": "urge" in allowed,  # the next-step box links to the form (far down a phone)
        "proposed": proposed,
        "case_photos": photos_visible_to(actor).filter(visit_id=case.visit_id)
        if case.visit_id
        else [],
        "may_open_visit": bool(case.visit_id) and (actor.is_office or bool(actor.taskforce_ids)),
        "meetings": case.meetings.order_by("-held_on") if internal else [],
        # 督办单 the case is in: the office sees every one, a department those sent to it.
        "supervision_notices": list(notices_of_case(actor, case)) if internal else [],
        "actor": actor,
        "today": timezone.localdate(),
        "contact_clock": clock(case, CONTACT, now, calendar, estimated=CONTACT in estimated),
        "resolve_clock": clock(case, RESOLVE, now, calendar, estimated=RESOLVE in estimated),
        "pending_requests": [
            r for r in (case.requests.all() if internal else []) if r.state == Request.State.PENDING
        ],
        "may_keep": {
            c.pk
            for c in commitments
            if c.kept_at is None and workflow.may_keep_commitment(actor, c)
        },
        "may_tick": {
            i.pk
            for i in items
            if i.done_at is None
            and case.status in workflow.ACTIVE
            and workflow.may_tick_item(actor, case, i)
        },
    }


def _contacts_card(actor, case: Case) -> dict | None:
    """企业联系人: whom the handling departments call (the 3-working-day rule measures that call),
    for the office and the staff of the lead and co-departments; two queries."""
    handling = actor.department_id is not None and (
        actor.department_id == case.lead_department_id
        or any(d.pk == actor.department_id for d in case.co_departments.all())
    )
    if not (actor.is_office or handling):
        return None
    paired = paired_people(case.enterprise_id)
    return {
        "contacts": phone_book(case.enterprise),
        "cadres": paired[TaskForceMember.Role.CADRE],
        "leaders": paired[TaskForceMember.Role.LEADER],
        # 并案办理: the lead department accepts once for the group, so it calls every enterprise
        # of it — their phone books beside the main case's (a query each, a group is small).
        "joint": [
            {"case": other, "contacts": phone_book(other.enterprise)}
            for other in (joint.others_of(case) if case.is_joint_main else [])
        ],
    }


def _joint(actor, case: Case, internal: bool) -> dict | None:
    """并案办理 (cases.joint): how many other enterprises' cases are handled with this one; staff
    also get those cases (the ones in their scope, to link) and the main case. An enterprise gets
    the count alone: never another enterprise's name or case."""
    if case.joint_group_id is None:
        return None
    others = joint.others_of(case)
    shown = {"count": joint.enterprise_count(others), "is_main": case.is_joint_main}
    if internal:
        visible = set(
            cases_visible_to(actor)
            .filter(pk__in=[c.pk for c in others])
            .values_list("pk", flat=True)
        )
        shown["cases"] = [c for c in others if c.pk in visible]
        shown["main"] = next((c for c in others if c.is_joint_main), None)
        # The texts carried to every enterprise of the group (a hint beside their forms).
        shown["carried_forms"] = ("accept", "progress", "reply") if case.is_joint_main else ()
    return shown


@login_required
def case_detail(request, pk: int):
    case = _visible_case(request, pk)
    return render(request, "web/case_detail.html", _context(request, case))


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    """Run one workflow action from its form; errors come back next to the fields."""
    case = _visible_case(request, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, request.FILES, case=case, prefix=action)
    if form.is_valid():
        try:
            result = spec.run(actor=request_actor(request), case=case, **form.workflow_kwargs())
        except ValidationError as error:
            attach_errors(form, error)
        except InvalidState as conflict:
            messages.warning(request, conflict.message)
            return redirect("case_detail", pk=case.pk)
        else:
            for warning in getattr(result, "warnings", []):
                messages.warning(request, warning)
            if action == "urge":
                messages.success(
                    request,
                    _("已催办：%(department)s和县委办已收到通知。")
                    % {"department": case.lead_department},
                )
            elif action == "rate" and result.status == Case.Status.IN_PROGRESS:
                messages.warning(
                    request,
                    _("您的评价为“%(level)s”，问题已重新交由%(department)s办理。")
                    % {"level": result.get_rating_display(), "department": result.lead_department},
                )
            else:
                label = workflow.TRANSITIONS[action].label
                messages.success(request, _("已%(action)s。") % {"action": label})
            return redirect("case_detail", pk=case.pk)
    case.refresh_from_db()
    return render(
        request, "web/case_detail.html", _context(request, case, {action: form}), status=400
    )


@login_required
def event_file(request, pk: int, file_id: int):
    """A file of a progress note or a reply, to whoever may read its event (an enterprise: the
    public ones of its own case); to anyone else it does not exist (404)."""
    case = _visible_case(request, pk)
    attachment = get_object_or_404(
        EventAttachment.objects.filter(
            case=case, event__in=case_events_visible_to(request_actor(request), case)
        ),
        pk=file_id,
    )
    try:
        return stored_file_response(attachment)
    except StoredFileMissing:
        raise Http404(_("附件文件已不存在。")) from None


@login_required
@require_POST
def breakdown_item_done(request, pk: int, item_id: int):
    case = _visible_case(request, pk)
    item = get_object_or_404(BreakdownItem, pk=item_id, case=case)
    return _run_small(
        request, case, lambda actor: workflow.breakdown_item_complete(actor=actor, item=item)
    )


@login_required
@require_POST
def commitment_kept(request, pk: int, commitment_id: int):
    case = _visible_case(request, pk)
    commitment = get_object_or_404(Commitment, pk=commitment_id, case=case)
    return _run_small(
        request, case, lambda actor: workflow.commitment_keep(actor=actor, commitment=commitment)
    )


def _run_small(request, case: Case, run):
    with refusal_message(request, messages.WARNING) as outcome:
        run(request_actor(request))
    if outcome.ok:
        messages.success(request, _("已更新。"))
    return redirect("case_detail", pk=case.pk)


@login_required
@require_POST
def instruction_ack(request, pk: int, event_id: int):
    case = _visible_case(request, pk)
    return _run_small(
        request,
        case,
        lambda actor: workflow.instruction_acknowledge(
            actor=actor, case=case, instruction=event_id
        ),
    )
