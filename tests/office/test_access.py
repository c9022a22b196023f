"""Only the county office uses the console; every office page warns about a missing calendar."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from cases.models import CalendarOverride

pytestmark = pytest.mark.django_db

PAGES = [
    "office:triage",
    "office:board",
    "office:decisions",
    "office:closeout",
    "office:meetings",
    "office:meeting_new",
]


@pytest.mark.parametrize("name", PAGES)
def test_a_department_clerk_is_refused_the_office_pages(client, county, name):
    client.force_login(county.dan)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_is_sent_to_sign_in(client, county, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_office_actions_refuse_an_enterprise_contact(client, county):
    case = county.submitted()
    client.force_login(county.eva)
    assert client.post(reverse("office:merge", args=[case.pk]), {"into": 1}).status_code == 403
    assert client.post(reverse("office:close"), {"case": case.pk}).status_code == 403
    assert (
        client.post(reverse("office:assign"), {"case": case.pk, "step": "confirm"}).status_code
        == 403
    )


def test_the_navbar_links_the_office_pages(office_client):
    body = office_client.get(reverse("office:triage")).content.decode()
    for name in [
        "office:triage",
        "office:board",
        "office:decisions",
        "office:closeout",
        "office:meetings",
    ]:
        assert f'href="{reverse(name)}"' in body


@pytest.mark.parametrize("name", PAGES)
def test_every_office_page_warns_when_next_years_holidays_are_not_entered(office_client, name):
    with mock.patch("web.context_processors.timezone.localdate", return_value=dt.date(2098, 6, 1)):
        body = office_client.get(reverse(name)).content.decode()
    assert 'id="calendar-warning"' in body
    assert "2098、2099" in body


def test_the_warning_goes_once_the_years_schedules_are_entered(office_client):
    for year in (2098, 2099):
        CalendarOverride.objects.create(
            date=dt.date(year, 1, 1), kind=CalendarOverride.Kind.HOLIDAY
        )
    with mock.patch("web.context_processors.timezone.localdate", return_value=dt.date(2098, 6, 1)):
        body = office_client.get(reverse("office:board")).content.decode()
    assert 'id="calendar-warning"' not in body
