"""One user, one county (issue 22): a person's role rows — office or department staff, task-force
leader, head or cadre, county leader, enterprise contact — are all of one county, and a city role
(the city's office, a city department) is of no county. Every path that makes a role row is
refused with the person's name and where they already belong: the model (save and clean, so the
admin's forms), and the task-force service, which writes its members in bulk."""

import pytest
from django.core.exceptions import ValidationError

from cases.taskforces import taskforce_save
from counties.models import City, CityDepartment, CityDepartmentStaff, CityOfficeMember
from enterprises.models import DepartmentStaff, EnterpriseContact
from taskforces.models import CountyLeader, TaskForce, TaskForceMember
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REFUSAL = (
    "用户“{user}”已属于{place}，不能再担任其他县（区）或市级的角色：一个用户只能属于一个县（区）。"
)


def refused(user, place: str):
    return pytest.raises(ValidationError, match=REFUSAL.format(user=user.username, place=place))


def test_department_staff_of_a_second_county_is_refused(county, second_county):
    with refused(county.li, "进贤县"):  # 进贤县's task-force leader
        DepartmentStaff.objects.create(user=county.li, department=second_county.gxj)
    assert not DepartmentStaff.objects.filter(user=county.li).exists()
    # Moving a clerk to another department of the same county is no second county.
    staff = county.dan.department_staff
    staff.department = county.rsj
    staff.save()


def test_a_task_force_member_of_a_second_county_is_refused(county, second_county):
    other_force = TaskForce.objects.get(county=second_county.steel.county)
    for role, person in (("leader", county.li), ("head", county.hu), ("cadre", county.carl)):
        with refused(person, "进贤县"):
            TaskForceMember.objects.create(task_force=other_force, user=person, role=role)
    # … and through the service, which writes members in bulk
    members = [(m.user, m.role, m.department) for m in other_force.members.all()]
    with refused(county.carl, "进贤县"):
        taskforce_save(task_force=other_force, members=[*members, (county.carl, "cadre", None)])
    assert other_force.members.count() == len(members)
    # A second membership in one's own county is fine.
    own = TaskForce.objects.create(name="第二专班", county=county.steel.county)
    TaskForceMember.objects.create(task_force=own, user=county.carl, role="cadre")


def test_a_county_leader_of_a_second_county_is_refused(county, second_county):
    with refused(second_county.li, "修水县"):
        CountyLeader.objects.create(
            user=second_county.li, county=county.steel.county, title="deputy"
        )
    CountyLeader.objects.create(user=county.li, county=county.steel.county, title="deputy")


def test_an_enterprise_contact_of_a_second_county_is_refused(county, second_county):
    with refused(county.dan, "进贤县"):  # 进贤县's clerk
        EnterpriseContact.objects.create(user=county.dan, enterprise=second_county.steel)
    # A contact with no other role may be moved to another county's enterprise: one place still.
    contact = county.bea.enterprise_contact
    contact.enterprise = second_county.poultry
    contact.save()


def test_the_office_is_refused_a_role_in_a_second_county(county, second_county):
    with refused(county.office, "进贤县"):
        TaskForceMember.objects.create(
            task_force=TaskForce.objects.get(county=second_county.steel.county),
            user=county.office,
            role="cadre",
        )


def test_a_city_role_and_a_county_role_exclude_each_other(county):
    city = county.steel.county.city
    with refused(county.dan, "进贤县"):
        CityOfficeMember.objects.create(user=county.dan, city=city)
    planner = make_user("planner")
    CityDepartmentStaff.objects.create(
        user=planner, department=CityDepartment.objects.create(city=city, name="市发改委")
    )
    with refused(planner, city.name):
        DepartmentStaff.objects.create(user=planner, department=county.gxj)
    # The city's office of another city is refused too.
    with refused(planner, city.name):
        CityOfficeMember.objects.create(user=planner, city=City.objects.create(name="九江市"))
    CityOfficeMember.objects.create(user=planner, city=city)  # the same city: one place


def test_the_admins_form_says_it_beside_the_row(county, second_county, admin_client):
    answer = admin_client.post(
        "/admin/enterprises/departmentstaff/add/",
        {"user": county.li.pk, "department": second_county.gxj.pk, "title": "", "phone": ""},
    )
    assert answer.status_code == 200
    assert "一个用户只能属于一个县（区）" in answer.content.decode()
    assert not DepartmentStaff.objects.filter(user=county.li).exists()


def test_a_deactivated_account_still_belongs_and_the_moved_person_gets_a_new_one(
    county, second_county
):
    """A county leader who left: the account, switched off, keeps its rows (its county's office
    still lists it, with its history) and is refused elsewhere with a message saying how to
    proceed; the new county's office makes a new account; the old one is told nothing."""
    from cases.people import account_create, account_set_active, accounts_visible_to
    from notifications.audience import leaders_with_enterprises, taskforce_leaders

    leader = county.li

    def told():
        leaders = taskforce_leaders([county.steel.pk]).get(county.steel.pk, [])
        digest = leaders_with_enterprises()
        return {person.user_id for person in leaders} | {person.user_id for person in digest}

    CountyLeader.objects.create(user=leader, county=county.steel.county, title="deputy")
    assert leader.pk in told()
    account_set_active(actor=county.office, account=leader, active=False)
    leader.refresh_from_db()
    inactive = (
        f"用户“{leader.username}”的账号已停用，仍属于进贤县（其记录留在那里），不能再担任"
        "其他县（区）或市级的角色：调往别处的人员请由新单位为其新建账号。"
    )
    with pytest.raises(ValidationError, match=inactive):
        DepartmentStaff.objects.create(user=leader, department=second_county.gxj)
    assert leader in accounts_visible_to(county.office)
    assert leader not in accounts_visible_to(second_county.office)
    new, _password = account_create(
        actor=second_county.office,
        username="li-xiushui",
        full_name=leader.get_full_name(),
        kind="department",
        department=second_county.gxj,
    )
    assert new.department_staff.department == second_county.gxj
    assert leader.pk not in told()
