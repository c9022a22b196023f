"""Defects found in review: far-off dates, odd ids, account safety, what an enterprise sees."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases import people, workflow
from cases.errors import ActionForbidden
from cases.models import Case
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def test_a_resolve_deadline_in_the_year_9999_is_refused_not_a_crash(client, county):
    case = county.submitted()
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(
            actor=county.office,
            case=case,
            lead_department=county.gxj,
            resolve_due_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=CHINA),
        )
    assert "resolve_due_at" in refused.value.message_dict
    client.force_login(county.office)
    response = client.post(
        reverse("case_act", args=[case.pk, "assign"]),
        {"assign-lead_department": county.gxj.pk, "assign-resolve_due_on": "9999-12-31"},
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_an_extension_to_the_year_9999_is_refused(county):
    case = county.in_progress()
    with pytest.raises(ValidationError):
        workflow.case_request_extension(
            actor=county.dan,
            case=case,
            resolve_due_at=dt.datetime(9999, 12, 31, tzinfo=CHINA),
            reason="x",
        )
    assert case.requests.count() == 0


def test_a_huge_id_filter_is_a_400_not_a_500(county):
    client = APIClient()
    client.force_authenticate(county.office)
    assert client.get("/api/v1/cases/?enterprise=10000000000000000000000000").status_code == 400


@pytest.mark.parametrize("value", ["²", "10000000000000000000000000"])
def test_office_pages_refuse_ids_that_are_not_ids_with_a_400(client, county, value):
    """One reader of ids (web.query): not an id is a 400 naming the parameter, never a 500."""
    client.force_login(county.office)
    replied = county.replied()
    assert client.post(reverse("office:close"), {"case": value}).status_code == 400
    replied.refresh_from_db()
    assert replied.status == replied.Status.REPLIED
    assert (
        client.get(reverse("office:board") + f"?level={value}&department={value}").status_code
        == 400
    )


def test_the_office_cannot_reset_a_superusers_password(county):
    root = User.objects.create_superuser("root", password="x")
    with pytest.raises(ActionForbidden):
        people.account_reset_password(actor=county.office, account=root)
    with pytest.raises(ActionForbidden):
        people.account_set_active(actor=county.office, account=root, active=False)


def test_a_password_reset_revokes_the_old_api_token(county):
    Token.objects.create(user=county.eva)
    people.account_reset_password(actor=county.office, account=county.eva)
    assert not Token.objects.filter(user=county.eva).exists()


def test_the_enterprise_reads_no_clerk_names_on_the_api_timeline(county):
    case = county.in_progress()
    client = APIClient()
    client.force_authenticate(county.eva)
    events = client.get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    assert events and all(e["actor"] is None for e in events)
    client.force_authenticate(county.dan)
    assert any(e["actor"] for e in client.get(f"/api/v1/cases/{case.pk}/events/").json()["results"])


def test_event_data_times_are_in_beijing_time(county):
    case = county.assigned()
    data = case.events.get(kind="assigned").data
    assert data["contact_due_at"].endswith("+08:00")
