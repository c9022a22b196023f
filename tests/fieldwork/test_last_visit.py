"""已 N 天未走访 (issue 16): one definition — the enterprise's last visit by anyone, stale from
VISIT_STALE_AFTER_DAYS days on — on the cadre's 我的企业, the task force's page, the office's
全覆盖 list and the evaluation's figures alike."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from analysis import team_evaluation
from analysis.periods import Period
from cases import visits
from cases.models import Visit
from cases.selectors import cases_visible_to, taskforces_visible_to, visits_visible_to
from enterprises.models import Enterprise
from fieldwork.services import visit_log
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember
from tests.conftest import make_user
from tests.fieldwork.conftest import today

pytestmark = pytest.mark.django_db


def visit(county, user, days_ago: int) -> Visit:
    made, _cases = visit_log(
        actor=user,
        enterprise=county.steel,
        visited_on=today() - dt.timedelta(days=days_ago),
        kind=Visit.Kind.INSPECT,
    )
    return made


@pytest.fixture
def cora(county):
    """A cadre of another task force (the industry one) that also covers 荣信钢构."""
    industry = TaskForce.objects.create(
        name="装备制造行业专班", kind=TaskForce.Kind.INDUSTRY, active=True
    )
    user = make_user("cora")
    TaskForceMember.objects.create(task_force=industry, user=user, role=TaskForceMember.Role.CADRE)
    TaskForceEnterprise.objects.create(task_force=industry, enterprise=county.steel)
    return user


def field_card(client, county) -> str:
    body = client.get(reverse("fieldwork:enterprises")).content.decode()
    return re.search(rf'id="enterprise-{county.steel.pk}".*?card-footer', body, re.S).group(0)


def taskforce_row(client, county) -> str:
    body = client.get(reverse("taskforces:mine")).content.decode()
    section = body[body.index(f'id="taskforce-{county.task_force.pk}"') :]
    return re.search(rf"<td>{county.steel.name}.*?</tr>", section, re.S).group(0)


def on_coverage_list(client, county) -> bool:
    response = client.get(reverse("taskforces:coverage"))
    return county.steel in response.context["unvisited"].object_list


def evaluation_stale(county) -> tuple[int, int]:
    """The evaluation's 未走访 figure of carl's task force and of carl, as of today."""
    office = county.office
    tfs = taskforces_visible_to(office).filter(pk=county.task_force.pk)
    period = Period(today() - dt.timedelta(days=90), today())
    [tf] = team_evaluation.taskforce_evaluation(
        tfs, visits_visible_to(office), cases_visible_to(office), period
    )
    [carl] = [r for r in team_evaluation.cadre_evaluation(tfs, visits_visible_to(office), period)]
    return tf.stale, carl.stale


def test_a_visit_by_another_cadre_resets_the_count_everywhere(client, county, cora):
    visit(county, county.carl, 40)
    client.force_login(county.carl)
    assert "已 40 天未走访" in field_card(client, county)

    visit(county, cora, 1)
    card = field_card(client, county)
    assert "未走访" not in card and "stale-mark" not in card
    assert (today() - dt.timedelta(days=1)).isoformat() in card  # 上次走访: cora's
    assert (today() - dt.timedelta(days=40)).isoformat() in card  # 我上次走访: carl's own
    assert "未走访" not in taskforce_row(client, county)
    assert evaluation_stale(county) == (0, 0)
    client.force_login(county.office)
    assert not on_coverage_list(client, county)


@pytest.mark.parametrize(
    ("threshold", "days_ago", "stale"),
    [(30, 29, False), (30, 30, True), (5, 4, False), (5, 5, True)],
)
def test_every_page_and_figure_draws_the_line_on_the_same_day(
    client, county, settings, threshold, days_ago, stale
):
    settings.VISIT_STALE_AFTER_DAYS = threshold
    visit(county, county.carl, days_ago)
    mark = f"已 {days_ago} 天未走访"
    client.force_login(county.carl)
    assert (mark in field_card(client, county)) == stale
    assert (mark in taskforce_row(client, county)) == stale
    assert evaluation_stale(county) == ((1, 1) if stale else (0, 0))
    client.force_login(county.office)
    assert on_coverage_list(client, county) == stale


def test_the_sql_and_the_python_rule_agree(county, cora):
    as_of = today()
    for days_ago in (None, 31, 30, 29, 0):
        Visit.objects.all().delete()
        if days_ago is not None:
            visit(county, cora, days_ago)
        [last] = visits.with_last_visit(
            Enterprise.objects.filter(pk=county.steel.pk), as_of
        ).values_list("last_visit", flat=True)
        in_sql = visits.stale_enterprises(as_of).filter(pk=county.steel.pk).exists()
        assert in_sql == visits.is_stale(last, as_of) == (days_ago is None or days_ago >= 30)


def test_a_visit_after_the_day_asked_about_does_not_count(county):
    visit(county, county.carl, 3)
    earlier = today() - dt.timedelta(days=40)
    assert visits.stale_enterprises(earlier).filter(pk=county.steel.pk).exists()
    assert not visits.stale_enterprises(today()).filter(pk=county.steel.pk).exists()
