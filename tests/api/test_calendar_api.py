"""The calendar API (api/views/calendar.py): when a number of working days ends, and a year's days
off and days worked, each day with where its status comes from. Any signed-in user may ask."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import workflow
from cases.models import CalendarOverride
from tests.api.conftest import case_url
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def due(as_user, user, start: str, working_days):
    return as_user(user).get("calendar/due/", {"start": start, "working_days": working_days})


def test_three_working_days_from_2026_12_30_skip_new_years_day_2027_on_the_estimate(
    county, as_user
):
    answer = due(as_user, county.dan, "2026-12-30", 3)

    assert answer.status_code == 200
    body = answer.json()
    assert body["start"] == "2026-12-30" and body["working_days"] == 3
    assert body["due"] == "2027-01-05"
    assert body["due_at"] == "2027-01-05T23:59:59+08:00"
    assert body["estimated"] is True
    assert body["days"] == [
        {"date": "2026-12-31", "working": True, "source": "weekday", "name": ""},
        {"date": "2027-01-01", "working": False, "source": "statutory", "name": "元旦"},
        {"date": "2027-01-02", "working": False, "source": "weekday", "name": ""},
        {"date": "2027-01-03", "working": False, "source": "weekday", "name": ""},
        {"date": "2027-01-04", "working": True, "source": "weekday", "name": ""},
        {"date": "2027-01-05", "working": True, "source": "weekday", "name": ""},
    ]


@pytest.mark.parametrize(
    "start, expected",
    [
        ("2021-04-22", "2021-04-26"),  # Sunday 04-25 was worked (调休 for May Day)
        ("2021-04-29", "2021-05-07"),  # 1–5 May off
        ("2021-09-30", "2021-10-11"),  # 1–7 October off, Saturday the 9th worked
    ],
)
def test_the_worked_examples_come_from_the_published_schedule(county, as_user, start, expected):
    body = due(as_user, county.dan, start, 3).json()
    assert body["due"] == expected and body["estimated"] is False
    assert all(day["source"] in ("official", "weekday") for day in body["days"])


def test_a_make_up_sunday_is_named_after_its_holiday(county, as_user):
    days = due(as_user, county.dan, "2021-04-22", 3).json()["days"]
    assert {
        "date": "2021-04-25",
        "working": True,
        "source": "official",
        "name": "劳动节调休上班",
    } in days


def test_an_office_override_beats_the_official_schedule_and_the_estimate(county, as_user):
    CalendarOverride.objects.create(
        date=dt.date(2021, 4, 25), kind=CalendarOverride.Kind.HOLIDAY, note="县庆"
    )
    CalendarOverride.objects.create(
        date=dt.date(2027, 1, 1), kind=CalendarOverride.Kind.WORKDAY, note="补班"
    )

    official = due(as_user, county.dan, "2021-04-22", 3).json()
    estimate = due(as_user, county.dan, "2026-12-30", 3).json()

    assert official["due"] == "2021-04-27"
    assert {
        "date": "2021-04-25",
        "working": False,
        "source": "override",
        "name": "县庆",
    } in official["days"]
    assert estimate["due"] == "2027-01-04"
    # 2027 now has the office's entries: it is no longer an estimate.
    assert estimate["estimated"] is False


def test_the_names_follow_the_language_asked_for(county, as_user):
    answer = as_user(county.dan).get(
        "calendar/due/", {"start": "2026-12-30", "working_days": 3}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.json()["days"][1]["name"] == "New Year's Day"


def test_a_year_lists_its_weekdays_off_and_weekend_days_worked(county, as_user):
    estimated = as_user(county.eva).get("calendar/", {"year": 2027}).json()
    published = as_user(county.eva).get("calendar/", {"year": 2026}).json()

    assert estimated["year"] == 2027 and estimated["estimated"] is True
    assert [d["date"] for d in estimated["days"]] == [
        "2027-01-01",
        "2027-02-05",
        "2027-02-08",
        "2027-02-09",
        "2027-02-10",
        "2027-04-05",
        "2027-05-03",
        "2027-05-04",
        "2027-06-09",
        "2027-09-15",
        "2027-10-01",
        "2027-10-04",
        "2027-10-05",
    ]
    assert estimated["days"][3] == {
        "date": "2027-02-09",
        "working": False,
        "source": "statutory",
        "name": "春节（补假）",
    }
    assert published["estimated"] is False
    assert {
        "date": "2026-01-04",
        "working": True,
        "source": "official",
        "name": "元旦调休上班",
    } in (published["days"])


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-12-30", "working_days": 0}, "working_days"),
        ({"start": "2026-12-30", "working_days": 61}, "working_days"),
        ({"start": "2026-12-30", "working_days": "three"}, "working_days"),
        ({"start": "2026-12-30"}, "working_days"),
        ({"start": "2100-01-01", "working_days": 3}, "start"),
        ({"start": "1999-12-31", "working_days": 3}, "start"),
        ({"start": "30/12/2026", "working_days": 3}, "start"),
        ({"working_days": 3}, "start"),
    ],
)
def test_a_bad_count_is_a_400_naming_the_field(county, as_user, params, field):
    answer = as_user(county.dan).get("calendar/due/", params)
    assert answer.status_code == 400
    assert list(answer.json()) == [field]


@pytest.mark.parametrize("year", ["1999", "2100", "twenty", ""])
def test_a_bad_year_is_a_400_naming_the_field(county, as_user, year):
    answer = as_user(county.dan).get("calendar/", {"year": year})
    assert answer.status_code == 400 and list(answer.json()) == ["year"]


def test_the_last_days_of_2099_count_into_2100_without_failing(county, as_user):
    body = due(as_user, county.dan, "2099-12-31", 60).json()
    assert body["due"].startswith("2100-")


def test_any_signed_in_user_may_ask_and_nobody_else(county, as_user):
    assert due(as_user, county.sam, "2026-12-30", 3).status_code == 200
    assert due(as_user, None, "2026-12-30", 3).status_code == 401
    assert as_user(None).get("calendar/", {"year": 2027}).status_code == 401


def test_the_schema_documents_both_endpoints_and_the_cases_estimate(county, as_user):
    schema = as_user(county.dan).get("/api/schema/?format=json").json()
    assert "/api/v1/calendar/due/" in schema["paths"]
    assert "/api/v1/calendar/" in schema["paths"]
    case = schema["components"]["schemas"]["Case"]
    assert case["properties"]["estimated"]["type"] == "boolean"
    day = schema["components"]["schemas"]["CalendarDay"]["properties"]
    assert set(day) == {"date", "working", "source", "name"}


def test_a_case_says_when_its_running_deadline_rests_on_the_estimate(county, as_user, monkeypatch):
    new_years_eve_eve = dt.datetime(2026, 12, 30, 10, 0, tzinfo=CHINA)
    monkeypatch.setattr(workflow.steps, "_now", lambda now: now or new_years_eve_eve)
    estimated = county.assigned()
    monkeypatch.setattr(workflow.steps, "_now", lambda now: now or timezone.now())
    within_2026 = county.assigned(assigned_at=dt.datetime(2026, 6, 1, 10, tzinfo=CHINA))

    office = as_user(county.office)
    assert office.get(case_url(estimated)).json()["estimated"] is True
    assert office.get(case_url(within_2026)).json()["estimated"] is False
    listed = {c["id"]: c["estimated"] for c in office.get("cases/").json()["results"]}
    assert listed == {estimated.pk: True, within_2026.pk: False}
