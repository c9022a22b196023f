"""督办单: the county office's written supervision notice to one department about some of its
cases — numbered (文号, cases.documents), answered in writing by a reply-by day counted in working
days from the issue day.

The office issues it (supervision_notice_issue): every case must be one the department leads or
co-handles, and still open; the number is taken in the transaction that saves the notice, and each
case's timeline records it (an internal 督办单 event, which the notifications layer turns into one
message to the department's staff). The department's staff answer it once
(supervision_notice_answer). The selectors answer the office's list, a department's own notices,
the notices a case is in, and the overdue answers: the reply-by day has passed without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import deadlines
from cases.documents import Kind, document_number, document_number_issue
from cases.errors import ActionForbidden, InvalidState
from cases.models import Case, CaseEvent, SupervisionNotice
from cases.roles import Actor
from cases.selectors import in_county
from cases.validators import check_input
from cases.workdays import WorkCalendar, add_working_days, local_date
from cases.workflow import steps
from cases.workflow.rules import _as_actor
from enterprises.models import Department

# The office may pick the reply time of a notice within these working days.
REPLY_DAYS_MIN, REPLY_DAYS_MAX = 1, 30

# Where a notice stands (notice_state).
ANSWERED, OVERDUE, WAITING = "answered", "overdue", "waiting"


def reply_working_days_default() -> int:
    """The reply time a notice gets unless the office picks another (SUPERVISION_REPLY_WORKING_DAYS)."""
    return settings.SUPERVISION_REPLY_WORKING_DAYS


def reply_by_for(issued_on: dt.date, working_days: int, calendar: WorkCalendar) -> dt.date:
    """The reply-by day: the n-th working day after the issue day (the issue day does not count,
    期限开始之日不计算在内; holidays and 调休 as the working-day calendar has them)."""
    return add_working_days(issued_on, working_days, calendar)


def notice_number(notice: SupervisionNotice) -> str:
    """The printed 文号 of a notice, e.g. 进四问督〔2026〕12号."""
    return document_number(notice.kind, notice.year, notice.serial)


# --- who may ------------------------------------------------------------------------------------


def may_issue(actor) -> bool:
    return _as_actor(actor).is_office


def may_answer(actor, notice: SupervisionNotice) -> bool:
    """The staff of the department the notice goes to, and only while it is unanswered."""
    actor = _as_actor(actor)
    return (
        bool(actor.department_id)
        and actor.department_id == notice.department_id
        and not notice.answered
    )


# --- issue and answer ---------------------------------------------------------------------------


@transaction.atomic
def supervision_notice_issue(
    *,
    actor,
    department: Department | int,
    cases: Iterable[Case | int],
    text: str,
    reply_working_days: int | None = None,
    now: dt.datetime | None = None,
) -> SupervisionNotice:
    """开具督办单: the office presses one department, in writing, about cases it leads or
    co-handles that are still open. The notice takes the next supervision number, each case's
    timeline records it (internal), and the department's staff are told at once."""
    actor = _as_actor(actor)
    if not actor.is_office:
        raise ActionForbidden(_("只有县委办可以开具督办单。"))
    check_input(texts={"text": text})
    days = reply_working_days_default() if reply_working_days is None else reply_working_days
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = _("请填写督办事项。")
    if not isinstance(days, int) or not REPLY_DAYS_MIN <= days <= REPLY_DAYS_MAX:
        errors["reply_working_days"] = _("回复期限须为 %(min)d 至 %(max)d 个工作日。") % {
            "min": REPLY_DAYS_MIN,
            "max": REPLY_DAYS_MAX,
        }
    unit = Department.objects.filter(
        pk=getattr(department, "pk", department), county_id=actor.county_id
    ).first()
    if unit is None:
        errors["department"] = _("请选择督办的部门。")
    locked, all_found = _locked_cases(cases)
    if unit is not None and (problem := _cases_problem(locked, all_found, unit)):
        errors["cases"] = problem
    if errors:
        raise ValidationError(errors)

    now = steps._now(now)
    issued_on = local_date(now)
    number = document_number_issue(Kind.SUPERVISION, county_id=unit.county_id, on=issued_on)
    notice = SupervisionNotice.objects.create(
        county_id=unit.county_id,
        kind=number.kind,
        year=number.year,
        serial=number.serial,
        department=unit,
        text=text.strip(),
        reply_working_days=days,
        reply_by=reply_by_for(issued_on, days, steps.work_calendar(unit.county_id)),
        issued_by=actor.user,
        issued_at=now,
    )
    notice.cases.set(locked)
    data = {"notice": notice.pk, "number": str(number), "reply_by": notice.reply_by.isoformat()}
    for case in locked:
        steps._record(
            case,
            CaseEvent.Kind.SUPERVISED,
            actor,
            note=notice.text,
            public=False,
            department=unit.pk,
            data=data,
        )
    return notice


def _locked_cases(cases: Iterable[Case | int]) -> tuple[list[Case], bool]:
    """The cases named, each once, locked in number order (their actions queue behind the
    notice); and whether every one was found."""
    ids = {getattr(case, "pk", case) for case in cases}
    locked = list(
        Case.objects.select_for_update(of=("self",))
        .select_related("enterprise", "lead_department")
        .filter(pk__in=ids)
        .order_by("number")
    )
    return locked, len(locked) == len(ids)


def _cases_problem(cases: list[Case], all_found: bool, department: Department) -> str:
    """Why these cases cannot be on one notice to the department; "" when they can."""
    if not all_found:
        return _("所选问题有的不存在，请重新选择。")
    if not cases:
        return _("请至少选择一件问题。")
    co = set(
        Case.co_departments.through.objects.filter(
            case_id__in=[c.pk for c in cases], department_id=department.pk
        ).values_list("case_id", flat=True)
    )
    not_theirs = [
        c.number for c in cases if c.lead_department_id != department.pk and c.pk not in co
    ]
    if not_theirs:
        return _("%(numbers)s 不是%(department)s牵头或协办的问题，不能写入发给它的督办单。") % {
            "numbers": "、".join(not_theirs),
            "department": department.name,
        }
    closed = [c.number for c in cases if not c.is_open or c.status == Case.Status.SUBMITTED]
    if closed:
        return _("%(numbers)s 不在办理中（已销号、已合并或待交办），不能督办。") % {
            "numbers": "、".join(closed)
        }
    return ""


@transaction.atomic
def supervision_notice_answer(
    *,
    actor,
    notice: SupervisionNotice | int,
    answer: str,
    now: dt.datetime | None = None,
) -> SupervisionNotice:
    """书面回复: the staff of the department the notice went to answer it, once."""
    actor = _as_actor(actor)
    pk = getattr(notice, "pk", notice)
    notice = SupervisionNotice.objects.select_for_update().select_related("department").get(pk=pk)
    if not (actor.department_id and actor.department_id == notice.department_id):
        raise ActionForbidden(
            _("只有%(department)s的工作人员可以回复这份督办单。")
            % {"department": notice.department.name}
        )
    if notice.answered:
        raise InvalidState(
            _("督办单 %(number)s 已于 %(day)s 回复，不能再次回复。")
            % {"number": notice_number(notice), "day": local_date(notice.answered_at).isoformat()},
            status=ANSWERED,
        )
    check_input(texts={"answer": answer})
    if not (answer or "").strip():
        raise ValidationError({"answer": _("请填写书面回复：说明督办事项的落实情况。")})
    notice.answer = answer.strip()
    notice.answered_by = actor.user
    notice.answered_at = steps._now(now)
    notice.save(update_fields=["answer", "answered_by", "answered_at"])
    return notice


# --- selectors ----------------------------------------------------------------------------------


def _listed(notices: QuerySet[SupervisionNotice]) -> QuerySet[SupervisionNotice]:
    return notices.select_related("department", "issued_by", "answered_by").prefetch_related(
        Prefetch("cases", queryset=Case.objects.order_by("number"))
    )


def office_notices(actor) -> QuerySet[SupervisionNotice]:
    """Every notice of the actor's county (of the city's counties, for the city), newest first
    (the office's list)."""
    return _listed(in_county(SupervisionNotice.objects.all(), actor))


def department_notices(department: Department | int) -> QuerySet[SupervisionNotice]:
    """The notices sent to one department, newest first (its workspace)."""
    return _listed(
        SupervisionNotice.objects.filter(department_id=getattr(department, "pk", department))
    )


def notices_to_answer(
    department: Department | int, limit: int
) -> tuple[list[SupervisionNotice], int]:
    """The department's unanswered notices, the earliest reply-by day first: the first `limit`
    of them, each with its `case_count`, and how many there are — in one query."""
    rows = list(
        SupervisionNotice.objects.filter(
            department_id=getattr(department, "pk", department), answered_at__isnull=True
        )
        .annotate(
            case_count=Count("cases"),
            total=Window(Count("pk", distinct=False)),
        )
        .order_by("reply_by", "pk")[:limit]
    )
    return rows, rows[0].total if rows else 0


def notices_visible_to(actor) -> QuerySet[SupervisionNotice]:
    """The office sees every notice; a department's staff the ones sent to it; nobody else any."""
    actor = _as_actor(actor)
    if actor.is_office or actor.reads_city:
        return office_notices(actor)
    if actor.department_id:
        return department_notices(actor.department_id)
    return SupervisionNotice.objects.none()


def cases_to_supervise(department: Department | int) -> QuerySet[Case]:
    """The cases a notice to the department may name: open, led or co-handled by it — the one
    whose deadline falls first at the top (a case with no running deadline last)."""
    pk = getattr(department, "pk", department)
    co = Case.co_departments.through.objects.filter(department_id=pk).values("case_id")
    return (
        Case.objects.filter(Q(lead_department_id=pk) | Q(pk__in=co))
        .filter(status__in=Case.OPEN_STATUSES)
        .exclude(status=Case.Status.SUBMITTED)
        .select_related("enterprise", "lead_department")
        .annotate(due=deadlines.current_due_at())
        .order_by(F("due").asc(nulls_last=True), "number")
    )


def notices_of_case(actor, case: Case | int) -> QuerySet[SupervisionNotice]:
    """The notices a case is in, as far as the actor may see them (the case page)."""
    return notices_visible_to(actor).filter(cases=getattr(case, "pk", case))


def overdue_q(today: dt.date) -> Q:
    """Unanswered after its reply-by day."""
    return Q(answered_at__isnull=True, reply_by__lt=today)


def overdue_notices(actor, today: dt.date | None = None) -> QuerySet[SupervisionNotice]:
    """The notices of the actor's county whose reply-by day has passed without an answer, the
    longest waiting first."""
    today = today or timezone.localdate()
    return office_notices(actor).filter(overdue_q(today)).order_by("reply_by", "pk")


def notice_state(notice: SupervisionNotice, today: dt.date | None = None) -> str:
    """ANSWERED, OVERDUE (the reply-by day has passed without an answer) or WAITING."""
    if notice.answered:
        return ANSWERED
    return OVERDUE if notice.reply_by < (today or timezone.localdate()) else WAITING


@dataclass(frozen=True)
class NoticeCase:
    """One case of a notice as the notice prints it: the case, and its deadline as it stands."""

    case: Case
    state: str


def notice_cases(notice: SupervisionNotice, now: dt.datetime, calendar: WorkCalendar) -> list:
    """The notice's cases in number order, each with its deadline state now."""
    cases = notice.cases.select_related("enterprise", "lead_department").order_by("number")
    return [NoticeCase(case, deadline_state(case, now, calendar)) for case in cases]


def deadline_state(case: Case, now: dt.datetime, calendar: WorkCalendar) -> str:
    """A case's deadline in a few words: which, when, and how late or how near — 办结期限
    2026-05-08，逾期 3 个工作日（督办）; or why none runs (已反馈, 挂起中, 已销号)."""
    if case.status == Case.Status.REPLIED:
        return _("已反馈，待评价和销号")
    if not case.is_open or case.status == Case.Status.SUBMITTED:
        return case.get_status_display()
    if case.suspended_at is not None:
        return _("挂起中，期限暂停计算")
    clock = deadlines.standing(case, now, calendar)
    if clock is None:
        return "—"
    if clock.level is None:
        left = clock.working_days_left
        state = ngettext("还剩 %(n)s 个工作日", "还剩 %(n)s 个工作日", left) % {"n": left}
    elif clock.level == deadlines.WARNING:
        state = _("今日到期")
    else:
        late = clock.working_days_late
        state = (
            ngettext("已逾期 %(n)s 个工作日", "已逾期 %(n)s 个工作日", late) % {"n": late}
            if late
            else _("已逾期")
        )
        if clock.level >= deadlines.ESCALATED:
            state = _("%(state)s（%(level)s）") % {"state": state, "level": clock.label}
    return _("%(deadline)s %(due)s，%(state)s") % {
        "deadline": clock.deadline_label,
        "due": local_date(clock.due_at).isoformat(),
        "state": state,
    }


def notice_for(actor: Actor, pk: int) -> SupervisionNotice | None:
    """One notice the actor may see, or None (a page answers 404)."""
    return notices_visible_to(actor).filter(pk=pk).first()
