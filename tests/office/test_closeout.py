"""销号: close replied cases, one or many; unrated ones after a while as "未评价"; reopen closed ones."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent
from tests.office.helpers import messages_of

pytestmark = pytest.mark.django_db

URL = reverse("office:closeout")


def rated(county, enterprise=None):
    case = county.replied(enterprise=enterprise or county.steel)
    contact = county.eva if case.enterprise == county.steel else county.bea
    return workflow.case_rate(actor=contact, case=case, rating="satisfied", comment="很满意")


def replied_days_ago(county, days, enterprise=None):
    case = county.replied(enterprise=enterprise)
    Case.objects.filter(pk=case.pk).update(replied_at=timezone.now() - dt.timedelta(days=days))
    case.refresh_from_db()
    return case


def close(client, *cases, note=""):
    return client.post(reverse("office:close"), {"case": [c.pk for c in cases], "note": note})


def test_waiting_cases_show_their_reply_and_rating(office_client, county):
    case = rated(county)
    fresh = county.replied(enterprise=county.poultry)
    response = office_client.get(URL)
    rows = {c.pk: (rating, state) for c, rating, state in response.context["rows"]}
    assert rows[case.pk][0].level == "satisfied" and rows[case.pk][1].closable
    assert rows[fresh.pk][0] is None and not rows[fresh.pk][1].closable
    body = response.content.decode()
    assert "已增设一台变压器" in body and "满意" in body and "很满意" in body
    assert "等待企业评价" in body
    assert f'id="close-{fresh.pk}" disabled' in body


def test_the_office_closes_several_rated_cases_at_once(office_client, county):
    a, b = rated(county), rated(county, enterprise=county.poultry)
    response = close(office_client, a, b, note="办结")
    assert messages_of(response) == ["已销号 2 件问题。"]
    for case in (a, b):
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED
        assert case.events.get(kind=CaseEvent.Kind.CLOSED).note == "办结"


def test_an_unrated_case_cannot_be_closed_before_its_wait_is_over_and_stops_the_batch(
    office_client, county
):
    done = rated(county)
    unrated = replied_days_ago(county, 1, enterprise=county.poultry)
    response = close(office_client, done, unrated)
    [message] = messages_of(response)
    assert unrated.number in message and "未评价" in message
    for case in (done, unrated):
        case.refresh_from_db()
        assert case.status == Case.Status.REPLIED


def test_an_unrated_case_is_closed_as_unrated_after_the_configured_working_days(
    office_client, county
):
    case = replied_days_ago(county, 30)
    close(office_client, case)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    event = case.events.get(kind=CaseEvent.Kind.CLOSED)
    assert event.note.startswith("未评价：反馈后") and event.data["rated"] is False


def test_the_unrated_wait_is_a_setting(office_client, county, settings):
    settings.UNRATED_CLOSE_AFTER_WORKING_DAYS = 0
    case = county.replied()
    close(office_client, case, note="企业多次联系未果")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert "企业多次联系未果" in case.events.get(kind=CaseEvent.Kind.CLOSED).note


def test_closing_a_case_that_was_never_replied_is_refused_with_a_message(office_client, county):
    case = county.in_progress()
    response = close(office_client, case)
    assert response.status_code == 302
    assert messages_of(response) == [f"问题 {case.number}：问题当前状态为“办理中”，不能销号。"]
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_closing_twice_closes_once(office_client, county):
    case = rated(county)
    close(office_client, case)
    response = close(office_client, case)
    assert "不能销号" in messages_of(response)[0]
    assert case.events.filter(kind=CaseEvent.Kind.CLOSED).count() == 1


def test_closing_nothing_says_so(office_client, county):
    assert messages_of(close(office_client)) == ["请先勾选要销号的问题。"]


def test_a_closed_case_is_reopened_with_a_reason(office_client, county):
    case = county.closed()
    listed = office_client.get(URL, {"tab": "closed"})
    assert [c for c, _form in listed.context["rows"]] == [case]
    response = office_client.post(
        reverse("office:reopen", args=[case.pk]), {f"r{case.pk}-reason": "企业反映问题复发"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.reopen_count == 1
    assert case.events.get(kind=CaseEvent.Kind.REOPENED).note == "企业反映问题复发"


def test_reopening_without_a_reason_says_so_beside_the_field(office_client, county):
    case = county.closed()
    response = office_client.post(reverse("office:reopen", args=[case.pk]), {})
    assert response.status_code == 200
    [(_case, form)] = response.context["rows"]
    assert form.errors["reason"] == ["请填写重新办理的理由。"]
    assert "请填写重新办理的理由。" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_the_close_out_list_is_paginated(office_client, county, settings):
    for _ in range(26):
        county.replied()
    assert len(office_client.get(URL).context["rows"]) == 25
    assert len(office_client.get(URL, {"page": 2}).context["rows"]) == 1


def test_reopening_a_case_that_is_not_closed_is_a_message(office_client, county):
    case = county.replied()
    response = office_client.post(
        reverse("office:reopen", args=[case.pk]), {f"r{case.pk}-reason": "复发"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["问题当前状态为“已反馈”，不能重新办理。"]
