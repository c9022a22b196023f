"""What each message says. Written in the site's language whatever language the causing request
used, because the reader is someone else (a department clerk, a county leader, an enterprise)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import deadlines, joint
from cases.models import Case, CaseEvent
from notifications.models import Notification
from notifications.outbox import Message

Kind = Notification.Kind


def _in_site_language(compose: Callable[..., Message]) -> Callable[..., Message]:
    @wraps(compose)
    def composed(*args, **kwargs) -> Message:
        if translation.get_language() == settings.LANGUAGE_CODE:
            return compose(*args, **kwargs)  # a sweep composes hundreds: skip re-activating
        with translation.override(settings.LANGUAGE_CODE):
            return compose(*args, **kwargs)

    return composed


def when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _case_line(case) -> str:
    return _("问题 %(number)s「%(title)s」（%(enterprise)s）") % {
        "number": case.number,
        "title": case.title,
        "enterprise": case.enterprise.name,
    }


def reminder_key(case_id: int, deadline: deadlines.Deadline, level: int) -> str:
    return f"reminder:{case_id}:{deadline.kind}:{int(deadline.due_at.timestamp())}:{level}"


@_in_site_language
def reminder(case, deadline: deadlines.Deadline, level: int) -> Message:
    """The ladder's message at `level`. Its top level proposes listing (建议挂牌) and is told as a
    proposal; 挂牌督办 is said of a case the office has listed (cases.workflow.listing)."""
    contact = deadline.kind == deadlines.CONTACT
    listed = case.listed_at is not None
    tag = {
        deadlines.WARNING: _("【预警】"),
        deadlines.OVERDUE: _("【逾期】"),
        deadlines.ESCALATED: _("【督办】"),
        deadlines.FLAGGED: _("【挂牌督办】") if listed else _("【建议挂牌】"),
    }[level]
    if level == deadlines.WARNING:
        state = _("今天须对接企业") if contact else _("今天到达办结期限")
    elif level == deadlines.OVERDUE:
        state = _("已超过对接期限，尚未对接企业") if contact else _("已超过办结期限，尚未反馈")
    else:
        days = deadlines.LATE_DAYS[level]
        state = (
            _("逾期%(days)d个工作日未对接企业") if contact else _("逾期%(days)d个工作日未办结")
        ) % {"days": days}
    deadline_label = deadlines.DEADLINE_LABELS[deadline.kind]
    lines = [
        _case_line(case),
        _("牵头部门：%(department)s") % {"department": case.lead_department or "—"},
        _("%(label)s：%(due)s") % {"label": deadline_label, "due": when(deadline.due_at)},
    ]
    if level >= deadlines.ESCALATED:
        lines.append(_("已报专班县领导和县委办督办。"))
    if level == deadlines.FLAGGED and listed:
        lines.append(_("已列入挂牌督办，请牵头部门主要负责人亲自过问。"))
    elif level == deadlines.FLAGGED:
        lines.append(
            _("已逾期满%(days)d个工作日，建议县委办挂牌督办；请牵头部门主要负责人亲自过问。")
            % {"days": deadlines.LATE_DAYS[deadlines.FLAGGED]}
        )
    return Message(
        kind=Kind.REMINDER,
        title=f"{tag}{case.number} {state}",
        body="\n".join(lines),
        key=reminder_key(case.pk, deadline, level),
        case_id=case.pk,
        level=level,
    )


def _event_key(event, audience: str = "") -> str:
    return f"event:{event.pk}{':' + audience if audience else ''}"


@_in_site_language
def assigned(event) -> Message:
    """To the lead department's people. A group handled jointly (cases.joint) is one piece of
    work: the main case's message names the others, a member's says it needs no acceptance."""
    case = event.case
    others = joint.others_of(case) if case.joint_group_id is not None else []
    title = _("【新交办】%(number)s %(title)s")
    lines = [
        _case_line(case),
        _("已交办 %(department)s 牵头办理。") % {"department": case.lead_department},
    ]
    if case.is_joint_member and others:
        title = _("【并案交办】%(number)s %(title)s")
        lines.append(
            _(
                "并案办理：随主办件 %(main)s 一并办理，签收、进展和反馈都在主办件上办理，本件无需单独签收。"
            )
            % {"main": others[0].number}
        )
    else:
        lines.append(
            _("请于 %(due)s 前联系企业并签收（3个工作日）；办结期限 %(resolve)s。")
            % {"due": when(case.contact_due_at), "resolve": when(case.resolve_due_at)}
        )
    if case.is_joint_main and others:
        lines.append(
            _(
                "并案办理：%(cases)s与本件一并办理，请联系每家企业；在本件上签收和反馈，会同时带到各件。"
            )
            % {"cases": "、".join(f"{c.number}（{c.enterprise.name}）" for c in others)}
        )
    return Message(
        kind=Kind.ASSIGNED,
        title=title % {"number": case.number, "title": case.title},
        body="\n".join(lines),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def assigned_for_enterprise(event) -> Message:
    case = event.case
    return Message(
        kind=Kind.ASSIGNED,
        title=_("【已交办】您反映的问题 %(number)s 已交 %(department)s 办理")
        % {"number": case.number, "department": case.lead_department},
        body="\n".join(
            [
                _case_line(case),
                _("牵头部门将在 %(due)s 前与您联系。") % {"due": when(case.contact_due_at)},
            ]
        ),
        key=_event_key(event, "enterprise"),
        case_id=case.pk,
    )


@_in_site_language
def contacted(event) -> Message:
    case = event.case
    return Message(
        kind=Kind.CONTACTED,
        title=_("【已对接】%(department)s 已就问题 %(number)s 与贵企业对接")
        % {"number": case.number, "department": case.lead_department},
        body="\n".join(
            [
                _case_line(case),
                event.note,
                _("办结期限：%(due)s") % {"due": when(case.resolve_due_at)},
            ]
        ),
        key=_event_key(event, "enterprise"),
        case_id=case.pk,
    )


@_in_site_language
def instruction(event) -> Message:
    case = event.case
    author = event.actor.get_full_name() or event.actor.username if event.actor else ""
    return Message(
        kind=Kind.INSTRUCTION,
        title=_("【领导批示】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                _("%(author)s 批示：%(text)s") % {"author": author, "text": event.note},
                _("请在问题页面签收批示并抓好落实。"),
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def listed(event) -> Message:
    """挂牌督办: to the lead department and the task force's county leaders."""
    case = event.case
    return Message(
        kind=Kind.LISTED,
        title=_("【挂牌督办】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                _("县委办已将此问题列入挂牌督办，牵头部门：%(department)s。")
                % {"department": case.lead_department or "—"},
                _("挂牌理由：%(reason)s") % {"reason": event.note},
                _("请牵头部门主要负责人亲自过问，限期办结。"),
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def delisted(event) -> Message:
    """摘牌: to the lead department."""
    case = event.case
    return Message(
        kind=Kind.LISTED,
        title=_("【摘牌】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                _("县委办已对此问题摘牌，不再挂牌督办。"),
                _("摘牌理由：%(reason)s") % {"reason": event.note},
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def replied(event) -> Message:
    case = event.case
    return Message(
        kind=Kind.REPLIED,
        title=_("【办理结果】您反映的问题 %(number)s 已有答复") % {"number": case.number},
        body="\n".join(
            [
                _case_line(case),
                _("办理结果：%(outcome)s") % {"outcome": case.get_outcome_display()},
                case.reply,
                _("请登录系统对办理结果进行评价。"),
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def closed_for_enterprise(event) -> Message:
    """To the enterprise: the office has closed its problem out (销号) — the end of the case."""
    case = event.case
    lines = [_case_line(case), _("县委办已销号，问题办结。感谢您对“四进四问”工作的支持。")]
    if event.note:
        lines.append(_("销号意见：%(note)s") % {"note": event.note})
    return Message(
        kind=Kind.CLOSED,
        title=_("【已办结】您反映的问题 %(number)s 已销号") % {"number": case.number},
        body="\n".join(lines),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def reopened(event) -> Message:
    case = event.case
    why = (
        _("企业对办理结果不满意，问题重新办理。")
        if event.data.get("reason") == "dissatisfied"
        else _("县委办重新启动办理：%(reason)s") % {"reason": event.note}
    )
    return Message(
        kind=Kind.REOPENED,
        title=_("【重新办理】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                why,
                _("新的办结期限：%(due)s") % {"due": when(case.resolve_due_at)},
            ]
        ),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def extension_decided(event, *, for_enterprise: bool) -> Message:
    case = event.case
    approved = bool(event.data.get("approved"))
    if for_enterprise:
        title = _("【办理期限调整】您反映的问题 %(number)s 办结期限延至 %(due)s") % {
            "number": case.number,
            "due": when(case.resolve_due_at),
        }
    elif approved:
        title = _("【延期审批】%(number)s 延期申请已同意") % {"number": case.number}
    else:
        title = _("【延期审批】%(number)s 延期申请未同意") % {"number": case.number}
    lines = [_case_line(case), _("办结期限：%(due)s") % {"due": when(case.resolve_due_at)}]
    remark = event.internal_note or event.note
    if remark and not for_enterprise:  # the office's remark is for the department only
        lines.append(_("审批意见：%(note)s") % {"note": remark})
    return Message(
        kind=Kind.EXTENSION_DECIDED,
        title=title,
        body="\n".join(lines),
        key=_event_key(event, "enterprise" if for_enterprise else "department"),
        case_id=case.pk,
    )


@_in_site_language
def urged(event) -> Message:
    case = event.case
    lines = [
        _case_line(case),
        _("%(unit)s 催办，请牵头部门 %(department)s 抓紧办理。")
        % {"unit": event.unit_label or _("县委办"), "department": case.lead_department},
    ]
    if event.data.get("deadline") in deadlines.DEADLINE_LABELS:
        state = _("已逾期") if event.data.get("overdue") else _("未到期")
        lines.append(
            _("%(label)s：%(due)s（%(state)s）")
            % {
                "label": deadlines.DEADLINE_LABELS[event.data["deadline"]],
                "due": when(dt.datetime.fromisoformat(event.data["due_at"])),
                "state": state,
            }
        )
    if remark := event.internal_note or event.note:
        lines.append(_("催办意见：%(note)s") % {"note": remark})
    return Message(
        kind=Kind.URGED,
        title=_("【催办】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(lines),
        key=_event_key(event),
        case_id=case.pk,
    )


@_in_site_language
def supervised(event, notice, cases) -> Message:
    """督办单: to the people of the department it is sent to — one message for the notice,
    however many cases it names: what it presses on, and the day to answer in writing by."""
    number = event.data.get("number", "")
    lines = [
        _("县委办向%(department)s开具督办单 %(number)s，督办以下问题（%(count)d 件）：")
        % {"department": notice.department.name, "number": number, "count": len(cases)},
        *(_case_line(case) for case in cases),
        _("督办事项：%(text)s") % {"text": notice.text},
        _("请于 %(day)s 前在部门工作台书面回复。") % {"day": notice.reply_by.isoformat()},
    ]
    return Message(
        kind=Kind.SUPERVISED,
        title=_("【督办单】%(number)s 请于 %(day)s 前书面回复")
        % {"number": number, "day": notice.reply_by.isoformat()},
        body="\n".join(lines),
        key=f"supervision:{notice.pk}",
        case_id=event.case_id,
    )


@_in_site_language
def digest(
    scope: str | None, day: dt.date, open_count: int, sections: dict[str, list], *, key: str
) -> Message:
    """One department's digest (scope: its name), or the county's (scope None).

    sections: "due_today", "overdue", "suspended" → cases (with enterprise and lead department);
    the county's also "new_cases", the problems registered since the last digest.
    """
    labels = {
        "due_today": _("今日到期"),
        "overdue": _("已逾期"),
        "suspended": _("挂起中"),
        "new_cases": _("新问题"),
    }
    counts = "，".join(
        [_("在办 %(count)d 件") % {"count": open_count}]
        + [
            _("%(label)s %(count)d 件") % {"label": labels[name], "count": len(cases)}
            for name, cases in sections.items()
        ]
    )
    lines = []
    for name, cases in sections.items():
        if not cases:
            continue
        lines.append(f"■ {labels[name]}（{len(cases)}）")
        shown = cases[:30]
        for case in shown:
            unit = case.lead_department or _("待交办")
            lines.append(f"  · {case.number} {case.title}（{case.enterprise.name}，{unit}）")
        if len(cases) > len(shown):
            lines.append(_("  …… 另有 %(more)d 件") % {"more": len(cases) - len(shown)})
    return Message(
        kind=Kind.DIGEST,
        title=_("【每日调度】%(scope)s %(day)s：%(counts)s")
        % {"scope": scope or _("全县"), "day": day.isoformat(), "counts": counts},
        body="\n".join(lines),
        key=key,
    )


# --- who else must act or should know (issue 17) ----------------------------------------------


def _deadlines_line(case) -> str:
    return _("对接期限 %(contact)s；办结期限 %(resolve)s。") % {
        "contact": when(case.contact_due_at),
        "resolve": when(case.resolve_due_at),
    }


@_in_site_language
def co_assigned(event) -> Message:
    """To a co-department's people: the case is theirs to help with."""
    case = event.case
    return Message(
        kind=Kind.ASSIGNED,
        title=_("【协办】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                _("已交办 %(department)s 牵头办理，贵单位为协办单位，请配合办理。")
                % {"department": case.lead_department},
                _deadlines_line(case),
            ]
        ),
        key=_event_key(event, "co"),
        case_id=case.pk,
    )


@_in_site_language
def breakdown_task(event, department) -> Message:
    """To the people of the department a breakdown item (责任清单) is addressed to."""
    case = event.case
    return Message(
        kind=Kind.BREAKDOWN,
        title=_("【责任清单】%(number)s 有一项任务交 %(department)s 完成")
        % {"number": case.number, "department": department},
        body="\n".join(
            [
                _case_line(case),
                _("措施：%(measure)s") % {"measure": event.note},
                _("完成时限：%(due)s") % {"due": event.data.get("due_on", "—")},
                _("牵头部门：%(department)s") % {"department": case.lead_department or "—"},
            ]
        ),
        key=_event_key(event, "item"),
        case_id=case.pk,
    )


@_in_site_language
def for_cadres(event) -> Message:
    """To the enterprise's paired cadres (结对干部): what happened to their enterprise's problem."""
    case = event.case
    K = CaseEvent.Kind
    values = {"number": case.number, "enterprise": case.enterprise.name}
    lines = [_case_line(case)]
    if event.kind == K.ASSIGNED:
        title = _("【结对企业】%(enterprise)s 的问题 %(number)s 已交办") % values
        lines += [
            _("牵头部门：%(department)s") % {"department": case.lead_department},
            _deadlines_line(case),
        ]
        kind = Kind.ASSIGNED
    elif event.kind == K.REPLIED:
        title = _("【结对企业】%(enterprise)s 的问题 %(number)s 已反馈办理结果") % values
        lines += [
            _("办理结果：%(outcome)s") % {"outcome": case.get_outcome_display()},
            _("请回访企业，了解办理成效并登记企业评价。"),
        ]
        kind = Kind.REPLIED
    elif event.kind == K.RATED:
        level = Case.Rating(event.data["rating"]).label if event.data.get("rating") else "—"
        title = _("【结对企业】%(enterprise)s 对问题 %(number)s 的评价：%(level)s") % {
            **values,
            "level": level,
        }
        if event.note:
            lines.append(_("评价意见：%(comment)s") % {"comment": event.note})
        if case.status == Case.Status.IN_PROGRESS:
            lines.append(
                _("问题已重新交由 %(department)s 办理。") % {"department": case.lead_department}
            )
        kind = Kind.RATED
    else:
        title = _("【结对企业】%(enterprise)s 的问题 %(number)s 已销号") % values
        lines.append(_("县委办已销号，问题办结。"))
        kind = Kind.CLOSED
    return Message(
        kind=kind,
        title=title,
        body="\n".join(lines),
        key=_event_key(event, "cadres"),
        case_id=case.pk,
    )


@_in_site_language
def new_case(event) -> Message:
    """To the office's people who want each new problem at once."""
    case = event.case
    return Message(
        kind=Kind.NEW_CASE,
        title=_("【新问题】%(number)s %(title)s") % {"number": case.number, "title": case.title},
        body="\n".join(
            [
                _case_line(case),
                _("来源：%(source)s；类别：%(category)s")
                % {"source": case.get_source_display(), "category": case.category},
                _("请研判后交办。"),
            ]
        ),
        key=_event_key(event, "office"),
        case_id=case.pk,
    )


@_in_site_language
def reassigned_for_enterprise(event) -> Message:
    """To the enterprise, when its problem goes to another department after a return."""
    case = event.case
    department = case.lead_department
    return Message(
        kind=Kind.ASSIGNED,
        title=_("【改由他部门办理】您的问题 %(number)s 已改由 %(department)s 办理")
        % {"number": case.number, "department": department},
        body="\n".join(
            [
                _case_line(case),
                _("您的问题已改由%(department)s办理。") % {"department": department},
                _("经县委办重新研判，由更对口的部门办理；%(department)s将在 %(due)s 前与您联系。")
                % {"department": department, "due": when(case.contact_due_at)},
            ]
        ),
        key=_event_key(event, "enterprise"),
        case_id=case.pk,
    )


@_in_site_language
def letter_issued(letter, *, cases: int) -> Message:
    """To the people of the department a 交办函 is addressed to: read it, sign its 回执."""
    lines = [
        _("县委办向%(department)s出具交办函 %(number)s（%(meeting)s），交办 %(count)d 个企业问题。")
        % {
            "department": letter.department.name,
            "number": letter.number,
            "meeting": letter.meeting.title,
            "count": cases,
        },
        _("请在“交办函”页面查看，并签收回执。"),
    ]
    if letter.contact_name:
        lines.append(
            _("县委办联系人：%(name)s %(phone)s")
            % {"name": letter.contact_name, "phone": letter.contact_phone}
        )
    return Message(
        kind=Kind.ASSIGNED,
        title=_("【交办函】%(number)s %(meeting)s")
        % {"number": letter.number, "meeting": letter.meeting.title},
        body="\n".join(lines).strip(),
        key=f"letter:{letter.pk}",
    )
