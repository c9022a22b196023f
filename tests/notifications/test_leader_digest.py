"""County leaders read their task forces' late cases in one daily digest instead of a message per
escalated case (configurable by the office or LEADER_DAILY_DIGEST)."""

import datetime as dt

import pytest

from notifications.digest import digest_send
from notifications.integrations import county_settings
from notifications.models import Notification
from notifications.reminders import reminders_sweep
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db

N = Notification


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


def late_cases(county):
    overdue = county.assigned(assigned_at=at(2021, 4, 1, 10, 0))  # long past both deadlines
    elsewhere = county.assigned(county.poultry, assigned_at=at(2021, 4, 1, 10, 0))  # no task force
    on_time = county.assigned(assigned_at=at(2021, 5, 7, 10, 0))
    return overdue, elsewhere, on_time


def leader_messages(county, kind):
    return list(N.objects.filter(user=county.li, kind=kind, channel=N.Channel.IN_APP))


def test_a_leader_gets_one_digest_of_their_task_forces_late_cases(county, settings):
    settings.LEADER_DAILY_DIGEST = None  # the office's choice holds: on by default
    overdue, elsewhere, on_time = late_cases(county)
    reminders_sweep(now=at(2021, 5, 10, 9, 0))
    assert leader_messages(county, N.Kind.REMINDER) == []  # no ping per case

    digest_send(now=at(2021, 5, 10, 8, 30))
    (digest,) = leader_messages(county, N.Kind.DIGEST)
    assert overdue.number in digest.body
    assert elsewhere.number not in digest.body  # not a case of li's task force
    assert on_time.number not in digest.body
    assert "已逾期 1 件" in digest.title
    assert digest_send(now=at(2021, 5, 10, 9, 30)) == 0  # once a day
    assert len(leader_messages(county, N.Kind.DIGEST)) == 1


def test_the_office_can_choose_a_message_per_case_instead(county, settings):
    settings.LEADER_DAILY_DIGEST = None
    row = county_settings(None)
    row.leader_daily_digest = False
    row.save()
    late_cases(county)
    reminders_sweep(now=at(2021, 5, 10, 9, 0))
    assert leader_messages(county, N.Kind.REMINDER)
    digest_send(now=at(2021, 5, 10, 8, 30))
    assert leader_messages(county, N.Kind.DIGEST) == []


def test_the_environment_overrides_the_office(county, settings):
    settings.LEADER_DAILY_DIGEST = False
    late_cases(county)
    reminders_sweep(now=at(2021, 5, 10, 9, 0))
    assert leader_messages(county, N.Kind.REMINDER)


def test_each_county_keeps_its_own_choice(county, second_county, settings):
    """修水县's office chose a message per case; 进贤县 keeps the digest: each county's leaders are
    told its own way, in the same sweep and the same digest run."""
    settings.LEADER_DAILY_DIGEST = None
    row = county_settings(second_county.steel.county_id)
    row.leader_daily_digest = False
    row.save()
    late_cases(county)
    late_cases(second_county)
    reminders_sweep(now=at(2021, 5, 10, 9, 0))
    assert leader_messages(county, N.Kind.REMINDER) == []
    assert leader_messages(second_county, N.Kind.REMINDER)
    digest_send(now=at(2021, 5, 10, 8, 30))
    assert len(leader_messages(county, N.Kind.DIGEST)) == 1
    assert leader_messages(second_county, N.Kind.DIGEST) == []
