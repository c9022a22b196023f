"""督办: open cases by escalation level and department, with working days overdue."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import escalation
from cases.models import Case
from cases.selectors import work_calendar
from cases.workdays import end_of_day
from enterprises.models import Department
from office import board

pytestmark = pytest.mark.django_db

URL = reverse("office:board")
LONG_AGO = dict(assigned_at=timezone.now() - dt.timedelta(days=60))


def due_today(case):
    Case.objects.filter(pk=case.pk).update(contact_due_at=end_of_day(timezone.localdate()))
    return case


def test_a_backdated_case_is_flagged_with_its_working_days_late(office_client, county):
    late = county.assigned(**LONG_AGO)
    county.assigned()  # fresh: its due day has not begun
    response = office_client.get(URL)
    [(case, standing)] = response.context["rows"]
    assert case == late and standing.level == 3
    assert standing.working_days_late > 3
    body = response.content.decode()
    assert f'id="board-case-{late.pk}"' in body and "table-danger" in body
    assert "挂牌督办" in body
    assert f"逾期 {standing.working_days_late} 个工作日" in body
    assert reverse("case_detail", args=[late.pk]) in body


def test_a_case_due_today_is_a_yellow_warning(office_client, county):
    case = due_today(county.assigned())
    response = office_client.get(URL)
    [(row, standing)] = response.context["rows"]
    assert row == case and standing.level == 0
    body = response.content.decode()
    assert "table-warning" in body and "今日到期" in body


def test_the_board_counts_each_level_and_filters_by_it(office_client, county):
    flagged = county.assigned(**LONG_AGO)
    warning = due_today(county.assigned(enterprise=county.poultry))
    response = office_client.get(URL)
    counts = {value: count for value, _label, count in response.context["levels"]}
    assert counts == {3: 1, 2: 0, 1: 0, 0: 1}
    assert [c for c, _s in response.context["rows"]] == [flagged, warning]  # most urgent first
    response = office_client.get(URL, {"level": 0})
    assert [c for c, _s in response.context["rows"]] == [warning]


def test_the_board_groups_by_department_and_filters_by_one(office_client, county):
    gxj_case = county.assigned(lead_department=county.gxj, **LONG_AGO)
    rsj_case = county.assigned(lead_department=county.rsj, **LONG_AGO)
    county.assigned(lead_department=county.rsj, enterprise=county.poultry, **LONG_AGO)
    response = office_client.get(URL)
    totals = {row["name"]: row["total"] for row in response.context["by_department"]}
    assert totals == {"县工信局": 1, "县人社局": 2}
    assert response.context["by_department"][0]["name"] == "县人社局"  # the worst first
    response = office_client.get(URL, {"department": county.gxj.pk})
    assert [c for c, _s in response.context["rows"]] == [gxj_case]
    assert rsj_case not in [c for c, _s in response.context["rows"]]


def test_accepted_replied_and_closed_cases_leave_the_board(office_client, county):
    county.replied(**LONG_AGO)
    county.closed(**LONG_AGO)
    county.submitted()
    assert office_client.get(URL).context["rows"] == []


@pytest.mark.parametrize(
    "params, named",
    [({"level": "x"}, "level"), ({"level": "7"}, "level"), ({"department": "--"}, "department")],
)
def test_nonsense_filters_are_refused_naming_the_parameter(office_client, county, params, named):
    county.assigned(**LONG_AGO)
    response = office_client.get(URL, params)
    assert response.status_code == 400
    assert f"参数“{named}”有误" in response.content.decode()


def test_the_board_is_paginated(office_client, county):
    for _ in range(26):
        county.assigned(**LONG_AGO)
    assert len(office_client.get(URL).context["rows"]) == 25
    assert len(office_client.get(URL, {"page": 2}).context["rows"]) == 1


def backdate(case, days):
    """The case was assigned `days` ago: its deadlines have long passed."""
    Case.objects.filter(pk=case.pk).update(
        contact_due_at=F("contact_due_at") - dt.timedelta(days=days),
        resolve_due_at=F("resolve_due_at") - dt.timedelta(days=days),
    )
    return case


def overdue_since_a_minute(case):
    Case.objects.filter(pk=case.pk).update(contact_due_at=timezone.now() - dt.timedelta(minutes=1))
    return case


def test_the_boards_slices_list_every_case_once_in_the_boards_order(county):
    # Three departments at several levels: slices of any size cut across their groups.
    for lead in (county.gxj, county.rsj, county.power, county.gxj, county.rsj):
        backdate(county.assigned(lead_department=lead), days=60)
        due_today(county.assigned(lead_department=lead))
        overdue_since_a_minute(county.assigned(lead_department=lead))
    now, calendar = timezone.now(), work_calendar()
    on_board = escalation.on_the_board(Case.objects.all(), now, calendar)
    expected = list(on_board.values_list("pk", flat=True))
    departments = list(Department.objects.order_by("name"))
    groups = board.board_groups(on_board, departments)
    assert len({(g.level, g.department_id) for g in groups}) > 4
    cases = board.BoardCases(on_board, groups)
    assert cases.count() == len(expected) == 15
    for size in (1, 2, 4, 7, 25):
        pages = [cases[start : start + size] for start in range(0, len(expected), size)]
        assert [case.pk for page in pages for case in page] == expected, size


def test_the_page_count_is_the_filtered_boards_count(office_client, county):
    for lead in (county.gxj, county.rsj, county.rsj):
        backdate(county.assigned(lead_department=lead), days=60)
        due_today(county.assigned(lead_department=lead))
    response = office_client.get(URL, {"level": 0, "department": county.rsj.pk})
    assert response.context["page"].paginator.count == 2
    assert all(c.lead_department == county.rsj for c, _s in response.context["rows"])
    assert [s.level for _c, s in response.context["rows"]] == [0, 0]
    # The summaries still count the whole board.
    counts = {value: count for value, _label, count in response.context["levels"]}
    assert counts == {3: 3, 2: 0, 1: 0, 0: 3}


def test_a_deep_page_costs_the_same_queries_as_the_first(
    office_client, county, django_assert_max_num_queries
):
    for _ in range(30):
        backdate(county.assigned(), days=60)
    office_client.get(URL)
    with CaptureQueriesContext(connection) as first:
        office_client.get(URL)
    with django_assert_max_num_queries(len(first)):
        response = office_client.get(URL, {"page": 2})
    assert len(response.context["rows"]) == 5


def test_the_dropdown_offers_active_departments_by_kind_then_name(office_client, county):
    Department.objects.create(name="已撤销局", active=False)
    names = [d.name for d in office_client.get(URL).context["departments"]]
    assert names == ["县人社局", "县工信局", "国网进贤县供电公司"]


def test_an_empty_department_filter_shows_the_whole_board(office_client, county):
    county.assigned(**LONG_AGO)
    response = office_client.get(URL, {"department": "", "level": ""})
    assert len(response.context["rows"]) == 1 and response.context["department"] is None
    assert office_client.get(URL, {"department": "0"}).status_code == 400
