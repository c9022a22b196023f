"""Issue 17: 问题总台账 — the office's home is the case ledger (analysis.views.ledger, one ledger,
not two): search by number, title or enterprise; filters by status, lead department, township and
overdue (cases.deadlines' one definition); each state in its own colour, the same everywhere;
overdue rows marked; a deadline shown only while it runs, a closed case's outcome instead; a page
costs the same queries however many cases there are."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from analysis import charts
from cases.models import Case
from enterprises.models import Department
from tests.factories import make_enterprise
from web.templatetags.states import STATE_CLASSES

pytestmark = pytest.mark.django_db

LEDGER = reverse("analysis:ledger")
SITE_CSS = Path(settings.BASE_DIR) / "static" / "site" / "site.css"


def shown(response) -> list[int]:
    return [case.pk for case in response.context["page"].object_list]


def row(html: str, case: Case) -> str:
    start = html.index(f'id="ledger-row-{case.pk}"')
    return html[start : html.index("</tr>", start)]


def make_overdue(case: Case) -> Case:
    """The contact deadline passed five days ago (cases.deadlines decides what that means)."""
    Case.objects.filter(pk=case.pk).update(contact_due_at=timezone.now() - dt.timedelta(days=5))
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(county):
    township = Department.objects.create(name="李渡镇", kind=Department.Kind.TOWNSHIP)
    county.poultry.township = township
    county.poultry.save()
    return {
        "new": county.submitted(title="厂区道路积水"),
        "late": make_overdue(
            county.assigned(enterprise=county.poultry, lead_department=county.rsj)
        ),
        "handling": county.in_progress(),
        "closed": county.closed(),
        "township": township,
    }


def test_the_office_signs_in_onto_the_ledger_under_its_name(client, county, cases):
    client.force_login(county.office)

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0] == LEDGER
    html = response.content.decode()
    assert "<title>问题总台账 · 四进四问</title>" in html
    assert re.search(r'<a class="nav-link[^"]*" href="/analysis/cases/">问题总台账</a>', html)
    assert 'id="analysis-tabs"' in html and "问题总台账" in html.split('id="analysis-tabs"')[1]
    assert set(shown(response)) == {c.pk for c in Case.objects.all()}


def test_a_leader_reads_the_same_ledger_as_his_share(client, county, cases):
    client.force_login(county.li)

    response = client.get(LEDGER)

    assert '<h1 class="h4 mb-0">问题台账</h1>' in response.content.decode()
    assert cases["late"].pk not in shown(response)  # 桂柳家禽: no task force of his


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "积水"}, ["new"]),  # a word of the title
        ({"q": "桂柳"}, ["late"]),  # a word of the enterprise's name
        ({"status": "in_progress"}, ["handling"]),
        ({"status": "closed"}, ["closed"]),
        ({"overdue": "on"}, ["late"]),
    ],
)
def test_the_office_searches_and_filters(client, county, cases, params, expected):
    client.force_login(county.office)
    assert sorted(shown(client.get(LEDGER, params))) == sorted(cases[k].pk for k in expected)


def test_the_office_searches_by_number_and_filters_by_department_and_township(
    client, county, cases
):
    client.force_login(county.office)
    number = cases["handling"].number
    assert shown(client.get(LEDGER, {"q": number})) == [cases["handling"].pk]
    assert shown(client.get(LEDGER, {"lead_department": county.rsj.pk})) == [cases["late"].pk]
    assert shown(client.get(LEDGER, {"township": cases["township"].pk})) == [cases["late"].pk]


def test_a_filter_it_cannot_read_is_named_and_shows_nothing(client, county, cases):
    client.force_login(county.office)

    response = client.get(LEDGER, {"status": "lost"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "选择一个有效的选项" in html and 'id="ledger-empty"' in html
    assert "筛选条件有误" in html


def test_the_rarer_filters_wait_behind_more_filters_until_one_is_used(client, county, cases):
    client.force_login(county.office)
    closed = client.get(LEDGER).content.decode()
    assert '<details class="mt-2" id="ledger-more">' in closed
    opened = client.get(LEDGER, {"batch": "第一批"}).content.decode()
    assert '<details class="mt-2" id="ledger-more" open>' in opened


def test_each_state_has_its_own_colour_and_overdue_rows_are_marked(client, county, cases):
    client.force_login(county.office)

    html = client.get(LEDGER).content.decode()

    assert 'class="badge state-badge state-submitted">待交办' in row(html, cases["new"])
    assert 'class="badge state-badge state-in_progress">办理中' in row(html, cases["handling"])
    assert 'class="badge state-badge state-closed">已销号' in row(html, cases["closed"])
    late = row(html, cases["late"])
    assert 'class="row-overdue"' in late and "state-overdue" in late
    assert "row-overdue" not in row(html, cases["handling"])
    assert "text-bg-secondary" not in html.split('id="ledger-list"')[1]  # no grey for all


def test_the_stylesheet_gives_every_state_a_distinct_colour():
    css = SITE_CSS.read_text(encoding="utf-8")
    colours = dict(re.findall(r"--state-(\w+):\s*(#[0-9a-f]{6})", css))
    states = [name.removeprefix("state-") for name in STATE_CLASSES]
    assert set(states) <= set(colours), set(states) - set(colours)
    assert len({colours[s] for s in states}) == len(states)  # no two states alike
    for state in states:
        assert f".state-badge.state-{state} {{ background-color: var(--state-{state}); }}" in css


def test_the_charts_colour_state_series_from_the_same_mapping():
    from analysis.metrics import GroupRow, WeekRow

    states = {name.removeprefix("state-") for name in STATE_CLASSES}
    group = charts.groups(
        "c", "t", "l", [GroupRow(key=1, label="县工信局", total=3, open=1, overdue=1, closed=2)]
    )
    trend = charts.trend([WeekRow(week=dt.date(2021, 6, 7), new=2, closed=1)])
    tagged = [s["state"] for s in group.series + trend.series if "state" in s]
    assert tagged == ["closed", "overdue", "submitted", "closed"]
    assert set(tagged) <= states
    script = (Path(settings.BASE_DIR) / "analysis/static/analysis/charts.js").read_text()
    assert '"--state-" + state' in script


def test_a_deadline_is_shown_only_while_it_runs(client, county, cases):
    client.force_login(county.office)

    html = client.get(LEDGER).content.decode()

    closed = cases["closed"]
    assert "对接期限" not in row(html, closed)
    today = timezone.localtime(closed.closed_at).date().isoformat()
    assert f'已解决</span> <span class="text-body-secondary">{today} 销号' in row(html, closed)
    assert "办结期限" in row(html, cases["handling"])  # accepted: the resolve deadline runs
    assert "对接期限" in row(html, cases["late"]) and "text-danger" in row(html, cases["late"])
    assert "期限" not in row(html, cases["new"])  # not assigned yet: no deadline at all


def test_a_page_costs_the_same_queries_for_few_and_many_cases(
    client, county, cases, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(county.office)
    client.get(LEDGER)  # warm up: the session, the first-request caches
    with CaptureQueriesContext(connection) as few:
        client.get(LEDGER)
    # session, user, the actor (3), the count, the unread badge, the calendar and its banner,
    # the three filter selects, the page of rows: 13 today, and never more as the county grows
    assert len(few) <= 15, [q["sql"][:80] for q in few.captured_queries]
    for i in range(60):
        enterprise = make_enterprise()
        case = county.assigned(enterprise=enterprise)
        if i % 4 == 0:
            make_overdue(case)
    with django_assert_num_queries(len(few)):
        response = client.get(LEDGER)
    assert len(shown(response)) == 50  # a page
    with django_assert_num_queries(len(few)):
        assert len(shown(client.get(LEDGER, {"page": 2}))) == 64 - 50
