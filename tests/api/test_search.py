"""The API's `?search=` asks cases.search (tests/test_case_search.py tests the search itself): the
same answers and the same queries as a plain list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_api_search_costs_the_queries_of_a_plain_list(county, as_user):
    caller = as_user(county.office)
    for _ in range(3):
        county.submitted(title="厂区道路积水")
    caller.get("cases/", {"search": "积水"})  # warm up: the caches, the bigrams' statistics

    def count(params):
        with CaptureQueriesContext(connection) as captured:
            answer = caller.get("cases/", params)
        assert answer.status_code == 200
        return len(captured), answer.json()

    plain, _ = count({})
    searched, answer = count({"search": "积水 荣信"})
    assert searched == plain and answer["count"] == 3


def test_the_api_search_finds_descriptions_and_enterprise_names(county, as_user):
    road = county.submitted(title="厂区道路积水")
    poultry = county.submitted(enterprise=county.poultry)
    caller = as_user(county.office)
    ids = lambda text: {c["id"] for c in caller.get("cases/", {"search": text}).json()["results"]}  # noqa: E731
    assert ids("道路积水") == {road.pk}
    assert ids("桂柳") == {poultry.pk}
    assert ids("电压 桂柳家禽") == {poultry.pk}
