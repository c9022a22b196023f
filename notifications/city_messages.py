"""What the city's messages say (上报市级, cases.workflow.city): to the city's office, a city
department's staff and the county office of the case — in the site's language, as every message
(notifications.messages)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cases import deadlines
from notifications.messages import Kind, _case_line, _event_key, _in_site_language, when
from notifications.outbox import Message


@_in_site_language
def city_escalated(event, escalation) -> Message:
    """To the city's office: a county sent a case up with its 政策建议."""
    case = event.case
    return Message(
        kind=Kind.NEW_CASE,
        title=_("【上报市级】%(county)s %(number)s %(title)s")
        % {"county": case.county.name, "number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                _("政策建议：%(proposal)s") % {"proposal": escalation.proposal},
                _("请在“上报市级”页面交市直部门办理。"),
            ]
        ),
        key=_event_key(event, "city"),
        case_id=case.pk,
    )


@_in_site_language
def city_assigned(event, escalation) -> Message:
    """To the city department's people: the city's office gave it an escalated case."""
    case = event.case
    lines = [
        _case_line(case),
        _("%(county)s上报的政策性问题，市委办交本部门办理。") % {"county": case.county.name},
        _("政策建议：%(proposal)s") % {"proposal": escalation.proposal},
    ]
    if escalation.assign_note:
        lines.append(_("交办意见：%(note)s") % {"note": escalation.assign_note})
    lines.append(
        _("请于 %(contact)s 前签收，%(answer)s 前答复。")
        % {"contact": when(escalation.contact_due_at), "answer": when(escalation.answer_due_at)}
    )
    return Message(
        kind=Kind.ASSIGNED,
        title=_("【市级交办】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(lines),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def city_contacted(event, escalation) -> Message:
    """To the county's office: the city department signed for its case."""
    case = event.case
    return Message(
        kind=Kind.CONTACTED,
        title=_("【市直部门签收】%(department)s 已签收问题 %(number)s")
        % {"department": escalation.city_department.name, "number": case.number},
        body="\n".join(
            [
                _case_line(case),
                event.note,
                _("答复期限：%(due)s") % {"due": when(escalation.answer_due_at)},
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def city_answered(event, escalation) -> Message:
    """To the county's office: the city's answer came back to its case."""
    case = event.case
    return Message(
        kind=Kind.REPLIED,
        title=_("【市级答复】%(department)s 已答复问题 %(number)s")
        % {"department": escalation.city_department.name, "number": case.number},
        body="\n".join(
            [
                _case_line(case),
                _("答复意见：%(answer)s") % {"answer": escalation.answer},
                _("请据此销号或重新办理。"),
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


def city_late_key(escalation_id: int, kind: str, due_at: dt.datetime) -> str:
    return f"city_late:{escalation_id}:{kind}:{int(due_at.timestamp())}"


@_in_site_language
def city_late(escalation, kind: str, due_at: dt.datetime) -> Message:
    """To the city's office: a city department's deadline went by (超期未签收 / 超期未答复)."""
    case = escalation.case
    words = deadlines.CITY_LATE_LABELS[kind]
    return Message(
        kind=Kind.REMINDER,
        title=_("【%(words)s】%(department)s · %(number)s %(title)s")
        % {
            "words": words,
            "department": escalation.city_department.name,
            "number": case.number,
            "title": case.title,
        },
        body="\n".join(
            [
                _case_line(case),
                _("%(label)s：%(due)s")
                % {
                    "label": deadlines.CITY_DEADLINE_LABELS[kind],
                    "due": when(due_at),
                },
                _("%(department)s %(words)s，请市委办督促。")
                % {"department": escalation.city_department.name, "words": words},
            ]
        ),
        key=city_late_key(escalation.pk, kind, due_at),
        case_id=case.pk,
        level=deadlines.CITY_LATE_LEVEL,
    )
