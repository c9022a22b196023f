"""The deadline sweep against the real database: who is told what, when, and never twice.

The county of tests/conftest.py: 县工信局 (Dan its clerk, Hu its head) leads the cases of 荣信钢构,
whose task force Li leads; Ou's office (office, office_head) supervises. Times are Beijing time in
2021, a year whose holidays and make-up days are published.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent
from notifications.models import Notification, Reminder
from notifications.reminders import reminders_replan_all, reminders_sweep
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


def sweep(*args) -> int:
    return reminders_sweep(now=at(*args)).reminders


def reminders_for(user) -> list[str]:
    return list(
        Notification.objects.filter(
            user=user, channel=Notification.Channel.IN_APP, kind=Notification.Kind.REMINDER
        )
        .order_by("id")
        .values_list("title", flat=True)
    )


def rungs(case) -> list[tuple[str, int]]:
    return list(case.reminders.order_by("id").values_list("deadline", "level"))


def test_a_historical_case_gets_its_current_level_once_not_a_burst(county):
    case = county.assigned(assigned_at=at(2021, 4, 22, 10, 0))  # contact due 04-26, resolve 05-08

    assert sweep(2021, 6, 1, 9, 0) == 2
    assert rungs(case) == [("contact", 3), ("resolve", 3)]
    assert len(reminders_for(county.dan)) == 2
    assert case.events.filter(kind=CaseEvent.Kind.REMINDER).count() == 2
    case.refresh_from_db()
    assert case.escalation_level == Case.Escalation.FLAGGED
    assert case.next_reminder_at is None  # both ladders are done

    assert sweep(2021, 6, 2, 9, 0) == 0
    assert sweep(2022, 1, 1, 9, 0) == 0
    assert len(reminders_for(county.dan)) == 2


def test_each_level_tells_more_people(county, settings):
    settings.LEADER_DAILY_DIGEST = False  # county leaders told per case (else: their daily digest)
    case = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))  # contact due Thursday 06-03
    assert case.contact_due_at == at(2021, 6, 3, 23, 59, 59)

    assert sweep(2021, 6, 2, 12, 0) == 0
    assert sweep(2021, 6, 3, 8, 0) == 1  # warning
    assert sweep(2021, 6, 4, 8, 0) == 1  # overdue
    assert sweep(2021, 6, 5, 8, 0) == 1  # escalated: all of Friday was lost
    assert sweep(2021, 6, 8, 8, 0) == 0  # Monday was the 2nd working day lost
    assert sweep(2021, 6, 9, 8, 0) == 1  # flagged

    assert rungs(case) == [("contact", 0), ("contact", 1), ("contact", 2), ("contact", 3)]
    assert [len(reminders_for(u)) for u in (county.dan, county.hu, county.li)] == [4, 3, 2]
    assert [len(reminders_for(u)) for u in (county.office, county.office_head)] == [2, 1]
    for outsider in (county.ren, county.carl, county.eva, county.sam):
        assert reminders_for(outsider) == []
    # The top level proposes listing; 挂牌督办 is the office's decision (tests/test_listing.py).
    assert reminders_for(county.office_head)[0].startswith(f"【建议挂牌】{case.number}")
    case.refresh_from_db()
    assert case.escalation_level == Case.Escalation.FLAGGED


def test_a_case_accepted_before_its_deadline_gets_no_overdue_reminder(county):
    case = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))
    assert sweep(2021, 6, 3, 8, 0) == 1
    workflow.case_accept(
        actor=county.dan, case=case, contact_note="上门对接", now=at(2021, 6, 3, 15, 0)
    )

    for day in (4, 5, 9, 10):
        assert sweep(2021, 6, day, 8, 0) == 0
    assert rungs(case) == [("contact", 0)]
    case.refresh_from_db()
    # The resolve deadline (10 working days, past the Dragon Boat holiday) is what comes next.
    assert case.next_reminder_at == at(2021, 6, 15, 0, 0)
    assert case.escalation_level is None


def test_a_suspended_case_gets_no_reminder_until_it_resumes(county):
    case = county.in_progress(assigned_at=at(2021, 5, 31, 10, 0))
    first_due = case.resolve_due_at
    workflow.case_request_suspension(actor=county.dan, case=case, reason="企业尚未提供用电申请材料")
    workflow.case_decide_suspension(
        actor=county.office, case=case, approve=True, now=at(2021, 6, 8, 10, 0)
    )
    case.refresh_from_db()
    assert case.next_reminder_at is None

    assert sweep(2021, 6, 16, 9, 0) == 0  # the old deadline passed while suspended
    assert sweep(2021, 6, 25, 9, 0) == 0

    case = workflow.case_resume(actor=county.dan, case=case, now=at(2021, 6, 28, 9, 0))
    assert case.resolve_due_at > first_due
    assert sweep(2021, 6, 28, 10, 0) == 0
    assert sweep(case.resolve_due_at.year, 12, 31, 0, 0) == 1
    assert list(case.reminders.values_list("deadline", "due_at", "level")) == [
        ("resolve", case.resolve_due_at, 3)
    ]


def test_the_citys_late_deadlines_on_a_case_are_no_rungs_of_its_ladder(county, client):
    """notifications.city_reminders writes its rows to Reminder too, on the escalation's case: the
    ladder, the cursor, the level, the timeline and the case page read past them."""
    with_city, plain = (county.assigned(assigned_at=at(2021, 5, 31, 10, 0)) for _twin in "ab")
    due = with_city.contact_due_at  # Thursday 06-03, the same instant as the city rows'
    for kind in Reminder.CITY_DEADLINES:  # told before the case's own ladder began
        Reminder.objects.create(
            case=with_city, deadline=kind, due_at=due, level=1, sent_at=at(2021, 6, 1, 9, 0)
        )
    Reminder.objects.create(
        case=with_city,
        deadline=Reminder.Deadline.CITY_ANSWER,
        due_at=with_city.resolve_due_at,
        level=1,
        sent_at=at(2021, 6, 1, 9, 0),
    )
    for case in (with_city, plain):
        case.refresh_from_db()
    assert with_city.next_reminder_at == plain.next_reminder_at  # replanned on creation too

    def ladder(case):
        case.refresh_from_db()
        return (
            list(
                case.reminders.filter(deadline__in=Reminder.CASE_DEADLINES)
                .order_by("id")
                .values_list("deadline", "due_at", "level")
            ),
            case.next_reminder_at,
            case.escalation_level,
            case.events.filter(kind=CaseEvent.Kind.REMINDER).count(),
        )

    for day in (3, 4, 5):  # warning, overdue, escalated: one rung each, for each twin
        assert sweep(2021, 6, day, 8, 0) == 2
        assert ladder(with_city) == ladder(plain)
    assert ladder(with_city)[0] == [("contact", due, level) for level in (0, 1, 2)]
    assert ladder(with_city)[2] == Case.Escalation.ESCALATED
    assert reminders_replan_all() == 0  # the city rows move no cursor
    assert ladder(with_city) == ladder(plain)
    assert with_city.reminders.count() == 3 + 3  # the city's rows stay, untouched

    client.force_login(county.office)
    pages = [client.get(reverse("case_detail", args=[c.pk])).context for c in (with_city, plain)]
    assert pages[0]["case"].escalation_label == pages[1]["case"].escalation_label == "督办"
    assert [e.kind for e in pages[0]["events"]] == [e.kind for e in pages[1]["events"]]
    api = [client.get(f"/api/v1/cases/{c.pk}/").json() for c in (with_city, plain)]
    assert api[0]["escalation_level"] == api[1]["escalation_level"] == Case.Escalation.ESCALATED


def test_a_deadline_on_a_make_up_saturday_is_warned_that_saturday(county):
    # Assigned on 5 May 2021, the last May Day holiday: the 3rd working day is Saturday 8 May.
    case = county.assigned(assigned_at=at(2021, 5, 5, 10, 0))
    assert case.contact_due_at == at(2021, 5, 8, 23, 59, 59)

    assert sweep(2021, 5, 7, 22, 0) == 0
    assert sweep(2021, 5, 8, 8, 0) == 1
    assert sweep(2021, 5, 10, 18, 0) == 1  # overdue since Sunday; Monday is not yet lost
    assert sweep(2021, 5, 11, 0, 30) == 1
    assert sweep(2021, 5, 12, 9, 0) == 0
    assert sweep(2021, 5, 13, 0, 30) == 1
    assert rungs(case) == [("contact", 0), ("contact", 1), ("contact", 2), ("contact", 3)]


def test_a_reply_stops_the_resolve_ladder_and_a_return_stops_the_contact_ladder(county):
    replied = county.replied(assigned_at=at(2021, 5, 31, 10, 0))
    returned = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))
    workflow.case_return(actor=county.dan, case=returned, reason="不属于本单位职责")
    for case in (replied, returned):
        case.refresh_from_db()
        assert case.next_reminder_at is None

    assert sweep(2021, 7, 1, 9, 0) == 0
    assert Reminder.objects.count() == 0


def test_a_case_reopened_by_a_dissatisfied_rating_climbs_a_fresh_ladder(county):
    case = county.replied(assigned_at=at(2021, 4, 22, 10, 0))
    case = workflow.case_rate(actor=county.eva, case=case, rating="dissatisfied", comment="没解决")
    assert case.status == Case.Status.IN_PROGRESS
    assert case.next_reminder_at is not None
    assert sweep(2030, 1, 1, 9, 0) == 1
    assert rungs(case) == [("resolve", 3)]


def test_an_approved_extension_starts_the_ladder_again_at_the_new_deadline(county):
    case = county.in_progress(assigned_at=at(2021, 5, 31, 10, 0))
    old_due = case.resolve_due_at
    assert sweep(2021, 6, 15, 8, 0) == 1  # warning: due today
    new_due = at(2021, 6, 30, 23, 59, 59)
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=new_due,
        reason="设备到货延迟",
        now=at(2021, 6, 15, 9, 0),
    )
    workflow.case_decide_extension(actor=county.office, case=case, approve=True)

    assert sweep(2021, 6, 16, 8, 0) == 0  # the old deadline no longer runs
    assert sweep(2021, 6, 30, 8, 0) == 1
    assert list(case.reminders.order_by("id").values_list("due_at", "level")) == [
        (old_due, 0),
        (new_due, 0),
    ]


def test_a_reminder_leaves_a_line_on_the_internal_timeline(county):
    case = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))
    sweep(2021, 6, 4, 8, 0)
    event = case.events.get(kind=CaseEvent.Kind.REMINDER)
    assert not event.public
    assert event.department == county.gxj
    assert event.data["deadline"] == "contact" and event.data["level"] == 1
    assert event.note.startswith("【逾期】")


def test_a_department_without_staff_still_has_its_reminder_recorded(county):
    case = county.assigned(assigned_at=at(2021, 5, 31, 10, 0), lead_department=county.power)
    assert sweep(2021, 6, 4, 8, 0) == 1
    assert rungs(case) == [("contact", 1)]
    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER).exists()


def test_the_command_runs_the_same_sweep_and_sends_nothing_new_the_second_time(county):
    county.assigned(assigned_at=timezone.now() - dt.timedelta(days=60))
    out = _call("sweep_deadlines")
    assert "Sent 2 reminder(s)" in out
    assert "Sent 0 reminder(s)" in _call("sweep_deadlines")


def test_replanning_gives_cases_loaded_around_the_workflow_their_cursor(county):
    case = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))
    Case.objects.filter(pk=case.pk).update(next_reminder_at=None)
    assert sweep(2021, 6, 4, 8, 0) == 0
    assert reminders_replan_all() == 1
    assert sweep(2021, 6, 4, 8, 0) == 1


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- cost -------------------------------------------------------------------------------------


def bulk_cases(county, n: int, *, due: dt.datetime, next_reminder_at: dt.datetime | None):
    start = Case.objects.count()
    Case.objects.bulk_create(
        Case(
            number=f"B-{start + i:06d}",
            year=2021,
            sequence=100000 + start + i,
            title=f"批量问题 {i}",
            category=county.power_category,
            enterprise=county.steel,
            county=county.steel.county,
            source=Case.Source.IMPORT,
            status=Case.Status.ASSIGNED,
            lead_department=county.gxj,
            assigned_at=due - dt.timedelta(days=5),
            contact_due_at=due,
            resolve_due_at=due + dt.timedelta(days=20),
            next_reminder_at=next_reminder_at,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [10, 200])
def test_a_sweep_with_nothing_due_runs_one_query_however_many_cases(
    county, n, django_assert_num_queries
):
    now = at(2021, 6, 1, 9, 0)
    due = at(2021, 6, 10, 23, 59, 59)
    bulk_cases(county, n, due=due, next_reminder_at=at(2021, 6, 10, 0, 0))
    bulk_cases(county, n, due=at(2021, 5, 1, 23, 59, 59), next_reminder_at=None)  # finished
    with django_assert_num_queries(1):
        assert reminders_sweep(now=now).reminders == 0


def test_a_due_sweep_costs_the_same_queries_for_5_or_50_due_cases(county):
    counts = []
    for n, day in ((5, 1), (50, 2)):
        due = at(2021, 6, day, 23, 59, 59)
        bulk_cases(county, n, due=due, next_reminder_at=at(2021, 6, day, 0, 0))
        with CaptureQueriesContext(connection) as queries:
            assert reminders_sweep(now=at(2021, 6, day, 8, 0)).reminders == n
        counts.append(len(queries))
        Case.objects.update(next_reminder_at=None)  # park this round's cases
    assert counts[0] == counts[1]
    assert counts[0] <= 15


def test_a_calendar_change_in_the_admin_replans_the_reminders(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    import datetime as dt

    from cases.models import CalendarOverride

    replans = []
    monkeypatch.setattr(
        "notifications.reminders.reminders_replan_all", lambda **kwargs: replans.append(1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/cases/calendaroverride/add/",
            {"date": "2031-03-07", "kind": "holiday", "note": "x"},
        )
    assert CalendarOverride.objects.filter(date=dt.date(2031, 3, 7)).exists()
    assert replans == [1]


def test_a_county_local_holiday_delays_only_that_countys_ladder_at_one_query_per_county(
    county, second_county
):
    from cases.models import CalendarOverride

    # Both counties' cases were due on Friday 4 June 2021; 修水县 alone makes Monday 7 June a
    # holiday of its own. On Tuesday just after midnight 进贤县's case has lost a working day
    # (level 2); 修水县's has lost none yet (level 1) and climbs only once Tuesday is lost.
    CalendarOverride.objects.create(
        date=dt.date(2021, 6, 7),
        kind=CalendarOverride.Kind.HOLIDAY,
        note="县里的节日",
        county=second_county.steel.county,
    )
    due = at(2021, 6, 4, 23, 59, 59)
    bulk_cases(county, 3, due=due, next_reminder_at=at(2021, 6, 4, 0, 0))
    bulk_cases(second_county, 3, due=due, next_reminder_at=at(2021, 6, 4, 0, 0))
    with CaptureQueriesContext(connection) as queries:
        assert reminders_sweep(now=at(2021, 6, 8, 0, 30)).reminders == 6
    calendar_reads = [q for q in queries if "cases_calendaroverride" in q["sql"]]
    assert len(calendar_reads) == 2  # one per county, however many cases each has

    def levels(place) -> set[int | None]:
        return set(
            Case.objects.filter(county=place.steel.county).values_list(
                "escalation_level", flat=True
            )
        )

    assert levels(county) == {2}
    assert levels(second_county) == {1}
    reminders_sweep(now=at(2021, 6, 9, 0, 30))
    assert levels(second_county) == {2}


def test_the_sweep_reads_each_countys_calendar_once_however_many_batches(
    county, second_county, settings
):
    settings.REMINDER_SWEEP_BATCH_SIZE = 2
    due = at(2021, 6, 4, 23, 59, 59)
    bulk_cases(county, 5, due=due, next_reminder_at=at(2021, 6, 4, 0, 0))
    bulk_cases(second_county, 5, due=due, next_reminder_at=at(2021, 6, 4, 0, 0))
    with CaptureQueriesContext(connection) as queries:
        assert reminders_sweep(now=at(2021, 6, 8, 0, 30)).reminders == 10
    assert sum("cases_calendaroverride" in q["sql"] for q in queries) == 2
