"""POST /api/v1/cases/{id}/escalate-to-city/ (上报市级, cases.workflow.city): the county office's."""

from __future__ import annotations

import pytest

from cases import workflow
from cases.models import CityEscalation
from tests.api.conftest import case_url
from tests.city.conftest import POLICY, PROPOSAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def explained(county):
    return workflow.case_reply(
        actor=county.dan, case=county.in_progress(), outcome="explained", reply=POLICY
    )


def test_the_county_office_escalates_a_policy_barrier(county, as_user, explained):
    response = as_user(county.office).post(
        case_url(explained, "escalate-to-city"), {"proposal": PROPOSAL}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == explained.pk
    assert CityEscalation.objects.get(case=explained).proposal == PROPOSAL
    again = as_user(county.office).post(
        case_url(explained, "escalate-to-city"), {"proposal": PROPOSAL}
    )
    assert again.status_code == 409
    assert "已上报市级" in str(again.json())


def test_refusals_name_what_is_wrong(county, as_user, explained):
    office = as_user(county.office)
    assert office.post(case_url(explained, "escalate-to-city"), {}).status_code == 400
    resolved = county.replied()
    response = office.post(case_url(resolved, "escalate-to-city"), {"proposal": PROPOSAL})
    assert response.status_code == 409 and "政策障碍" in str(response.json())
    response = as_user(county.dan).post(
        case_url(explained, "escalate-to-city"), {"proposal": PROPOSAL}
    )
    assert response.status_code == 403
    assert not CityEscalation.objects.exists()
