"""The scale benchmark's data generator (issue 10): what it writes has the workflow's shape."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, CaseEvent, Rating
from cases.selectors import work_calendar
from cases.workdays import local_date
from enterprises.models import DepartmentStaff, EnterpriseContact
from notifications.models import Notification, Reminder
from notifications.reminders import reminders_sweep

# The bench app is off unless BENCHMARK is set (tests/bench/conftest.py turns it on).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_enabled")]


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("generate_load writes with COPY: PostgreSQL only")


@pytest.fixture
def loaded(tmp_path, settings):
    needs_postgresql()
    settings.DEBUG = True  # a development database; production mode is refused (tested below)
    manifest = tmp_path / "load.json"
    call_command("generate_load", cases=3000, manifest=str(manifest), stdout=open("/dev/null", "w"))
    return json.loads(manifest.read_text())


def test_counts_and_the_mix_of_states(loaded):
    assert Case.objects.count() == 3000 == loaded["cases"]
    events = CaseEvent.objects.count()
    assert 4 * 3000 <= events <= 8 * 3000
    assert 1.2 * 3000 <= Notification.objects.count() <= 3 * 3000
    assert loaded["counts"]["event"] == events
    states = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    assert set(states) == set(Case.Status.values)
    assert states["closed"] > 3000 / 2
    levels = set(Case.objects.values_list("escalation_level", flat=True))
    # Level 0 is "due today": only a working day has deadlines falling due (a run on a Saturday in
    # 进贤 has none at that level).
    due_today = {0} if work_calendar().is_workday(local_date(timezone.now())) else set()
    assert {None, 1, 2, 3} | due_today <= levels
    assert Rating.objects.exists() and Reminder.objects.exists()
    # Every merged case points at a case that is not merged itself.
    merged = Case.objects.filter(status=Case.Status.MERGED)
    assert merged.exists()
    assert not merged.filter(merged_into__status=Case.Status.MERGED).exists()
    # Ids continue after the generator: the next case the workflow creates does not collide.
    assert Case.objects.create(
        number="X-1", year=2099, sequence=1, title="t", category_id=loaded["category"],
        enterprise_id=loaded["enterprise"], source="visit",
    ).pk == Case.objects.order_by("-pk").values_list("pk", flat=True)[0]  # fmt: skip


def test_each_event_names_the_unit_that_acted(loaded):
    """As the workflow would write it (cases.units): the office assigns and closes, the lead
    department's clerk accepts and replies, the rater rates."""
    K, U = CaseEvent.Kind, CaseEvent.Unit
    events = CaseEvent.objects.all()
    assert not events.filter(unit_kind="").exists()
    office = events.filter(kind__in=[K.ASSIGNED, K.CLOSED])
    assert set(office.values_list("unit_kind", "unit_name")) == {(U.OFFICE, "县委办")}
    handled = events.filter(kind__in=[K.ACCEPTED, K.REPLIED])
    assert set(handled.values_list("unit_kind", flat=True)) == {U.DEPARTMENT}
    assert not handled.exclude(unit_name=F("case__lead_department__name")).exists()
    assert not handled.exclude(actor__department_staff__department=F("department")).exists()
    rated = events.filter(kind=K.RATED)
    assert set(rated.values_list("unit_kind", flat=True)) <= {U.TASKFORCE, U.ENTERPRISE}
    cadres = Rating.objects.filter(recorded_by_cadre=True)
    assert (
        cadres.exists()
        and not cadres.exclude(rated_by__task_force_memberships__role="cadre").exists()
    )


def test_the_sweep_finds_the_ladder_up_to_date(loaded):
    """The rungs already due were written as sent: a sweep right after sends nothing."""
    with CaptureQueriesContext(connection) as queries:
        result = reminders_sweep()
    assert (result.cases, result.reminders) == (0, 0)
    assert len(queries) == 1
    overdue = Case.objects.filter(escalation_level=3).first()
    assert overdue.reminders.filter(level=3).exists()
    assert overdue.next_reminder_at is None or overdue.next_reminder_at > overdue.assigned_at


def test_the_manifest_names_working_logins_and_a_case_with_50_events(loaded, client):
    assert CaseEvent.objects.filter(case_id=loaded["case_50"]).count() == 50
    clerk = DepartmentStaff.objects.get(user__username=loaded["logins"]["clerk"])
    assert clerk.department_id == loaded["department"]
    case = Case.objects.get(pk=loaded["case_50"])
    assert case.lead_department_id == loaded["department"]
    contact = EnterpriseContact.objects.get(user__username=loaded["logins"]["enterprise"])
    assert contact.enterprise_id == loaded["enterprise"]
    signed_in = client.post(
        "/accounts/login/",
        {"username": loaded["logins"]["clerk"], "password": loaded["password"]},
    )
    assert signed_in.status_code == 302
    assert client.get(f"/cases/{loaded['case_50']}/").status_code == 200


def test_refuses_a_database_with_cases_and_production_mode(loaded, settings):
    with pytest.raises(CommandError, match="already holds cases"):
        call_command("generate_load", cases=1000)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production mode"):
        call_command("generate_load", cases=1000, append=True)


def test_baseline_view_runs_one_query_of_its_own(client, django_user_model):
    user = django_user_model.objects.create_user("base", password="pw-baseline-1")
    assert client.get("/bench/baseline/").status_code == 302  # signed-in only
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/baseline/")
    assert response.status_code == 200
    assert response.content.decode().startswith("base ")
    # the session, the user, and its own one
    assert len(queries) == 3


def test_the_generated_cases_are_searchable_and_the_search_child_reports_them(loaded):
    """COPY fires the search index's triggers (cases 0024), and the benchmark's search child
    (scripts/benchmark/search.py) times the generated keywords and explains their plans."""
    import sys
    from pathlib import Path

    from cases.search import search_cases

    scripts = str(Path(__file__).resolve().parents[2] / "scripts")
    sys.path.insert(0, scripts)
    try:
        from benchmark.search import child_search, plan_lines, report_lines
    finally:
        sys.path.remove(scripts)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case_search")
        assert cursor.fetchone()[0] == 3000
    assert search_cases(Case.objects.all(), "企业反映").count() == 3000  # every description

    result = child_search(loaded, {})
    by_word = {k["keyword"]: k for k in result["keywords"]}
    assert by_word["企业"]["capped"] and by_word["企业"]["rows"] == 50
    assert by_word["量子"]["found"] == by_word["量子计算"]["found"] == 0
    assert all(k["count_ms"] > 0 and "Execution Time" in k["page_plan"] for k in by_word.values())
    assert {k["route"] for k in by_word.values()} <= {"bigrams", "walk", "trigrams"}
    assert "| 企业 | 2 |" in "\n".join(report_lines(result))
    assert "### keyword search `电压不稳`: first page" in plan_lines(result)
