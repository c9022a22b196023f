"""Day one (issue 17): the department can make the call it is measured on.

The case page shows the handling departments and the office the enterprise's contacts with their
numbers as tel: links, its address, its paired cadres and the task force's county leader; the
对接人 on acceptance is picked from those contacts, or typed in as a new one who joins them.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import workflow
from cases.models import Case, CaseEvent
from cases.roles import actor_for
from enterprises.models import ContactPerson, DepartmentStaff, EnterpriseContact
from enterprises.validators import normalize_mobile, validate_mainland_mobile
from taskforces.contacts import phone_book
from taskforces.models import TaskForceMember
from tests.conftest import make_user
from web.case_views import _contacts_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(county):
    """荣信钢构's phone book: the registered chairman, Eva (a login) and a bookkeeper without one;
    a cadre with a phone at 县人社局 paired with it besides Carl."""
    steel = county.steel
    steel.contact_name, steel.contact_phone = "付登印", "0791-85612345"
    steel.address = "进贤县民和镇工业大道88号"
    steel.save()
    county.eva.first_name = "付晓燕"
    county.eva.save()
    EnterpriseContact.objects.filter(user=county.eva).update(
        position="办公室主任", phone="13907910001"
    )
    ContactPerson.objects.create(
        enterprise=steel, name="王会计", position="财务", mobile="13707910002"
    )
    cai = make_user("cai", first_name="蔡建华")
    DepartmentStaff.objects.create(user=cai, department=county.rsj, phone="13607910003")
    TaskForceMember.objects.create(
        task_force=county.task_force, user=cai, role=TaskForceMember.Role.CADRE
    )
    county.li.first_name = "李县长"
    county.li.save()
    return county


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("case_detail", args=[case.pk]))


def accept(client, user, case, **data):
    client.force_login(user)
    return client.post(
        reverse("case_act", args=[case.pk, "accept"]),
        {f"accept-{k}": v for k, v in {"contact_method": "phone", **data}.items()},
    )


def key_of(case, name: str) -> str:
    return next(c.key for c in phone_book(case.enterprise) if c.name == name)


# --- the card ------------------------------------------------------------------------------------


def test_the_lead_and_a_co_department_see_the_contacts_with_tel_links(client, book):
    case = book.assigned(co_departments=[book.rsj])
    for user in (book.dan, book.ren, book.office):
        body = page(client, user, case).content.decode()
        assert 'id="enterprise-contacts"' in body, user
        assert "付登印" in body and 'href="tel:079185612345"' in body
        assert "付晓燕" in body and "办公室主任" in body and 'href="tel:13907910001"' in body
        assert "王会计" in body and "财务" in body and 'href="tel:13707910002"' in body
        assert "进贤县民和镇工业大道88号" in body
        assert "carl" in body and "蔡建华" in body and 'href="tel:13607910003"' in body
        assert "李县长" in body


def test_nobody_else_sees_the_card(client, book):
    case = book.assigned(co_departments=[book.rsj])
    for user in (book.eva, book.carl, book.li):
        response = page(client, user, case)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="enterprise-contacts"' not in body and "tel:13707910002" not in body
    # A department neither leading nor co-handling the case does not see it at all.
    stranger = make_user("zhao")
    DepartmentStaff.objects.create(user=stranger, department=book.power)
    response = page(client, stranger, case)
    assert response.status_code == 404 and b"tel:" not in response.content
    # Nor does the co-department once it is no longer one (a reassignment without it).
    workflow.case_return(actor=book.dan, case=case, reason="不属于本部门职责")
    workflow.case_assign(actor=book.office, case=case, lead_department=book.power)
    assert page(client, book.ren, case).status_code == 404


def test_the_card_follows_the_cases_departments(book):
    poultry_case = book.assigned(book.poultry, lead_department=book.gxj)
    assert _contacts_card(actor_for(book.dan), poultry_case) is not None
    assert _contacts_card(actor_for(book.ren), poultry_case) is None


def test_the_card_is_two_queries_however_many_contacts_and_cadres(client, book):
    case = book.assigned(co_departments=[book.rsj])
    client.force_login(book.dan)
    url = reverse("case_detail", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        ContactPerson.objects.create(
            enterprise=book.steel, name=f"联系人{n}", mobile=f"1380791{n:04d}"
        )
        cadre = make_user(f"cadre{n}")
        DepartmentStaff.objects.create(user=cadre, department=book.rsj, phone=f"1390000{n:04d}")
        TaskForceMember.objects.create(
            task_force=book.task_force, user=cadre, role=TaskForceMember.Role.CADRE
        )
    client.get(url)  # new staff and task-force members are roles: every reader's is read again once
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert "联系人7" in body and "tel:13900000007" in body
    assert len(many) == len(few)
    case = (
        Case.objects.select_related("enterprise").prefetch_related("co_departments").get(pk=case.pk)
    )
    list(case.co_departments.all())
    actor = actor_for(book.dan)
    with CaptureQueriesContext(connection) as card:
        _contacts_card(actor, case)
        phone_book(case.enterprise)  # the acceptance form reads the same list: no query
    assert len(card) == 2


def test_the_same_person_from_two_sources_is_one_entry_with_both_numbers(book):
    book.steel.contact_name = "付晓燕"  # the registered contact is also the login
    book.steel.save()
    entries = [c for c in phone_book(book.steel) if c.name == "付晓燕"]
    assert len(entries) == 1
    assert [p.number for p in entries[0].phones] == ["13907910001", "0791-85612345"]
    assert entries[0].has_login and entries[0].position == "办公室主任"


# --- acceptance picks a contact ------------------------------------------------------------------


def test_the_accept_form_offers_the_contacts_and_a_new_one(client, book):
    case = book.assigned()
    body = page(client, book.dan, case).content.decode()
    assert 'name="accept-contact"' in body
    assert "王会计 · 财务 · 13707910002" in body and 'value="new"' in body
    assert 'name="accept-contact_mobile"' in body


def test_accepting_with_a_listed_contact_records_them_and_the_timeline_shows_them(client, book):
    case = book.assigned()
    response = accept(
        client,
        book.dan,
        case,
        contact=key_of(case, "王会计"),
        contact_note="电话联系王会计，约定周三上门",
    )
    assert response.status_code == 302
    event = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert event.data["person"] == "王会计" and event.data["mobile"] == "13707910002"
    assert event.data["contact"] is None
    assert ContactPerson.objects.filter(enterprise=book.steel).count() == 1
    body = page(client, book.dan, case).content.decode()
    assert "对接人：王会计" in body and 'href="tel:13707910002"' in body
    # The enterprise reads whom the department talked to, not the number.
    body = page(client, book.eva, case).content.decode()
    assert "对接人：王会计" in body and "13707910002" not in body


def test_a_new_contact_typed_in_joins_the_enterprises_contacts(client, book):
    case = book.assigned()
    response = accept(
        client,
        book.dan,
        case,
        contact="new",
        contact_person="熊师傅",
        contact_mobile="138 0791-0009",
        contact_note="上门与设备科熊师傅对接",
    )
    assert response.status_code == 302
    person = ContactPerson.objects.get(enterprise=book.steel, name="熊师傅")
    assert person.mobile == "13807910009" and person.added_by == book.dan
    event = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert event.data == {**event.data, "person": "熊师傅", "mobile": "13807910009"}
    assert event.data["contact"] == person.pk
    # The next case of the enterprise offers them, and the card lists them.
    other = book.assigned()
    body = page(client, book.dan, other).content.decode()
    assert "熊师傅 · 13807910009" in body and 'href="tel:13807910009"' in body


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"contact_person": "熊师傅", "contact_mobile": "12345"},
            "contact_mobile",
            "不是有效的手机号码",
        ),
        (
            {"contact_person": "熊师傅", "contact_mobile": ""},
            "contact_mobile",
            "不是有效的手机号码",
        ),
        (
            {"contact_person": "", "contact_mobile": "13807910009"},
            "contact_person",
            "请填写新联系人的姓名",
        ),
    ],
)
def test_a_bad_new_contact_is_refused_beside_its_field_and_nothing_is_saved(
    client, book, typed, field, message
):
    case = book.assigned()
    response = accept(client, book.dan, case, contact="new", contact_note="电话联系", **typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'name="accept-{field}"' in body
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED and case.contacted_at is None
    assert not case.events.filter(kind=CaseEvent.Kind.ACCEPTED).exists()
    assert ContactPerson.objects.filter(enterprise=book.steel).count() == 1


def test_no_contact_picked_is_refused_with_a_message(client, book):
    case = book.assigned()
    response = accept(client, book.dan, case, contact="", contact_note="电话联系")
    assert response.status_code == 400
    assert "请选择对接人" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED


def test_a_listed_mobile_under_another_name_is_refused(client, book):
    case = book.assigned()
    response = accept(
        client,
        book.dan,
        case,
        contact="new",
        contact_person="王小明",
        contact_mobile="13707910002",
        contact_note="电话联系",
    )
    assert response.status_code == 400
    assert "已登记为联系人“王会计”" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED
    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["王会计"]


def test_the_workflow_refuses_a_bad_mobile_and_saves_nothing(book):
    case = book.assigned()
    with pytest.raises(ValidationError) as refused:
        workflow.case_accept(
            actor=book.dan,
            case=case,
            contact_note="电话联系",
            contact_person="熊师傅",
            contact_mobile="0791-85612345",
            new_contact=True,
        )
    assert "手机号码" in refused.value.message_dict["contact_mobile"][0]
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED
    assert ContactPerson.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        ("13807910009", True),
        ("+86 138 0791 0009", True),
        ("138-0791-0009", True),
        ("19912345678", True),
        ("12807910009", False),
        ("1380791000", False),
        ("0791-85612345", False),
        ("１３８０７９１０００９", True),  # typed with a Chinese input method
    ],
)
def test_what_reads_as_a_mainland_mobile(typed, valid):
    if valid:
        validate_mainland_mobile(typed)
        assert len(normalize_mobile(typed)) == 11
    else:
        with pytest.raises(ValidationError, match="手机号码"):
            validate_mainland_mobile(typed)
