"""上报市级 again (cases.workflow.city): once the city answered, the county office may send the case
up again — a new escalation, never two open at once — and the city's pages show the history."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from cases import workflow
from cases.errors import InvalidState
from cases.models import CaseEvent, CityEscalation
from tests.city.conftest import PROPOSAL

pytestmark = pytest.mark.django_db
K = CaseEvent.Kind
SECOND = "市发改委答复后，建议市自然资源局统筹用地指标，支持企业自建分布式光伏降低用电成本。"
ANSWER = "峰谷电价由省里核定，市里已向省发展改革委反映。"


def answered(world, escalation):
    workflow.city_escalation_assign(
        actor=world.city_office, escalation=escalation, city_department=world.fgw
    )
    return workflow.city_escalation_answer(
        actor=world.fgw_clerk, escalation=escalation, answer=ANSWER
    )


def test_after_the_answer_the_case_goes_up_again_and_never_two_open(world):
    office = world.county.office
    first = world.escalated()
    case = first.case
    assert "escalate_to_city" not in workflow.allowed_actions(office, case)
    answered(world, first)
    assert "escalate_to_city" in workflow.allowed_actions(office, case)

    second = workflow.case_escalate_to_city(actor=office, case=case, proposal=SECOND)
    assert second.pk != first.pk and second.state == CityEscalation.State.ESCALATED
    assert "escalate_to_city" not in workflow.allowed_actions(office, case)
    with pytest.raises(InvalidState, match="市级答复前不能再次上报"):
        workflow.case_escalate_to_city(actor=office, case=case, proposal=PROPOSAL)
    assert list(case.city_escalations.order_by("pk")) == [first, second]
    events = CaseEvent.objects.filter(case=case, kind=K.CITY_ESCALATED).order_by("pk")
    assert [e.data["round"] for e in events] == [1, 2]
    assert "第2次" in events[1].note and events[1].internal_note == SECOND


def test_the_database_refuses_a_second_open_escalation(world):
    first = world.escalated()
    with pytest.raises(IntegrityError), transaction.atomic():
        CityEscalation.objects.create(
            case=first.case, city=world.city, proposal=SECOND, escalated_at=first.escalated_at
        )


def test_the_city_pages_and_the_case_page_show_the_history(world):
    office = world.county.office
    first = world.escalated()
    answered(world, first)
    second = workflow.case_escalate_to_city(actor=office, case=first.case, proposal=SECOND)
    workflow.city_escalation_assign(
        actor=world.city_office, escalation=second, city_department=world.zrzy
    )

    city = Client()
    city.force_login(world.city_office)
    page = city.get(reverse("analysis:city_escalations"))
    rows = {row["e"].pk: row for row in page.context["rows"]}
    assert rows[second.pk]["round"] == 2 and rows[second.pk]["earlier"] == [first]
    assert rows[first.pk]["round"] == 1 and rows[first.pk]["earlier"] == []
    body = page.content.decode()
    assert 'data-round="2"' in body and f'data-history="{first.pk}"' in body
    assert ANSWER in body

    # The new department reads the case and the whole history with the city; the first one
    # still reads the case it answered.
    clerk = Client()
    clerk.force_login(world.zrzy_clerk)
    inbox = clerk.get(reverse("analysis:city_department_inbox")).content.decode()
    assert SECOND in inbox and f'data-history="{first.pk}"' in inbox
    case_page = clerk.get(reverse("case_detail", args=[first.case_id]))
    assert [e.pk for e in case_page.context["city_escalations"]] == [first.pk, second.pk]
    text = case_page.content.decode()
    assert PROPOSAL in text and SECOND in text and ANSWER in text
    fgw = Client()
    fgw.force_login(world.fgw_clerk)
    assert fgw.get(reverse("case_detail", args=[first.case_id])).status_code == 200
