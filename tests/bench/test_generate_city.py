"""The scale benchmark's data over a city (issue 22): generate_load --counties N makes N counties
of one city, each with its own frame and cases and nothing pointing into another; the measured
logins are the first county's, the city's office reads them all."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from cases.models import Case, CaseEvent, CityEscalation, Commitment, Rating, Visit
from cases.roles import actor_for
from cases.selectors import cases_visible_to
from counties.models import County, home_county_id
from enterprises.models import Department, DepartmentStaff, Enterprise
from notifications.models import Notification
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_enabled")]

COUNTIES, PER_COUNTY = 3, 400


@pytest.fixture
def city(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("generate_load writes with COPY: PostgreSQL only")
    settings.DEBUG = True
    manifest = tmp_path / "city.json"
    call_command(
        "generate_load",
        cases=COUNTIES * PER_COUNTY,
        counties=COUNTIES,
        enterprises=60,
        manifest=str(manifest),
        stdout=open("/dev/null", "w"),
    )
    return json.loads(manifest.read_text())


def test_each_county_has_its_own_frame_and_share_of_the_cases(city):
    counties = city["counties"]
    assert [c["cases"] for c in counties] == [PER_COUNTY] * COUNTIES
    assert counties[0]["id"] == home_county_id()  # the installation's own county first
    ids = [c["id"] for c in counties]
    assert len(set(ids)) == COUNTIES
    assert County.objects.filter(pk__in=ids).values("city").distinct().count() == 1
    for county_id in ids:
        assert Case.objects.filter(county_id=county_id).count() == PER_COUNTY
        assert Enterprise.objects.filter(county_id=county_id).count() == 60
        depts = Department.objects.filter(county_id=county_id)
        assert depts.filter(kind=Department.Kind.OFFICE).count() == 1
        # every department staffed, the office by the county's own office login
        assert not depts.filter(staff__isnull=True).exists()
        assert TaskForce.objects.filter(county_id=county_id).count() > 33
        assert Visit.objects.filter(task_force__county_id=county_id).exists()
        assert Case.objects.filter(county_id=county_id, status=Case.Status.CLOSED).exists()
    # The measured logins are the first county's; the others have logins of their own.
    office = DepartmentStaff.objects.get(user__username=city["logins"]["office"])
    assert office.department.county_id == ids[0]
    second = DepartmentStaff.objects.get(user__username="bench2_office")
    assert second.department.county_id == ids[1]
    assert Case.objects.get(pk=city["case_50"]).county_id == ids[0]
    assert Enterprise.objects.get(pk=city["enterprise"]).county_id == ids[0]
    assert Department.objects.get(pk=city["department"]).county_id == ids[0]
    # Case numbers run on across the counties: one number, one case.
    assert Case.objects.values("year", "sequence").distinct().count() == COUNTIES * PER_COUNTY


def test_nothing_in_one_county_refers_to_another(city):
    assert not Case.objects.exclude(enterprise__county_id=F("county_id")).exists()
    assert (
        not Case.objects.exclude(lead_department__isnull=True)
        .exclude(lead_department__county_id=F("county_id"))
        .exists()
    )
    assert (
        not Case.objects.exclude(co_departments__isnull=True)
        .exclude(co_departments__county_id=F("county_id"))
        .exists()
    )
    merged = Case.objects.filter(status=Case.Status.MERGED)
    assert merged.exists()
    assert not merged.exclude(merged_into__county_id=F("county_id")).exists()
    assert not Case.objects.exclude(
        created_by__department_staff__department__county_id=F("county_id")
    ).exists()
    events = CaseEvent.objects.exclude(department__isnull=True)
    assert not events.exclude(department__county_id=F("case__county_id")).exists()
    # Who acted: an office or a department of the case's county, a task force cadre or an
    # enterprise contact of its county (the city office and department act on escalations only).
    U = CaseEvent.Unit
    county_units = CaseEvent.objects.filter(unit_kind__in=[U.OFFICE, U.DEPARTMENT])
    assert not county_units.exclude(
        actor__department_staff__department__county_id=F("case__county_id")
    ).exists()
    cadres = CaseEvent.objects.filter(unit_kind=U.TASKFORCE)
    assert cadres.exists()
    assert not cadres.exclude(
        actor__task_force_memberships__task_force__county_id=F("case__county_id")
    ).exists()
    contacts = CaseEvent.objects.filter(unit_kind=U.ENTERPRISE)
    assert not contacts.exclude(
        actor__enterprise_contact__enterprise__county_id=F("case__county_id")
    ).exists()
    assert not Rating.objects.exclude(department__county_id=F("case__county_id")).exists()
    assert not Commitment.objects.exclude(department__county_id=F("case__county_id")).exists()
    notices = Notification.objects.exclude(department__isnull=True)
    assert not notices.exclude(department__county_id=F("case__county_id")).exists()
    assert not Visit.objects.exclude(task_force__county_id=F("enterprise__county_id")).exists()
    assert not TaskForceEnterprise.objects.exclude(
        task_force__county_id=F("enterprise__county_id")
    ).exists()
    heads = TaskForceMember.objects.exclude(department__isnull=True)
    assert not heads.exclude(department__county_id=F("task_force__county_id")).exists()
    assert not Enterprise.objects.exclude(township__county_id=F("county_id")).exists()


def test_the_city_office_reads_every_county_and_the_county_office_its_own(city, client):
    User = DepartmentStaff._meta.get_field("user").related_model
    city_office = actor_for(User.objects.get(username=city["logins"]["city"]))
    assert cases_visible_to(city_office).count() == COUNTIES * PER_COUNTY
    county_office = actor_for(User.objects.get(username=city["logins"]["office"]))
    assert set(cases_visible_to(county_office).values_list("county_id", flat=True)) == {
        city["counties"][0]["id"]
    }
    client.post(
        "/accounts/login/", {"username": city["logins"]["city"], "password": city["password"]}
    )
    page = client.get("/analysis/city/")
    assert page.status_code == 200
    for county in city["counties"]:
        assert county["name"] in page.content.decode()
    for path in ("/analysis/city/compare/", "/analysis/city/escalations/"):
        assert client.get(path).status_code == 200


def test_each_county_escalated_a_few_cases_to_the_city_department(city, client):
    escalations = CityEscalation.objects.all()
    assert city["escalations"] == escalations.count() == 4 * COUNTIES
    for county in city["counties"]:
        mine = escalations.filter(case__county_id=county["id"])
        states = sorted(e.state for e in mine)
        S = CityEscalation.State
        assert states == sorted([S.ANSWERED, S.ASSIGNED, S.ESCALATED, S.ESCALATED])
        assert not mine.exclude(case__outcome=Case.Outcome.EXPLAINED).exists()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CITY_ESCALATED).count() == 4 * COUNTIES
    client.post(
        "/accounts/login/",
        {"username": city["logins"]["citydept"], "password": city["password"]},
    )
    assert client.get("/analysis/city/inbox/").status_code == 200


def test_counties_need_cases_of_their_own(settings):
    if connection.vendor != "postgresql":
        pytest.skip("generate_load writes with COPY: PostgreSQL only")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="--counties"):
        call_command("generate_load", cases=1000, counties=11)
