"""上报市级 on the pages: the county office's action on the case page, the city office's inbox with
its assignment, the city department's inbox with its answer — and the answer on the case page of
the county office, the lead department and the enterprise."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseEvent, CityEscalation
from tests.city.conftest import POLICY, PROPOSAL

pytestmark = pytest.mark.django_db

ANSWER = "市发改委已将该企业列入全市大工业用电直接交易名单，自下月起执行。"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_office_escalates_city_assigns_department_answers_everyone_reads_it(world):
    county = world.county
    case = world.explained()
    office = client_for(county.office)
    page = office.get(reverse("case_detail", args=[case.pk]))
    assert 'name="escalate_to_city-proposal"' in page.content.decode()
    response = office.post(
        reverse("case_act", args=[case.pk, "escalate_to_city"]),
        {"escalate_to_city-proposal": PROPOSAL},
    )
    assert response.status_code == 302
    escalation = CityEscalation.objects.get(case=case)
    # Up with the city now: not offered again until the city answers.
    assert (
        'name="escalate_to_city-proposal"'
        not in office.get(reverse("case_detail", args=[case.pk])).content.decode()
    )

    city = client_for(world.city_office)
    inbox = city.get(reverse("analysis:city_escalations")).content.decode()
    assert case.number in inbox and PROPOSAL in inbox and county.steel.name in inbox
    response = city.post(
        reverse("analysis:city_escalation_assign", args=[escalation.pk]),
        {
            f"e{escalation.pk}-city_department": world.fgw.pk,
            f"e{escalation.pk}-answer_working_days": 10,
            f"e{escalation.pk}-note": "请市发改委牵头研究",
        },
    )
    assert response.status_code == 302
    assert "已交市发改委办理。" in city.get(response.url).content.decode()
    escalation.refresh_from_db()
    assert escalation.city_department == world.fgw and escalation.answer_working_days == 10

    clerk = client_for(world.fgw_clerk)
    assert clerk.get(reverse("home")).url == reverse("analysis:city_department_inbox")
    inbox = clerk.get(reverse("analysis:city_department_inbox")).content.decode()
    assert case.number in inbox and PROPOSAL in inbox and 'data-act="answer"' in inbox
    # The city department reads the case itself (the escalated one).
    assert clerk.get(reverse("case_detail", args=[case.pk])).status_code == 200
    response = clerk.post(
        reverse("analysis:city_department_act", args=[escalation.pk, "answer"]),
        {f"e{escalation.pk}-answer": ANSWER},
    )
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CITY_ANSWERED).exists()

    for reader in (county.office, county.dan, county.eva):
        text = client_for(reader).get(reverse("case_detail", args=[case.pk])).content.decode()
        assert ANSWER in text, reader
        assert POLICY in text
    enterprise_page = client_for(county.eva).get(reverse("case_detail", args=[case.pk]))
    assert PROPOSAL not in enterprise_page.content.decode()
    # Answered: the county office may send it up again (cases.workflow.city).
    assert 'name="escalate_to_city-proposal"' in (
        client_for(county.office).get(reverse("case_detail", args=[case.pk])).content.decode()
    )


def test_the_action_is_offered_only_on_an_explained_case_to_the_county_office(world):
    county = world.county
    explained, resolved = world.explained(), county.replied()
    assert "escalate_to_city-proposal" not in (
        client_for(county.office).get(reverse("case_detail", args=[resolved.pk])).content.decode()
    )
    for who in (county.dan, county.eva):
        page = client_for(who).get(reverse("case_detail", args=[explained.pk]))
        assert "escalate_to_city-proposal" not in page.content.decode()
    # A department posting it anyway is refused, in words; nothing is saved.
    response = client_for(county.dan).post(
        reverse("case_act", args=[explained.pk, "escalate_to_city"]),
        {"escalate_to_city-proposal": PROPOSAL},
    )
    assert response.status_code == 403
    assert "上报市级" in response.content.decode()
    # Another county's office does not see the case at all.
    response = client_for(world.other_county.office).post(
        reverse("case_act", args=[explained.pk, "escalate_to_city"]),
        {"escalate_to_city-proposal": PROPOSAL},
    )
    assert response.status_code == 404
    # An empty proposal comes back next to its field.
    response = client_for(county.office).post(
        reverse("case_act", args=[explained.pk, "escalate_to_city"]),
        {"escalate_to_city-proposal": ""},
    )
    assert response.status_code == 400
    assert not CityEscalation.objects.exists()


def test_the_city_pages_refuse_other_roles_and_other_cities(world):
    escalation = world.assigned()
    for who in (world.county.office, world.fgw_clerk):
        assert client_for(who).get(reverse("analysis:city_escalations")).status_code == 403
    for who in (world.county.office, world.city_office):
        assert client_for(who).get(reverse("analysis:city_department_inbox")).status_code == 403
    # Another city's department, and another department of the city: not theirs to see or act.
    for who in (world.foreign_clerk, world.zrzy_clerk):
        client = client_for(who)
        assert (
            escalation.case.number
            not in client.get(reverse("analysis:city_department_inbox")).content.decode()
        )
        response = client.post(
            reverse("analysis:city_department_act", args=[escalation.pk, "answer"]),
            {f"e{escalation.pk}-answer": ANSWER},
        )
        assert response.status_code == 404
        assert client.get(reverse("case_detail", args=[escalation.case_id])).status_code == 404
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.CITY_ANSWERED).exists()


def test_a_bad_assignment_comes_back_with_its_words(world):
    escalation = world.escalated()
    response = client_for(world.city_office).post(
        reverse("analysis:city_escalation_assign", args=[escalation.pk]),
        {
            f"e{escalation.pk}-city_department": world.foreign_fgw.pk,  # not offered
            f"e{escalation.pk}-answer_working_days": 10,
        },
    )
    assert response.status_code == 400
    escalation.refresh_from_db()
    assert escalation.city_department_id is None


def test_the_inboxes_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(3):
        world.assigned()
    world.escalated(world.other_county)
    world.escalated()
    city, clerk = client_for(world.city_office), client_for(world.fgw_clerk)
    city.get(reverse("analysis:city_escalations"))  # warm the session
    clerk.get(reverse("analysis:city_department_inbox"))
    with django_assert_max_num_queries(14) as few:
        city.get(reverse("analysis:city_escalations"))
    with django_assert_max_num_queries(14) as few_clerk:
        clerk.get(reverse("analysis:city_department_inbox"))
    for _ in range(3):
        world.assigned()
        world.escalated()  # waiting for its assignment: a form of its own
    with django_assert_max_num_queries(len(few.captured_queries)):
        city.get(reverse("analysis:city_escalations"))
    with django_assert_max_num_queries(len(few_clerk.captured_queries)):
        clerk.get(reverse("analysis:city_department_inbox"))


def test_a_city_department_reads_nothing_else_of_the_county_on_pages_or_the_api(world):
    from rest_framework.test import APIClient

    from tests.api.conftest import token_for

    escalation = world.assigned()
    others = [world.county.replied(), world.explained(), world.escalated(world.other_county).case]
    clerk = client_for(world.fgw_clerk)
    for case in others:
        assert clerk.get(reverse("case_detail", args=[case.pk])).status_code == 404
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(world.fgw_clerk)}")
    listed = api.get("/api/v1/cases/").json()
    assert [row["id"] for row in listed["results"]] == [escalation.case_id]
    for case in others:
        assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_the_city_inbox_is_paged_in_the_database_the_waiting_first(world, monkeypatch):
    """A city's years of escalations are not read whole: 20 a page (here 2), those waiting on the
    city's office (not yet given to a city department) first, then the newest."""
    from analysis.views import city_escalations

    monkeypatch.setattr(city_escalations, "PER_PAGE", 2)
    given = [world.assigned(), world.assigned()]
    waiting = world.escalated()
    city = client_for(world.city_office)
    first = city.get(reverse("analysis:city_escalations"))
    assert [row["e"].pk for row in first.context["rows"]] == [waiting.pk, given[1].pk]
    assert "page=2" in first.content.decode()
    second = city.get(reverse("analysis:city_escalations") + "?page=2")
    assert [row["e"].pk for row in second.context["rows"]] == [given[0].pk]
    # the city department's inbox: those it has not answered first, paged the same way
    department = client_for(world.fgw_clerk)
    inbox = department.get(reverse("analysis:city_department_inbox"))
    assert [row["e"].pk for row in inbox.context["rows"]] == [given[1].pk, given[0].pk]
