"""Accounts: the office (or the enterprise's paired cadre) opens a login for a contact person and
hands over a password shown once; the office resets it; the contact changes it."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from enterprises.models import EnterpriseContact

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "pw-for-tests-only"


def contacts_page(enterprise) -> str:
    return reverse("portal:enterprise_contacts", args=[enterprise.pk])


def reset_url(contact) -> str:
    return reverse("portal:contact_reset_password", args=[contact.pk])


def create(client, user, enterprise, **data):
    client.force_login(user)
    data = {
        "full_name": "付登印",
        "phone": "13900000001",
        "email": "fu@rongxin.example",
        "username": "fudengyin",
        **data,
    }
    return client.post(contacts_page(enterprise), data)


def shown_password(response) -> str:
    return re.search(r'id="one-time-password">([^<]+)<', response.content.decode()).group(1)


def can_log_in(username: str, password: str) -> bool:
    """Through the real sign-in page (with its lockout backend), as the contact would."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_the_office_creates_a_contact_and_sees_the_password_once(client, county):
    response = create(client, county.office, county.steel)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = shown_password(response)
    contact = EnterpriseContact.objects.get(user__username="fudengyin")
    assert contact.enterprise == county.steel and contact.phone == "13900000001"
    assert contact.user.get_full_name() == "付登印"
    assert contact.user.email == "fu@rongxin.example"
    assert can_log_in("fudengyin", password)
    assert password not in client.get(contacts_page(county.steel)).content.decode()


def test_the_new_contact_sees_her_enterprises_cases(client, county):
    case = county.submitted()
    password = shown_password(create(client, county.office, county.steel))
    visitor = Client()
    visitor.post(reverse("login"), {"username": "fudengyin", "password": password})
    assert case.number in visitor.get(reverse("portal:cases")).content.decode()


def test_an_enterprise_can_have_several_contacts(client, county):
    create(client, county.office, county.steel)
    create(client, county.office, county.steel, username="caiwu", full_name="财务王")
    assert county.steel.contacts.count() == 3  # Eva and the two new ones
    body = client.get(contacts_page(county.steel)).content.decode()
    assert "eva" in body and "fudengyin" in body and "caiwu" in body


def test_the_paired_cadre_may_create_a_contact_for_the_task_forces_enterprise(client, county):
    response = create(client, county.carl, county.steel)
    assert response.status_code == 200 and shown_password(response)


def test_the_cadre_cannot_reach_an_enterprise_outside_the_task_force(client, county):
    assert create(client, county.carl, county.poultry).status_code == 404
    assert not User.objects.filter(username="fudengyin").exists()


@pytest.mark.parametrize("who", ["dan", "ren", "eva", "sam"])
def test_other_roles_cannot_manage_accounts(client, county, who):
    client.force_login(getattr(county, who))
    assert client.get(reverse("portal:accounts")).status_code == 403
    assert create(client, getattr(county, who), county.steel).status_code == 404
    assert not User.objects.filter(username="fudengyin").exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"username": "eva"}, "username", "用户名“eva”已被使用，请换一个。"),
        ({"username": "EVA"}, "username", "用户名“EVA”已被使用，请换一个。"),
        ({"username": "has space"}, "username", "用户名只能包含字母、数字和 @ . + - _ 符号。"),
        ({"username": ""}, "username", "请填写登录用户名。"),
        ({"full_name": "  "}, "full_name", "请填写联系人姓名。"),
        ({"email": "not-an-address"}, "email", "请填写有效的电子邮箱地址。"),
    ],
)
def test_bad_account_details_are_refused_next_to_the_field(client, county, data, field, message):
    before = User.objects.count()
    response = create(client, county.office, county.steel, **data)
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_the_accounts_list_finds_enterprises_and_counts_their_contacts(client, county):
    client.force_login(county.office)
    response = client.get(reverse("portal:accounts"), {"q": "荣信"})
    body = response.content.decode()
    assert "江西进贤荣信钢构公司" in body and "1 名联系人" in body and "桂柳" not in body
    client.force_login(county.carl)
    names = [e.name for e in client.get(reverse("portal:accounts")).context["page"].object_list]
    assert names == ["江西进贤荣信钢构公司"]


def test_the_office_resets_a_password_the_old_one_stops_working(client, county):
    contact = county.eva.enterprise_contact
    eva_session = Client()
    eva_session.force_login(county.eva)
    client.force_login(county.office)
    response = client.post(reset_url(contact))
    password = shown_password(response)
    assert "no-store" in response["Cache-Control"] and "密码已重置" in response.content.decode()
    assert can_log_in("eva", password) and not can_log_in("eva", PASSWORD)
    # The session signed in with the old password is over.
    assert eva_session.get(reverse("portal:cases")).status_code == 302


def test_a_reset_lifts_a_lockout(client, county):
    AccessAttempt.objects.create(username="eva", ip_address="10.0.0.1", failures_since_start=9)
    client.force_login(county.office)
    with_password = client.post(reset_url(county.eva.enterprise_contact))
    assert shown_password(with_password)
    assert not AccessAttempt.objects.filter(username="eva").exists()


def test_the_cadre_may_not_reset_a_password(client, county):
    client.force_login(county.carl)
    assert client.post(reset_url(county.eva.enterprise_contact)).status_code == 403
    assert can_log_in("eva", PASSWORD)


def test_a_reset_is_a_post_only(client, county):
    client.force_login(county.office)
    assert client.get(reset_url(county.eva.enterprise_contact)).status_code == 405
    assert can_log_in("eva", PASSWORD)


def test_the_reset_button_is_offered_to_the_office_only(client, county):
    client.force_login(county.office)
    assert (
        reset_url(county.eva.enterprise_contact)
        in client.get(contacts_page(county.steel)).content.decode()
    )
    client.force_login(county.carl)
    assert (
        reset_url(county.eva.enterprise_contact)
        not in client.get(contacts_page(county.steel)).content.decode()
    )


def test_the_contact_changes_her_password(client, county):
    client.force_login(county.eva)
    response = client.post(
        reverse("portal:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Gangou-2021-xin",
            "new_password2": "Gangou-2021-xin",
        },
    )
    assert response.status_code == 302
    assert "密码已修改" in client.get(response["Location"]).content.decode()
    assert can_log_in("eva", "Gangou-2021-xin") and not can_log_in("eva", PASSWORD)


def test_a_wrong_current_password_is_refused_and_nothing_changes(client, county):
    client.force_login(county.eva)
    response = client.post(
        reverse("portal:password_change"),
        {
            "old_password": "guess",
            "new_password1": "Gangou-2021-xin",
            "new_password2": "Gangou-2021-xin",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["old_password"]
    assert can_log_in("eva", PASSWORD)


def test_a_weak_new_password_is_refused(client, county):
    client.force_login(county.eva)
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.context["form"].errors["new_password2"]
    assert can_log_in("eva", PASSWORD)


def test_creating_and_resetting_are_kept_in_the_account_change_record(client, county):
    from taskforces.models import AccountChange

    create(client, county.carl, county.steel)
    client.force_login(county.office)
    client.post(reset_url(county.eva.enterprise_contact))
    changes = AccountChange.objects.order_by("id").values_list(
        "account__username", "changed_by__username", "action"
    )
    assert list(changes) == [
        ("fudengyin", "carl", "created"),
        ("eva", "office", "password_reset"),
    ]


def test_the_accounts_list_costs_the_same_queries_for_few_and_many_enterprises(client, county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_enterprise

    client.force_login(county.office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:accounts")).status_code == 200
        return len(captured)

    queries()  # the reader's roles and calendar, remembered from here (web.remembered)
    few = queries()
    for _ in range(8):
        enterprise = make_enterprise()
        EnterpriseContact.objects.create(
            user=User.objects.create(username=f"c{enterprise.pk}"), enterprise=enterprise
        )
    queries()  # a new contact is a role: every reader's is read again once
    assert queries() == few
