"""Case list, detail and timeline run a fixed number of queries, whatever the page or the history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import workflow
from tests.api.conftest import case_url

pytestmark = pytest.mark.django_db


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = call()
    assert answer.status_code == 200
    return len(captured)


def make_cases(county, n: int) -> list:
    cases = []
    for _ in range(n):
        case = county.in_progress(co_departments=[county.rsj, county.power])
        cases.append(case)
    return cases


@pytest.mark.parametrize("who", ["office", "dan", "eva"])
def test_the_case_list_costs_the_same_for_3_cases_as_for_30(
    county, as_user, django_assert_num_queries, who
):
    caller = as_user(getattr(county, who))
    make_cases(county, 3)
    caller.get("cases/")  # the caller's roles and calendar, remembered from here (web.remembered)
    few = queries(lambda: caller.get("cases/"))
    make_cases(county, 27)
    with django_assert_num_queries(few):
        assert len(caller.get("cases/").json()["results"]) == 30
    with django_assert_num_queries(few):
        assert len(caller.get("cases/", {"page_size": 3}).json()["results"]) == 3
    # token, the count, the page, its co-departments (the actor's three and the calendar's
    # overrides are read by the first request and remembered)
    assert few <= 4


def test_a_case_costs_the_same_with_3_events_as_with_30(county, as_user, django_assert_num_queries):
    case = make_cases(county, 1)[0]
    dan = as_user(county.dan)
    dan.get(case_url(case))  # the caller's roles and calendar, remembered from here
    detail = queries(lambda: dan.get(case_url(case)))
    timeline = queries(lambda: dan.get(case_url(case, "events")))
    for n in range(27):
        workflow.case_add_progress(
            actor=county.dan, case=case, note=f"第{n}次调度", public=n % 2 == 0
        )
    with django_assert_num_queries(detail):
        dan.get(case_url(case))
    with django_assert_num_queries(timeline):
        assert dan.get(case_url(case, "events")).json()["count"] == 30
    assert detail <= 3


def test_the_enterprise_timeline_costs_the_same_whatever_its_length(
    county, as_user, django_assert_num_queries
):
    case = make_cases(county, 1)[0]
    eva = as_user(county.eva)
    eva.get(case_url(case, "events"))  # the caller's roles, remembered from here
    few = queries(lambda: eva.get(case_url(case, "events")))
    for n in range(27):
        workflow.case_add_progress(actor=county.dan, case=case, note=f"第{n}次", public=True)
    with django_assert_num_queries(few):
        eva.get(case_url(case, "events"))
