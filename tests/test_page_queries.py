"""The query count of each page opened every morning, fixed (issue 23): the office's triage and
问题总台账, the supervision board, the department inbox, the case page, the enterprise portal, the
cadre's 我的企业 and the API's list and detail. A change that adds a query to one of them changes
a number here, on purpose. (That the count does not grow with the rows is tested beside each page.)

The layout's own reads — the reader's roles, their county's calendar, the office's estimate
banner — are remembered across requests (web.remembered): the second request, counted here, reads
none of them (tests/test_remembered.py shows the first does, and when they are read again)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import workflow

PAGES = {
    # page: (user, url name, args, queries)
    "triage": ("office", "office:triage", (), 14),
    "ledger": ("office", "analysis:ledger", (), 8),
    "board": ("office", "office:board", (), 7),
    "dept_inbox": ("dan", "workspace:inbox", (), 13),
    "case_page": ("office", "case_detail", ("case",), 24),  # 24th: its 上报市级 history
    "portal": ("eva", "portal:cases", (), 10),
    "field": ("carl", "fieldwork:enterprises", (), 7),
    "api_list": ("office", "api:case-list", (), 5),
    "api_detail": ("office", "api:case-detail", ("case",), 4),
}


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
    assert len(statements) == expected, "\n".join(s[:160] for s in statements)
