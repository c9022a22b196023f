"""GET /api/v1/notifications/ and POST /api/v1/notifications/{id}/read/ (DESIGN §9)."""

import pytest
from rest_framework.test import APIClient

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_department_lists_its_own_notifications(county):
    case = county.assigned()
    response = api(county.dan).get("/api/v1/notifications/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["results"][0]["case"] == case.pk
    assert body["results"][0]["kind"] == "assigned" and body["results"][0]["read_at"] is None
    assert api(county.ren).get("/api/v1/notifications/").json()["count"] == 0


def test_marking_read_answers_the_notification_and_filters_unread(county):
    county.assigned()
    notice = Notification.objects.get(user=county.dan, channel="in_app")
    response = api(county.dan).post(f"/api/v1/notifications/{notice.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api(county.dan).get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_someone_elses_notification_answers_404(county):
    county.assigned()
    notice = Notification.objects.get(user=county.dan, channel="in_app")
    assert api(county.ren).post(f"/api/v1/notifications/{notice.pk}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_without_credentials_it_answers_401(county):
    assert APIClient().get("/api/v1/notifications/").status_code == 401
