"""上报市级 in the workflow (cases.workflow.city): each step, its event, its refusals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cases import workflow
from cases.errors import ActionForbidden, InvalidState
from cases.models import CalendarOverride, Case, CaseEvent, CityEscalation
from cases.selectors import (
    case_events_visible_to,
    cases_visible_to,
    city_escalations_visible_to,
)
from tests.city.conftest import PROPOSAL

pytestmark = pytest.mark.django_db
K = CaseEvent.Kind
CHINA = ZoneInfo("Asia/Shanghai")


def test_the_answer_flows_back_to_the_case_and_the_county_closes_it(world):
    county = world.county
    case = world.explained()
    assert "escalate_to_city" in workflow.allowed_actions(county.office, case)
    escalation = workflow.case_escalate_to_city(actor=county.office, case=case, proposal=PROPOSAL)
    assert escalation.city_id == world.city.pk
    assert escalation.state == CityEscalation.State.ESCALATED
    assert "escalate_to_city" not in workflow.allowed_actions(county.office, case)

    workflow.city_escalation_assign(
        actor=world.city_office, escalation=escalation, city_department=world.fgw, note="请研究"
    )
    workflow.city_escalation_contact(
        actor=world.fgw_clerk, escalation=escalation, note="已签收，正在与省发改委沟通"
    )
    answer = "经市发改委向省发改委争取，该企业已纳入2027年电力直接交易名单。"
    workflow.city_escalation_answer(actor=world.fgw_clerk, escalation=escalation, answer=answer)
    escalation.refresh_from_db()
    assert escalation.state == CityEscalation.State.ANSWERED

    events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
    city_events = [e for e in events if e.kind.startswith("city_")]
    assert [(e.kind, e.actor, e.unit_kind, e.unit_name, e.public) for e in city_events] == [
        (K.CITY_ESCALATED, county.office, "office", "县委办", True),
        (K.CITY_ASSIGNED, world.city_office, "city", f"{world.city.name}市委办", False),
        (K.CITY_CONTACTED, world.fgw_clerk, "city_dept", "市发改委", False),
        (K.CITY_ANSWERED, world.fgw_clerk, "city_dept", "市发改委", True),
    ]
    assert city_events[0].internal_note == PROPOSAL
    assert city_events[3].note == answer and city_events[3].data["on_time"] is True

    # The enterprise reads that its problem went up and the city's answer, never the proposal.
    seen = list(case_events_visible_to(county.eva, case))
    assert answer in [e.note for e in seen]
    assert K.CITY_ASSIGNED not in {e.kind for e in seen}
    assert all(PROPOSAL not in e.note for e in seen)
    # The lead department and the county office read the whole of it.
    for reader in (county.dan, county.office):
        assert answer in [e.note for e in case_events_visible_to(reader, case)]

    # The county office closes the case as today (rated by its enterprise first).
    workflow.case_rate(actor=county.eva, case=case, rating=Case.Rating.SATISFIED)
    closed = workflow.case_close(actor=county.office, case=case)
    assert closed.status == Case.Status.CLOSED


def test_a_closed_policy_case_may_go_up_too_and_be_reopened_after_the_answer(world):
    county = world.county
    case = world.explained()
    workflow.case_rate(actor=county.eva, case=case, rating=Case.Rating.SATISFIED)
    workflow.case_close(actor=county.office, case=case)
    escalation = workflow.case_escalate_to_city(actor=county.office, case=case, proposal=PROPOSAL)
    workflow.city_escalation_assign(
        actor=world.city_office, escalation=escalation, city_department=world.fgw
    )
    workflow.city_escalation_answer(
        actor=world.fgw_clerk, escalation=escalation, answer="省里已出台新政策，可重新办理。"
    )
    reopened = workflow.case_reopen(actor=county.office, case=case, reason="按市级答复重新办理")
    assert reopened.status == Case.Status.IN_PROGRESS


def test_only_a_policy_barrier_goes_up(world):
    county = world.county
    resolved = county.replied()  # outcome resolved
    with pytest.raises(InvalidState, match="政策障碍"):
        workflow.case_escalate_to_city(actor=county.office, case=resolved, proposal=PROPOSAL)
    handling = county.in_progress()
    with pytest.raises(InvalidState, match="不能上报市级"):
        workflow.case_escalate_to_city(actor=county.office, case=handling, proposal=PROPOSAL)
    assert not CityEscalation.objects.exists()


def test_a_case_is_not_sent_up_twice_while_the_city_has_not_answered(world):
    escalation = world.escalated()
    with pytest.raises(InvalidState, match="市级答复前不能再次上报"):
        workflow.case_escalate_to_city(
            actor=world.county.office, case=escalation.case, proposal=PROPOSAL
        )
    assert CityEscalation.objects.count() == 1
    assert CaseEvent.objects.filter(kind=K.CITY_ESCALATED).count() == 1


def test_the_proposal_is_required_and_nothing_is_half_saved(world):
    case = world.explained()
    with pytest.raises(ValidationError) as error:
        workflow.case_escalate_to_city(actor=world.county.office, case=case, proposal="  ")
    assert "proposal" in error.value.message_dict
    assert not CityEscalation.objects.exists()
    assert not CaseEvent.objects.filter(kind=K.CITY_ESCALATED).exists()


def test_a_department_the_city_and_another_county_cannot_escalate(world):
    case = world.explained()
    for who in (world.county.dan, world.county.hu, world.county.eva, world.city_office):
        with pytest.raises(ActionForbidden, match="上报市级"):
            workflow.case_escalate_to_city(actor=who, case=case, proposal=PROPOSAL)
    # Another county's office: the case is not its (the pages answer 404, cases_visible_to).
    with pytest.raises(ActionForbidden):
        workflow.case_escalate_to_city(
            actor=world.other_county.office, case=case, proposal=PROPOSAL
        )
    assert not cases_visible_to(world.other_county.office).filter(pk=case.pk).exists()
    assert not CityEscalation.objects.exists()


def test_only_the_city_office_assigns_to_one_of_its_own_departments(world):
    escalation = world.escalated()
    for who in (world.county.office, world.fgw_clerk, world.foreign_clerk):
        with pytest.raises(ActionForbidden, match="市委办"):
            workflow.city_escalation_assign(
                actor=who, escalation=escalation, city_department=world.fgw
            )
    with pytest.raises(ValidationError) as error:
        workflow.city_escalation_assign(
            actor=world.city_office, escalation=escalation, city_department=world.foreign_fgw
        )
    assert "city_department" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        workflow.city_escalation_assign(
            actor=world.city_office,
            escalation=escalation,
            city_department=world.fgw,
            answer_working_days=0,
        )
    assert "answer_working_days" in error.value.message_dict
    escalation.refresh_from_db()
    assert escalation.city_department_id is None
    workflow.city_escalation_assign(
        actor=world.city_office, escalation=escalation, city_department=world.fgw
    )
    with pytest.raises(InvalidState, match="市发改委"):
        workflow.city_escalation_assign(
            actor=world.city_office, escalation=escalation, city_department=world.zrzy
        )


def test_only_the_assigned_city_department_answers(world):
    escalation = world.assigned()
    for who in (world.zrzy_clerk, world.foreign_clerk, world.city_office, world.county.dan):
        with pytest.raises(ActionForbidden, match="市直部门"):
            workflow.city_escalation_answer(actor=who, escalation=escalation, answer="答复")
        with pytest.raises(ActionForbidden):
            workflow.city_escalation_contact(actor=who, escalation=escalation, note="签收")
    with pytest.raises(ValidationError):
        workflow.city_escalation_answer(actor=world.fgw_clerk, escalation=escalation, answer="")
    workflow.city_escalation_answer(actor=world.fgw_clerk, escalation=escalation, answer="答复")
    with pytest.raises(InvalidState, match="已答复"):
        workflow.city_escalation_answer(actor=world.fgw_clerk, escalation=escalation, answer="再")
    assert CaseEvent.objects.filter(kind=K.CITY_ANSWERED).count() == 1


def test_an_unassigned_escalation_cannot_be_answered(world):
    escalation = world.escalated()
    with pytest.raises(ActionForbidden):
        workflow.city_escalation_answer(actor=world.fgw_clerk, escalation=escalation, answer="x")


def test_the_city_deadlines_count_working_days_with_a_make_up_weekend(world):
    """Assigned on Thursday 2031-03-06 (an ordinary year: no holiday nearby). Three working days
    for 签收 are Fri, Mon, Tue → due Tue 03-11; with Saturday 03-08 made a working day (调休上班)
    they are Fri, Sat, Mon → due Mon 03-10. The answer's 5 working days likewise one day sooner."""
    assigned_at = dt.datetime(2031, 3, 6, 10, 0, tzinfo=CHINA)

    def deadlines():
        escalation = world.escalated()
        workflow.city_escalation_assign(
            actor=world.city_office,
            escalation=escalation,
            city_department=world.fgw,
            answer_working_days=5,
            now=assigned_at,
        )
        escalation.refresh_from_db()
        return (
            escalation.contact_due_at.astimezone(CHINA).date(),
            escalation.answer_due_at.astimezone(CHINA).date(),
        )

    assert deadlines() == (dt.date(2031, 3, 11), dt.date(2031, 3, 13))
    CalendarOverride.objects.create(
        date=dt.date(2031, 3, 8), kind=CalendarOverride.Kind.WORKDAY, note="调休上班"
    )
    assert deadlines() == (dt.date(2031, 3, 10), dt.date(2031, 3, 12))


def test_the_city_board_clock_says_late_in_working_days(world):
    assigned_at = dt.datetime(2031, 3, 6, 10, 0, tzinfo=CHINA)
    escalation = world.escalated()
    workflow.city_escalation_assign(
        actor=world.city_office,
        escalation=escalation,
        city_department=world.fgw,
        answer_working_days=5,
        now=assigned_at,
    )
    escalation.refresh_from_db()
    from cases.selectors import work_calendar

    calendar = work_calendar()
    # Contact due Tue 03-11; on Thu 03-13 one whole working day (Wed) has passed after it.
    clocks = workflow.city_clocks(escalation, dt.datetime(2031, 3, 13, 9, tzinfo=CHINA), calendar)
    assert clocks["contact"].overdue and clocks["contact"].working_days_late == 1
    assert not clocks["answer"].overdue
    late_answer = dt.datetime(2031, 3, 14, 9, tzinfo=CHINA)
    workflow.city_escalation_answer(
        actor=world.fgw_clerk, escalation=escalation, answer="答复", now=late_answer
    )
    escalation.refresh_from_db()
    clocks = workflow.city_clocks(escalation, late_answer, calendar)
    assert clocks["answer"].state == "late" and clocks["contact"].state == "late"
    event = CaseEvent.objects.get(kind=K.CITY_ANSWERED)
    assert event.data["on_time"] is False


def test_a_city_department_sees_only_the_cases_escalated_to_it(world):
    county = world.county
    escalation = world.assigned()
    others = [county.assigned(), county.replied(), world.explained()]
    assert list(cases_visible_to(world.fgw_clerk)) == [escalation.case]
    assert list(city_escalations_visible_to(world.fgw_clerk)) == [escalation]
    for nobody in (world.zrzy_clerk, world.foreign_clerk):
        assert not cases_visible_to(nobody).exists()
        assert not city_escalations_visible_to(nobody).exists()
    # The city's office reads every escalation of its counties; a county's office its own.
    other_escalation = world.escalated(world.other_county)
    assert set(city_escalations_visible_to(world.city_office)) == {escalation, other_escalation}
    assert list(city_escalations_visible_to(county.office)) == [escalation]
    assert list(city_escalations_visible_to(world.other_county.office)) == [other_escalation]
    assert not city_escalations_visible_to(county.dan).exists()
    assert all(case not in cases_visible_to(world.fgw_clerk) for case in others)
