"""What belongs to a county (issue 22): its calendar's own days, its evaluation rules, its
document numbers, its task forces and accounts, its notifications — and what another county's
office cannot reach through them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analysis import rules
from cases import intake, workflow
from cases.calendar import Entry, calendar_enter
from cases.models import CalendarOverride, Case
from cases.people import account_create, accounts_visible_to
from cases.roles import actor_for
from cases.selectors import work_calendar
from cases.taskforces import taskforce_save
from counties.models import City, County
from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
from notifications.models import Notification
from taskforces.models import TaskForce, TaskForceMember
from tests.conftest import make_user, valid_credit_code

pytestmark = pytest.mark.django_db

# A Wednesday with no holiday anywhere near it.
LOCAL_DAY = dt.date(2026, 6, 10)


@pytest.fixture
def anyi(county):
    """A second county of the same city with an office, a bureau and an enterprise."""
    place = County.objects.create(city=county.steel.county.city, name="安义县")
    office_dept = Department.objects.create(
        county=place, name="县委办", kind=Department.Kind.OFFICE
    )
    bureau = Department.objects.create(county=place, name="县工信局")
    office = make_user("anyi_office")
    DepartmentStaff.objects.create(user=office, department=office_dept)
    clerk = make_user("anyi_clerk")
    DepartmentStaff.objects.create(user=clerk, department=bureau)
    enterprise = Enterprise.objects.create(
        county=place, name="安义铝材公司", credit_code=valid_credit_code(900)
    )
    return place, office, bureau, enterprise


def test_existing_rows_and_rows_saved_without_a_county_are_the_first_countys(county):
    home = County.objects.get(name="进贤县")
    assert home.city == City.objects.get(name="南昌市")
    assert {county.gxj.county_id, county.steel.county_id, county.task_force.county_id} == {home.pk}
    assert actor_for(county.office).county_id == home.pk


def test_a_case_takes_its_enterprises_county_at_intake(county, anyi):
    place, office, _bureau, enterprise = anyi
    case = intake.case_create(
        actor=office, enterprise=enterprise, title="用电难", category=county.power_category
    )
    assert case.county_id == place.pk
    assert Case.objects.filter(county=place).count() == 1


def test_an_office_cannot_raise_assign_or_join_across_the_county_line(county, anyi):
    place, office, bureau, enterprise = anyi
    with pytest.raises(Exception, match="不能为该企业登记问题"):
        intake.case_create(
            actor=county.office, enterprise=enterprise, title="越界", category=county.power_category
        )
    case = county.submitted()
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(actor=county.office, case=case, lead_department=bureau)
    assert "lead_department" in refused.value.message_dict
    theirs = intake.case_create(
        actor=office, enterprise=enterprise, title="用电难", category=county.power_category
    )
    with pytest.raises(ValidationError) as refused:
        workflow.case_join(actor=county.office, case=case, into=theirs)
    assert refused.value.message_dict["into"] == ["要并案的问题不存在。"]


def test_a_countys_own_day_counts_for_its_cases_only(county, anyi):
    place = anyi[0]
    calendar_enter(entries=[Entry(LOCAL_DAY, working=False, note="县庆")], county_id=place.pk)
    assert CalendarOverride.objects.get().county_id == place.pk
    assert not work_calendar(place.pk).is_workday(LOCAL_DAY)
    assert work_calendar(county.steel.county_id).is_workday(LOCAL_DAY)
    assert work_calendar().is_workday(LOCAL_DAY)
    # A day for every county holds in each; a county's own row wins over it on the same date.
    calendar_enter(entries=[Entry(LOCAL_DAY, working=True, note="全市调休")])
    assert work_calendar(county.steel.county_id).is_workday(LOCAL_DAY)
    assert not work_calendar(place.pk).is_workday(LOCAL_DAY)


def test_each_county_keeps_its_own_evaluation_rules(county, anyi):
    office = anyi[1]
    today = dt.date.today()
    values = {**rules.rules_values(rules.default_rules()), "min_ranked": 1}
    theirs = rules.rules_save(actor=office, values=values, effective_from=today, note="安义版")
    assert theirs.county_id == anyi[0].pk
    assert list(rules.rules_history(anyi[0].pk)) == [theirs]
    assert list(rules.rules_history(county.steel.county_id)) == []
    assert rules.rules_in_force(today, county.steel.county_id).pk is None  # the defaults


def test_a_task_force_holds_its_countys_enterprises_and_units_only(county, anyi):
    _place, _office, bureau, enterprise = anyi
    members = [
        (make_user(f"m{n}"), role, None) for n, role in enumerate(["leader", "head", "head"])
    ]
    members.append((make_user("m9"), TaskForceMember.Role.CADRE, bureau))
    with pytest.raises(ValidationError, match="不属于本县"):
        taskforce_save(
            task_force=TaskForce(name="越界专班", kind=TaskForce.Kind.INDUSTRY, active=True),
            members=members,
            enterprises=[enterprise],
        )
    assert not TaskForce.objects.filter(name="越界专班").exists()


def test_an_office_manages_its_countys_accounts_only(county, anyi):
    _place, office, bureau, enterprise = anyi
    mine = set(accounts_visible_to(county.office).values_list("username", flat=True))
    assert {"dan", "eva", "li", "mayor"} <= mine and not {"anyi_office", "anyi_clerk"} & mine
    assert set(accounts_visible_to(office).values_list("username", flat=True)) == {
        "anyi_office",
        "anyi_clerk",
    }
    with pytest.raises(ValidationError) as refused:
        account_create(
            actor=county.office,
            username="x",
            full_name="越界",
            kind="department",
            department=bureau,
        )
    assert "department" in refused.value.message_dict
    user, _password = account_create(
        actor=office, username="anyi_person", full_name="新干部", kind="person"
    )
    assert user in accounts_visible_to(office) and user not in accounts_visible_to(county.office)


def test_a_new_problem_is_told_to_its_own_countys_office_only(county, anyi):
    _place, _office, _bureau, enterprise = anyi
    contact = make_user("anyi_contact")
    EnterpriseContact.objects.create(user=contact, enterprise=enterprise)
    intake.case_create(
        actor=contact, enterprise=enterprise, title="用电难", category=county.power_category
    )
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert "anyi_office" in told  # at once: no choice recorded
    assert not {"office", "office_head"} & told


def test_the_triage_filter_offers_the_offices_own_countys_batches_only(county, anyi, client):
    place, office, _bureau, enterprise = anyi
    mine = county.submitted()
    Case.objects.filter(pk=mine.pk).update(batch="进贤第一批")
    theirs = intake.case_create(
        actor=office, enterprise=enterprise, title="用电难", category=county.power_category
    )
    Case.objects.filter(pk=theirs.pk).update(batch="安义第一批")
    client.force_login(county.office)
    page = client.get(reverse("office:triage")).content.decode()
    assert "进贤第一批" in page and "安义第一批" not in page
    client.force_login(office)
    page = client.get(reverse("office:triage")).content.decode()
    assert "安义第一批" in page and "进贤第一批" not in page


def test_the_admins_schedule_import_enters_a_countys_own_days_when_one_is_chosen(
    county, second_county, client
):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    place = second_county.steel.county
    answer = client.post(
        reverse("admin:cases_calendaroverride_import"),
        {"county": place.pk, "schedule": "2031-03-07 休 修水县庆"},
    )
    assert answer.status_code == 302
    assert list(CalendarOverride.objects.values_list("county", "note")) == [(place.pk, "修水县庆")]
    assert not work_calendar(place.pk).is_workday(dt.date(2031, 3, 7))
    assert work_calendar(county.steel.county_id).is_workday(dt.date(2031, 3, 7))
