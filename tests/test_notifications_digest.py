"""定期调度: the morning digest, per department and county-wide, on working days only."""

import datetime as dt

import pytest

from cases import workflow
from notifications.digest import digest_send
from notifications.models import Notification
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


@pytest.fixture
def open_cases(county):
    due_today = county.assigned(assigned_at=at(2021, 5, 5, 10, 0))  # contact due Sat 05-08
    overdue = county.assigned(assigned_at=at(2021, 4, 22, 10, 0))  # contact due 04-26
    suspended = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=suspended, reason="等企业材料")
    workflow.case_decide_suspension(actor=county.office, case=suspended, approve=True)
    county.assigned(lead_department=county.rsj)  # due weeks from now
    county.closed()  # not open: counted nowhere
    return due_today, overdue, suspended


def digests(user) -> list[Notification]:
    return list(
        Notification.objects.filter(
            user=user, kind=Notification.Kind.DIGEST, channel=Notification.Channel.IN_APP
        )
    )


def test_each_department_with_open_cases_gets_its_digest_on_a_working_morning(county, open_cases):
    due_today, overdue, suspended = open_cases
    assert digest_send(now=at(2021, 5, 8, 8, 30)) > 0  # a make-up Saturday is a working day

    (mine,) = digests(county.dan)
    assert (
        mine.title
        == "【每日调度】县工信局 2021-05-08：在办 3 件，今日到期 1 件，已逾期 1 件，挂起中 1 件"
    )
    for case in open_cases:
        assert case.number in mine.body
    assert mine.body.index(due_today.number) < mine.body.index(overdue.number)
    assert len(digests(county.hu)) == 1
    (theirs,) = digests(county.ren)
    assert (
        theirs.title
        == "【每日调度】县人社局 2021-05-08：在办 1 件，今日到期 0 件，已逾期 0 件，挂起中 0 件"
    )
    assert digests(county.eva) == []
    # li, the county leader of 荣信钢构's task force, reads its late cases only (issue 21).
    (leaders,) = digests(county.li)
    assert "已逾期 1 件" in leaders.title and overdue.number in leaders.body
    assert due_today.number not in leaders.body


def test_the_office_gets_the_county_wide_digest(county, open_cases):
    digest_send(now=at(2021, 5, 8, 8, 30))
    for user in (county.office, county.office_head):
        (county_wide,) = digests(user)
        assert county_wide.title.startswith(
            "【每日调度】全县 2021-05-08：在办 4 件，今日到期 1 件，已逾期 1 件"
        )


@pytest.mark.parametrize(
    "day",
    [dt.date(2021, 5, 9), dt.date(2021, 5, 3), dt.date(2021, 10, 4)],
    ids=["sunday", "may-day-holiday", "national-day"],
)
def test_no_digest_on_a_day_off(county, open_cases, day):
    assert digest_send(now=at(day.year, day.month, day.day, 8, 30)) == 0
    assert not Notification.objects.filter(kind=Notification.Kind.DIGEST).exists()


def test_a_second_run_on_the_same_day_sends_nothing_new(county, open_cases):
    first = digest_send(now=at(2021, 5, 8, 8, 30))
    assert digest_send(now=at(2021, 5, 8, 9, 0)) == 0
    assert Notification.objects.filter(kind=Notification.Kind.DIGEST).count() == first
    assert digest_send(now=at(2021, 5, 10, 8, 30)) == first  # the next working day


def test_a_department_robot_gets_the_digest(county, open_cases):
    county.gxj.webhook_url = "http://127.0.0.1:9/robot"
    county.gxj.save()
    digest_send(now=at(2021, 5, 8, 8, 30))
    assert Notification.objects.filter(
        kind=Notification.Kind.DIGEST, channel=Notification.Channel.WEBHOOK, department=county.gxj
    ).exists()


def test_a_county_local_holiday_skips_only_that_countys_digest(county, second_county):
    """修水县 keeps Monday 10 May 2021 as a day off of its own: its departments, office and leaders
    get no digest that morning; 进贤县's get theirs. Tuesday, 修水县's new problems since Friday's
    digest (its previous working day) are in its office's digest."""
    from cases.calendar import Entry, calendar_enter

    place = second_county.steel.county
    calendar_enter(entries=[Entry(dt.date(2021, 5, 10), working=False)], county_id=place.pk)
    county.assigned(assigned_at=at(2021, 4, 22, 10, 0))
    second_county.assigned(assigned_at=at(2021, 4, 22, 10, 0))
    assert digest_send(now=at(2021, 5, 10, 8, 30)) > 0
    assert len(digests(county.dan)) == 1 and len(digests(county.office)) == 1
    assert digests(second_county.dan) == [] and digests(second_county.office) == []
    digest_send(now=at(2021, 5, 11, 8, 30))
    assert len(digests(second_county.dan)) == 1
