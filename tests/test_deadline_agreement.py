"""One case, one story: every surface reports the same lateness and level for the same case.

Cases are built in every state and deadline situation — due today, overdue by less than a working
day, 1 and 4 working days late at each deadline, suspended, extended, reopened, replied, and late
across a holiday the office entered — and then read through every surface the county sees: the
督办 board, the department inbox, the case page, the enterprise's portal, the API's detail and its
`?overdue=true` filter, the dashboard's counts, the evaluation's overdue figure and the level the
reminder sweep sends.

The expectations are written here from the rules themselves (whole working days after the due day
that have ended; 预警 on the due day, 逾期 after the deadline, 督办 at 1 working day late, 挂牌督办 at
3), not read from cases.deadlines: a surface that counted on its own would disagree with them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from analysis import evaluation, metrics
from analysis.periods import Period
from cases import escalation, workflow
from cases.models import CalendarOverride, Case
from cases.selectors import work_calendar
from cases.workdays import end_of_day, local_date
from notifications.models import Reminder
from notifications.reminders import reminders_replan_all, reminders_sweep
from tests.api.conftest import token_for


@dataclass
class Expected:
    overdue: bool
    late: int | None  # whole working days late (None: no deadline runs)
    level: int | None  # the ladder's level now (None: none reached or none runs)


def _level(due_day: dt.date, today: dt.date, overdue: bool, late: int) -> int | None:
    if late >= 3:
        return 3
    if late >= 1:
        return 2
    if overdue:
        return 1
    return 0 if due_day <= today else None


@pytest.fixture
def situations(county):
    """The cases, each with what every surface must say about it."""
    now = timezone.now()
    today = local_date(now)
    yesterday = today - dt.timedelta(days=1)
    # The office takes a recent working day off (a local holiday): lateness across it skips it.
    plain = work_calendar()
    back = [d for d in (yesterday - dt.timedelta(days=i) for i in range(40)) if plain.is_workday(d)]
    holiday = back[1]
    CalendarOverride.objects.create(
        date=holiday, kind=CalendarOverride.Kind.HOLIDAY, note="县里调整放假"
    )
    calendar = work_calendar()
    # working[k]: a working day with exactly k working days after it, up to yesterday
    working = [
        d for d in (yesterday - dt.timedelta(days=i) for i in range(40)) if calendar.is_workday(d)
    ]
    assert holiday not in working

    made: dict[int, Expected] = {}
    far = end_of_day(today + dt.timedelta(days=60))

    def assigned(due_day: dt.date, late: int, overdue: bool = True) -> Case:
        case = county.assigned(lead_department=county.gxj)
        Case.objects.filter(pk=case.pk).update(
            contact_due_at=end_of_day(due_day), resolve_due_at=far
        )
        made[case.pk] = Expected(overdue, late, _level(due_day, today, overdue, late))
        return case

    def handling(due_day: dt.date, late: int, overdue: bool = True) -> Case:
        case = county.in_progress(lead_department=county.gxj)
        Case.objects.filter(pk=case.pk).update(resolve_due_at=end_of_day(due_day))
        made[case.pk] = Expected(overdue, late, _level(due_day, today, overdue, late))
        return case

    assigned(today, 0, overdue=False)  # due today: 预警
    assigned(yesterday, 0)  # overdue, no whole working day lost yet
    assigned(working[1], 1)
    assigned(working[4], 4)
    handling(today, 0, overdue=False)
    handling(working[1], 1)
    handling(working[4], 4)
    # 3 working days late on the plain calendar, 2 once the office's holiday is skipped
    across = handling(back[3], 2)
    assert back[3] == working[2] < holiday

    # suspended long after its deadline: its clocks stopped, on no surface overdue
    suspended = county.in_progress(lead_department=county.gxj)
    Case.objects.filter(pk=suspended.pk).update(resolve_due_at=end_of_day(working[6]))
    suspended.refresh_from_db()
    Case.objects.filter(pk=suspended.pk).update(suspended_at=now - dt.timedelta(days=20))
    made[suspended.pk] = Expected(False, None, None)

    # extended: the approved extension moved the resolve deadline into the future
    extended = county.in_progress(lead_department=county.gxj)
    workflow.case_request_extension(
        actor=county.dan, case=extended, resolve_due_at=far, reason="需协调省电力公司"
    )
    workflow.case_decide_extension(actor=county.office, case=extended, approve=True)
    made[extended.pk] = Expected(False, 0, None)

    # reopened after a dissatisfied rating, then late on its new resolve deadline
    reopened = county.replied(lead_department=county.gxj)
    workflow.case_rate(actor=county.eva, case=reopened, rating=Case.Rating.DISSATISFIED)
    Case.objects.filter(pk=reopened.pk).update(resolve_due_at=end_of_day(working[2]))
    made[reopened.pk] = Expected(True, 2, 2)

    replied = county.replied(lead_department=county.gxj)
    made[replied.pk] = Expected(False, None, None)

    assert Case.objects.get(pk=across.pk).status == Case.Status.IN_PROGRESS
    reminders_replan_all()  # the deadlines above were set around the workflow
    return now, made


def _current_clock(case_status: str, contact, resolve):
    return contact if case_status == Case.Status.ASSIGNED else resolve


def _html_late(text: str) -> int:
    found = re.search(r"逾期\s*(\d+)\s*个工作日", text)
    return int(found.group(1)) if found else 0


@pytest.mark.django_db
def test_every_surface_tells_the_same_story(county, client, situations):
    now, made = situations
    statuses = dict(Case.objects.values_list("pk", "status"))

    # 督办 board
    client.force_login(county.office)
    board = client.get("/office/board/")
    assert board.status_code == 200
    on_board = {case.pk: standing for case, standing in board.context["rows"]}
    for pk, expected in made.items():
        if expected.level is None:
            assert pk not in on_board, pk
        else:
            standing = on_board[pk]
            assert (standing.level, standing.working_days_late) == (
                expected.level,
                expected.late,
            ), pk
    html = board.content.decode()
    for pk, expected in made.items():
        if expected.level is not None and expected.late:
            row = re.search(rf'id="board-case-{pk}".*?</tr>', html, re.S).group(0)
            assert _html_late(row) == expected.late, pk
    total = re.search(r"共逾期 (\d+) 件", html)
    assert int(total.group(1)) == sum(e.overdue for e in made.values())

    # the case page, as the office reads it
    for pk, expected in made.items():
        page = client.get(f"/cases/{pk}/")
        clock = _current_clock(
            statuses[pk], page.context["contact_clock"], page.context["resolve_clock"]
        )
        if expected.late is None:
            assert clock is None or not clock.overdue, pk
            continue
        assert (clock.overdue, clock.working_days_late) == (expected.overdue, expected.late), pk
        text = re.search(
            r'id="(?:contact|resolve)-clock">(.*?)</dd>'
            if statuses[pk] == Case.Status.ASSIGNED
            else r'id="resolve-clock">(.*?)</dd>',
            page.content.decode(),
            re.S,
        ).group(1)
        assert _html_late(text) == expected.late, pk

    # the department inbox, as the lead department's clerk reads it
    clerk = Client()
    clerk.force_login(county.dan)
    inbox = clerk.get("/dept/?leading_page=1").context["inbox"]
    rows = {row.case.pk: row for section in (inbox.urgent, inbox.leading) for row in section}
    for pk, expected in made.items():
        if expected.late is None:
            assert pk not in rows or rows[pk].clock is None, pk
            continue
        clock = rows[pk].clock
        assert (clock.overdue, clock.working_days_late, clock.level) == (
            expected.overdue,
            expected.late,
            expected.level,
        ), pk

    # the enterprise's portal
    enterprise = Client()
    enterprise.force_login(county.eva)
    portal_rows = {r.case.pk: r for r in enterprise.get("/portal/").context["rows"]}
    for pk, expected in made.items():
        if pk not in portal_rows:
            assert statuses[pk] not in (Case.Status.ASSIGNED, Case.Status.IN_PROGRESS), pk
            continue
        row = portal_rows[pk]
        clock = _current_clock(statuses[pk], row.contact, row.resolve)
        if expected.late is None:
            assert clock is None or not clock.overdue, pk
            continue
        assert (clock.overdue, clock.working_days_late) == (expected.overdue, expected.late), pk

    # the API: detail and the overdue filter
    api = Client(HTTP_AUTHORIZATION=f"Token {token_for(county.office)}")
    for pk, expected in made.items():
        body = api.get(f"/api/v1/cases/{pk}/").json()
        assert (body["overdue"], body["working_days_late"], body["level"]) == (
            expected.overdue,
            expected.late,
            expected.level,
        ), (pk, body)
    listed = api.get("/api/v1/cases/", {"overdue": "true", "page_size": 100}).json()["results"]
    assert {c["id"] for c in listed} == {pk for pk, e in made.items() if e.overdue}

    # the dashboard's counts and the evaluation's overdue figure
    calendar = work_calendar()
    figures = metrics.overview(Case.objects.all(), now, calendar)
    assert figures.overdue == sum(e.overdue for e in made.values())
    # 挂牌督办 is the office's decision: the ladder's top level only proposes it (建议挂牌).
    assert escalation.proposed_count(Case.objects.all(), now, calendar) == sum(
        e.level == 3 for e in made.values()
    )
    assert figures.listed == 0
    ranking = evaluation.department_evaluation(Case.objects.all(), Period(), now=now)
    [gxj] = [row for row in ranking.rows if row.department == county.gxj]
    assert gxj.stats.overdue == sum(e.overdue for e in made.values())

    # the level the sweep sends
    reminders_sweep(now=now)
    sent = dict(
        Reminder.objects.values("case_id").annotate(top=Max("level")).values_list("case_id", "top")
    )
    for pk, expected in made.items():
        assert sent.get(pk) == expected.level, pk


def test_the_expectations_follow_the_rules_not_the_module():
    """The helper this test measures by (no calendar involved)."""
    today = dt.date(2026, 12, 3)
    assert _level(today, today, False, 0) == 0
    assert _level(today - dt.timedelta(days=1), today, True, 0) == 1
    assert _level(today - dt.timedelta(days=2), today, True, 1) == 2
    assert _level(today - dt.timedelta(days=9), today, True, 4) == 3
