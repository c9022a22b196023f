"""Issue 17: each role lands where its work is — on signing in and on the home page. The office on
问题总台账, a department on 部门待办, a paired cadre on 我的企业, a county leader or task-force head on
我的专班, an enterprise contact on 我的诉求; a user with several roles where the first of them, in
that order, works; a user with no role is told what to do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import DepartmentStaff, EnterpriseContact
from taskforces.models import TaskForce, TaskForceMember
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"


def lands(client, user) -> str:
    """Where the user ends up after signing in with the login form."""
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("office", "analysis:ledger"),
        ("mayor", "analysis:dashboard"),  # the county's leadership
        ("dan", "workspace:inbox"),
        ("carl", "fieldwork:enterprises"),
        ("li", "taskforces:mine"),
        ("eva", "portal:cases"),
    ],
)
def test_each_role_lands_on_its_own_page_after_signing_in(client, county, who, page):
    assert lands(client, getattr(county, who)) == reverse(page)


def test_the_office_lands_on_the_case_ledger_under_its_own_name(client, county):
    client.force_login(county.office)

    response = client.get(reverse("home"), follow=True)

    html = response.content.decode()
    assert '<h1 class="h4 mb-0">问题总台账</h1>' in html
    assert 'id="ledger-filter"' in html


def test_a_department_head_who_heads_a_task_force_lands_on_the_department_inbox(client, county):
    # Hu: head of 县工信局 and one of the task force's two heads (leader + department)
    assert lands(client, county.hu) == reverse("workspace:inbox")


def test_a_leader_who_is_also_a_paired_cadre_lands_on_his_enterprises(client, county):
    other = TaskForce.objects.create(
        name="桂柳家禽专班", kind=TaskForce.Kind.KEY_ENTERPRISE, active=True
    )
    TaskForceMember.objects.create(
        task_force=other, user=county.li, role=TaskForceMember.Role.CADRE
    )
    assert lands(client, county.li) == reverse("fieldwork:enterprises")


def test_a_clerk_who_is_also_an_enterprise_contact_lands_on_the_department_inbox(client, county):
    EnterpriseContact.objects.create(user=county.dan, enterprise=county.poultry)
    assert lands(client, county.dan) == reverse("workspace:inbox")


def test_office_staff_land_on_the_ledger_whatever_else_they_are(client, county):
    TaskForceMember.objects.create(
        task_force=county.task_force, user=county.office, role=TaskForceMember.Role.CADRE
    )
    assert lands(client, county.office) == reverse("analysis:ledger")


def test_a_user_with_no_role_is_told_to_ask_the_office(client, county):
    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert 'id="no-role"' in html and "请联系县委办" in html


def test_a_next_page_still_wins_over_the_landing(client, county):
    target = reverse("notifications")
    response = client.post(
        f"{reverse('login')}?next={target}", {"username": "dan", "password": PASSWORD}
    )
    assert response["Location"] == target


def test_the_navbar_leads_each_role_to_its_lists_and_not_to_a_flat_list(client, county):
    client.force_login(county.office)
    office_nav = client.get(reverse("analysis:ledger")).content.decode().split("</nav>")[0]
    assert "问题总台账" in office_nav and "我的问题" not in office_nav

    client.force_login(county.dan)
    dept_nav = client.get(reverse("workspace:inbox")).content.decode().split("</nav>")[0]
    assert "部门待办" in dept_nav and "全部问题" in dept_nav and "我的问题" not in dept_nav


def test_a_clerk_made_office_staff_lands_on_the_ledger_next_time(client, county):
    DepartmentStaff.objects.filter(user=county.dan).update(department=county.office_dept)
    assert lands(client, county.dan) == reverse("analysis:ledger")


def test_a_new_user_with_only_an_enterprise_lands_on_the_portal(client, county):
    user = make_user("newcomer")
    EnterpriseContact.objects.create(user=user, enterprise=county.steel)
    assert lands(client, user) == reverse("portal:cases")
