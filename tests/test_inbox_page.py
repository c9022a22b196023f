import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_department_sees_the_assignment_notice_and_opens_it(client, county):
    case = county.assigned()
    client.force_login(county.dan)
    body = client.get(reverse("notifications")).content.decode()
    assert case.number in body and "未读" in body
    notice = Notification.objects.get(user=county.dan, channel="in_app", case=case)
    response = client.post(reverse("notification_read", args=[notice.pk]), {"open": "1"})
    assert response.url == reverse("case_detail", args=[case.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_someone_elses_notification_answers_404(client, county):
    county.assigned()
    notice = Notification.objects.filter(user=county.dan, channel="in_app").first()
    client.force_login(county.ren)
    assert client.post(reverse("notification_read", args=[notice.pk])).status_code == 404
    assert county.steel.name not in client.get(reverse("notifications")).content.decode()


def test_the_navbar_shows_how_many_messages_are_unread(client, county):
    county.assigned()
    county.assigned()
    client.force_login(county.dan)
    body = client.get(reverse("home"), follow=True).content.decode()
    assert 'id="unread-count">2<' in body
    client.force_login(county.ren)
    assert 'id="unread-count"' not in client.get(reverse("home"), follow=True).content.decode()
