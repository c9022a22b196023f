"""The query count of each page opened every morning, fixed (issue 23): the office's triage and
问题总台账, the supervision board, the department inbox, the case page, the enterprise portal, the
cadre's 我的企业 and the API's list and detail. A change that adds a query to one of them changes
a number here, on purpose. (That the count does not grow with the rows is tested beside each page.)

Office pages add one query while this year's or next year's holiday schedule is still the
statutory estimate (the banner counts the deadlines resting on it), so the count is stated for
either case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.selectors import work_calendar

PAGES = {
    # page: (user, url name, args, queries)
    "triage": ("office", "office:triage", (), 18),
    "ledger": ("office", "analysis:ledger", (), 12),
    "board": ("office", "office:board", (), 11),
    "dept_inbox": ("dan", "workspace:inbox", (), 17),
    "case_page": ("office", "case_detail", ("case",), 28),  # 28th: its 上报市级 history
    "portal": ("eva", "portal:cases", (), 13),
    "field": ("carl", "fieldwork:enterprises", (), 10),
    "api_list": ("office", "api:case-list", (), 9),
    "api_detail": ("office", "api:case-detail", ("case",), 8),
}
OFFICE_PAGES = {"triage", "ledger", "board", "case_page"}


@pytest.fixture
def morning(county):
    """A county with a case in each state the pages show, one with a few events."""
    county.submitted()
    county.submitted(enterprise=county.poultry, title="招不到电焊工")
    county.assigned()
    case = county.in_progress()
    for n in range(3):
        workflow.case_add_progress(actor=county.dan, case=case, note=f"进展{n}", public=True)
    county.replied(enterprise=county.poultry)
    county.closed()
    return case


def estimate_query(user_key: str, page: str, county) -> int:
    """1 when the office's banner counts the deadlines resting on an estimated schedule."""
    if page not in OFFICE_PAGES:
        return 0
    this_year = timezone.localdate().year
    calendar = work_calendar(county.office_dept.county_id)
    return 1 if calendar.estimated_years([this_year, this_year + 1]) else 0


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_each_morning_page_runs_its_fixed_number_of_queries(client, county, morning, page):
    user_key, url_name, args, expected = PAGES[page]
    url = reverse(url_name, args=[morning.pk if a == "case" else a for a in args])
    client.force_login(getattr(county, user_key))
    assert client.get(url).status_code == 200  # warm: the session, caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == expected + estimate_query(user_key, page, county), "\n".join(
        s[:160] for s in statements
    )
