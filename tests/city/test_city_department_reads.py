"""A city department reads what it needs of a county's case (cases.selectors.sees_internal_events):
the public timeline, the county's explanation (the reply) and the escalations with their 政策建议
— never the county's own working record (internal notes, the office's 交办意见, who did what,
supervision, listing) — on the case page and in the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases import workflow
from tests.api.conftest import token_for
from tests.city.conftest import POLICY, PROPOSAL

pytestmark = pytest.mark.django_db

MARKERS = {
    "department's internal progress": "MK-CITY-DEPT-NOTE-4Q",
    "office's internal progress": "MK-CITY-OFFICE-NOTE-7W",
    "office's 交办意见": "MK-CITY-ASSIGN-NOTE-2E",
}


@pytest.fixture
def case(world):
    county = world.county
    case = county.assigned(note=MARKERS["office's 交办意见"])
    workflow.case_accept(actor=county.dan, case=case, contact_note="电话联系付董")
    workflow.case_add_progress(
        actor=county.dan, case=case, note=MARKERS["department's internal progress"]
    )
    workflow.case_add_progress(
        actor=county.office, case=case, note=MARKERS["office's internal progress"]
    )
    workflow.case_reply(actor=county.dan, case=case, outcome="explained", reply=POLICY)
    escalation = workflow.case_escalate_to_city(actor=county.office, case=case, proposal=PROPOSAL)
    workflow.city_escalation_assign(
        actor=world.city_office, escalation=escalation, city_department=world.fgw
    )
    return case


def leaked(text: str) -> list[str]:
    return [name for name, marker in MARKERS.items() if marker in text]


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return api


def test_the_case_page_shows_the_city_department_the_public_record_and_the_escalation(world, case):
    clerk = Client()
    clerk.force_login(world.fgw_clerk)
    page = clerk.get(reverse("case_detail", args=[case.pk]))
    body = page.content.decode()
    assert page.context["internal"] is False
    assert leaked(body) == []
    assert "内部意见" not in body and 'id="supervision-notices"' not in body
    assert 'id="city-escalations"' in body and PROPOSAL in body  # the 政策建议
    assert POLICY in body  # the county's explanation
    # Not the enterprise's page either: no "what you may do next" written for the enterprise.
    assert page.context["enterprise_view"] is False and 'id="urge-after"' not in body
    # The county's own office and lead department read all of it, as before.
    for reader in (world.county.office, world.county.dan):
        staff = Client()
        staff.force_login(reader)
        assert len(leaked(staff.get(reverse("case_detail", args=[case.pk])).content.decode())) > 0


def test_the_api_gives_the_city_department_the_public_timeline_and_the_escalations(world, case):
    api = api_for(world.fgw_clerk)
    events = api.get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    assert events and all(e["public"] and e["internal_note"] is None for e in events)
    assert all(e["actor"] is None for e in events)
    assert leaked(str(events)) == []
    assert POLICY in str(events)
    detail = api.get(f"/api/v1/cases/{case.pk}/")
    assert detail.status_code == 200 and detail.json()["reply"] == POLICY
    assert detail.json()["listed_at"] is None
    escalations = api.get(f"/api/v1/cases/{case.pk}/city-escalations/").json()
    assert [(e["proposal"], e["city_department"], e["state"]) for e in escalations] == [
        (PROPOSAL, "市发改委", "assigned")
    ]
    # The county's lead department reads the internal record through the same API, and the
    # escalation too (its county's office and leadership do; a department of none: empty).
    staff_events = str(api_for(world.county.dan).get(f"/api/v1/cases/{case.pk}/events/").json())
    assert MARKERS["department's internal progress"] in staff_events
    office = api_for(world.county.office).get(f"/api/v1/cases/{case.pk}/city-escalations/")
    assert [e["proposal"] for e in office.json()] == [PROPOSAL]
    assert api_for(world.county.dan).get(f"/api/v1/cases/{case.pk}/city-escalations/").json() == []
    # Another city department reads nothing of it.
    assert (
        api_for(world.zrzy_clerk).get(f"/api/v1/cases/{case.pk}/city-escalations/").status_code
        == 404
    )
