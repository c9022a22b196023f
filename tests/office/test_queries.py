"""The inbox, the board and the close-out list cost the same queries for 2 cases as for a full
page, whatever the suggestions, duplicates, ratings and levels on it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case, Meeting
from office.filters import TriageFilter
from tests.factories import make_enterprise
from tests.plans import only_index

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=60)


def queries(client, url) -> int:
    client.get(url)  # warm up: the session and the first-request caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_inbox_cases(county, n):
    for i in range(n):
        enterprise = make_enterprise()
        case = county.submitted(enterprise=enterprise, title=f"园区道路未修通{i}")
        if i % 3 == 0:
            workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
            workflow.case_return(actor=county.dan, case=case, reason="不属于本单位")


def test_the_inbox_costs_the_same_for_few_and_many_cases(
    office_client, county, django_assert_max_num_queries
):
    Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT, title="交办会", held_on=dt.date(2021, 4, 22)
    )
    county.assigned()  # history for the suggestions
    add_inbox_cases(county, 2)
    few = queries(office_client, reverse("office:triage"))
    add_inbox_cases(county, 40)
    many = queries(office_client, reverse("office:triage"))
    assert few == many
    with django_assert_max_num_queries(few):
        office_client.get(reverse("office:triage"), {"page": 2})


def test_the_inbox_costs_the_same_for_few_and_many_batches(office_client, county):
    add_inbox_cases(county, 3)
    Case.objects.update(batch="第1批")
    few = queries(office_client, reverse("office:triage"))
    for n, case in enumerate(Case.objects.all()):
        Case.objects.filter(pk=case.pk).update(batch=f"第{n + 2}批")
    many = queries(office_client, reverse("office:triage"))
    assert few == many
    assert len(list(TriageFilter().form.fields["batch"].choices)) == Case.objects.count() + 1


def add_board_cases(county, n):
    for i in range(n):
        lead = county.gxj if i % 2 else county.rsj
        case = county.assigned(
            enterprise=make_enterprise(),
            lead_department=lead,
            co_departments=[county.power],
            assigned_at=LONG_AGO,
        )
        if i % 3 == 0:
            workflow.case_accept(
                actor=county.dan if lead == county.gxj else county.ren,
                case=case,
                contact_note="已对接",
            )


def test_the_board_costs_the_same_for_few_and_many_cases(office_client, county):
    add_board_cases(county, 2)
    few = queries(office_client, reverse("office:board"))
    add_board_cases(county, 40)
    many = queries(office_client, reverse("office:board"))
    assert few == many


def add_replied_cases(county, n):
    for i in range(n):
        case = county.replied()
        if i % 2:
            workflow.case_rate(actor=county.eva, case=case, rating="satisfied")


def test_the_close_out_list_costs_the_same_for_few_and_many_cases(office_client, county):
    add_replied_cases(county, 2)
    few = queries(office_client, reverse("office:closeout"))
    add_replied_cases(county, 40)
    many = queries(office_client, reverse("office:closeout"))
    assert few == many
    for _ in range(3):
        county.closed()
    closed_few = queries(office_client, reverse("office:closeout") + "?tab=closed")
    for _ in range(30):
        county.closed()
    assert queries(office_client, reverse("office:closeout") + "?tab=closed") == closed_few


def test_the_batch_choices_walk_the_county_batch_index(county, second_county):
    """The loose index scan of office.filters._batches probes (county_id, batch): each step is one
    index probe inside the county, not a walk of every county's batches filtered afterwards."""
    from office.filters import _batches

    add_inbox_cases(county, 3)
    for n, case in enumerate(Case.objects.all()):
        Case.objects.filter(pk=case.pk).update(batch=f"第{n + 1}批")
    second_county.assigned()
    Case.objects.filter(county=second_county.steel.county).update(batch="修水第1批")
    assert _batches(county.steel.county_id) == [(b, b) for b in ("第1批", "第2批", "第3批")]
    assert _batches(second_county.steel.county_id) == [("修水第1批", "修水第1批")]
    if connection.vendor != "postgresql":
        return
    with CaptureQueriesContext(connection) as captured:
        _batches(county.steel.county_id)
    sql = captured[0]["sql"]
    only_index("cases_case", "case_county_batch")  # (tests.plans: a few rows price all alike)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row for (row,) in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    probes = [line for line in plan.splitlines() if "Index" in line and "case_" in line]
    assert probes and all("case_county_batch" in line for line in probes), plan
    # An index scan prints "batch > …", a bitmap scan (which few rows may get) "(batch)::text > …".
    assert "county_id =" in plan and re.search(r"\(?batch\)?(::text)? >", plan), plan
