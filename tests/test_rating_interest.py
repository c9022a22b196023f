"""A rating recorded by an interested party: a cadre whose own unit leads, co-handles or holds a part
of a case may not record its return-visit rating; and every rating shows who recorded it.

Gao is a paired cadre of 荣信钢构's task force who sits for 县工信局 there; Carl is its paired cadre
with no unit of his own (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import workflow
from cases.errors import ActionForbidden
from cases.models import Case, CaseEvent, Rating, Visit
from enterprises.models import DepartmentStaff
from fieldwork.services import visit_log
from taskforces.models import TaskForceMember
from tests.api.conftest import token_for
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REFUSAL = (
    "县工信局承办此问题，本单位的干部不能代录它的评价。"
    "请企业自行评价，或由其他单位的结对干部回访代录。"
)


@pytest.fixture
def gao(county):
    user = make_user("gao", first_name="高建华")
    TaskForceMember.objects.create(
        task_force=county.task_force,
        user=user,
        role=TaskForceMember.Role.CADRE,
        department=county.gxj,
    )
    return user


def replied_by_rsj(county, **kwargs) -> Case:
    """A case 县人社局 (Ren) leads, contacted and replied."""
    case = county.assigned(lead_department=county.rsj, **kwargs)
    workflow.case_accept(actor=county.ren, case=case, contact_note="电话联系")
    return workflow.case_reply(actor=county.ren, case=case, outcome="resolved", reply="已招到工人")


def return_visit(user, county) -> Visit:
    visit, _ = visit_log(
        actor=user,
        enterprise=county.steel,
        visited_on=dt.date.today(),
        kind=Visit.Kind.RESOLVE,
    )
    return visit


# --- who may not record it -----------------------------------------------------------------------


def test_a_cadre_of_the_lead_department_cannot_record_its_rating(county, gao):
    case = county.replied()  # 县工信局 leads
    with pytest.raises(ActionForbidden) as refused:
        workflow.case_rate(actor=gao, case=case, rating="very_satisfied")
    assert refused.value.message == REFUSAL
    assert not Rating.objects.filter(case=case).exists()
    assert "rate" not in workflow.allowed_actions(gao, case)


def test_nor_a_cadre_of_a_co_department(county, gao):
    case = replied_by_rsj(county, co_departments=[county.gxj])
    with pytest.raises(ActionForbidden) as refused:
        workflow.case_rate(actor=gao, case=case, rating="satisfied")
    assert refused.value.message == REFUSAL


def test_nor_a_cadre_whose_unit_holds_a_part_of_the_case(county, gao):
    case = county.assigned(lead_department=county.rsj)
    workflow.case_accept(actor=county.ren, case=case, contact_note="电话联系")
    workflow.case_add_breakdown_item(
        actor=county.ren,
        case=case,
        department=county.gxj,
        measure="协调企业用工补贴",
        due_on=dt.date.today() + dt.timedelta(days=3),
    )
    workflow.case_reply(actor=county.ren, case=case, outcome="resolved", reply="已招到工人")
    with pytest.raises(ActionForbidden) as refused:
        workflow.case_rate(actor=gao, case=case, rating="satisfied")
    assert refused.value.message == REFUSAL


def test_nor_a_cadre_who_is_on_the_departments_staff(county):
    clerk = make_user("xu")
    DepartmentStaff.objects.create(user=clerk, department=county.gxj)
    TaskForceMember.objects.create(
        task_force=county.task_force, user=clerk, role=TaskForceMember.Role.CADRE
    )
    case = county.replied()
    with pytest.raises(ActionForbidden) as refused:
        workflow.case_rate(actor=clerk, case=case, rating="satisfied")
    assert refused.value.message == REFUSAL


def test_the_same_cadre_records_the_rating_of_another_units_case(county, gao):
    case = replied_by_rsj(county)
    workflow.case_rate(actor=gao, case=case, rating="satisfied", comment="满意")
    rating = Rating.objects.get(case=case)
    assert rating.rated_by == gao and rating.recorded_by_cadre


def test_the_enterprise_itself_always_rates(county, gao):
    case = county.replied()
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    assert Rating.objects.get(case=case).rated_by == county.eva


# --- the return-visit form and the case page -----------------------------------------------------


def test_the_return_visit_page_says_why_instead_of_offering_the_form(client, county, gao):
    own, other = county.replied(), replied_by_rsj(county)
    visit = return_visit(gao, county)
    client.force_login(gao)
    html = client.get(reverse("fieldwork:return_visit", args=[visit.pk])).content.decode()
    assert REFUSAL in html
    assert reverse("fieldwork:return_visit_rate", args=[visit.pk, own.pk]) not in html
    assert reverse("fieldwork:return_visit_rate", args=[visit.pk, other.pk]) in html


def test_a_rating_posted_anyway_is_refused_with_the_reason(client, county, gao):
    case = county.replied()
    visit = return_visit(gao, county)
    client.force_login(gao)
    response = client.post(
        reverse("fieldwork:return_visit_rate", args=[visit.pk, case.pk]),
        {f"case-{case.pk}-rating": "very_satisfied", f"case-{case.pk}-comment": "好"},
    )
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert not Rating.objects.filter(case=case).exists()


def test_the_case_page_does_not_send_an_interested_cadre_to_record_it(client, county, gao):
    case = county.replied()
    client.force_login(gao)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="rate-on-visit"' not in html and REFUSAL in html
    client.force_login(county.carl)
    html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="rate-on-visit"' in html and REFUSAL not in html


def test_the_api_refuses_with_the_reason(county, gao):
    case = county.replied()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(gao)}")
    response = client.post(f"/api/v1/cases/{case.pk}/rate/", {"rating": "satisfied"}, format="json")
    assert response.status_code == 403 and REFUSAL in str(response.json())


# --- every rating shows who recorded it ----------------------------------------------------------


def rated_by_carl_then_eva(county) -> Case:
    case = county.replied()
    workflow.case_rate(actor=county.carl, case=case, rating="dissatisfied", comment="还是跳闸")
    workflow.case_reply(actor=county.dan, case=case, outcome="resolved", reply="又加了一台")
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    return case


def test_the_case_page_names_who_recorded_each_rating(client, county):
    case = rated_by_carl_then_eva(county)
    for user in (county.office, county.eva):
        client.force_login(user)
        html = client.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert "干部回访代录：carl" in html and "企业评价：eva" in html


def test_the_portal_names_who_recorded_the_latest_rating(client, county):
    case = county.replied()
    workflow.case_rate(actor=county.carl, case=case, rating="satisfied")
    client.force_login(county.eva)
    html = client.get(reverse("portal:cases")).content.decode()
    start = html.index(f'id="case-{case.pk}"')
    assert "干部回访代录：carl" in html[start:]


def test_the_api_timeline_names_who_recorded_each_rating(county):
    case = rated_by_carl_then_eva(county)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(county.eva)}")
    events = client.get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    rated = [e for e in events if e["kind"] == CaseEvent.Kind.RATED]
    assert [(e["data"]["recorded_by"], e["data"]["recorded_by_cadre"]) for e in rated] == [
        ("carl", True),
        ("eva", False),
    ]
    assert [e["unit"]["name"] for e in rated] == ["荣信钢构专班", county.steel.name]
    assert Case.objects.get(pk=case.pk).status == "replied"
