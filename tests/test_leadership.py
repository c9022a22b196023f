"""The county's leadership (issue 19): 书记, 县长, 分管县领导 read every case and every analysis page
of the county and act on nothing but 批示.

Mayor is the county head (县长, a taskforces.CountyLeader); 荣信钢构 (Eva) is covered by Li's task
force, 桂柳家禽 (Bea) by none; 县工信局 (Dan, Hu) leads (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis import snapshots
from analysis.access import ledger_title, pages_for
from cases import workflow
from cases.errors import ActionForbidden
from cases.models import Case, CaseEvent, Rating
from cases.roles import LEADERSHIP, actor_for
from cases.selectors import (
    case_events_visible_to,
    cases_visible_to,
    enterprises_visible_to,
    sees_internal_events,
    taskforces_visible_to,
)
from notifications.models import Notification
from taskforces.models import CountyLeader

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind


def every_state(county) -> dict[str, Case]:
    """A case of each state, of both enterprises (one covered by no task force)."""
    submitted = county.submitted(enterprise=county.poultry)
    merged = county.submitted(enterprise=county.poultry, title="重复反映")
    workflow.case_merge(actor=county.office, case=merged, into=submitted)
    return {
        "submitted": submitted,
        "assigned": county.assigned(enterprise=county.poultry),
        "in_progress": county.in_progress(),
        "replied": county.replied(),
        "closed": county.closed(),
        "merged": merged,
    }


# --- who they are ---------------------------------------------------------------------------------


def test_a_seat_in_the_leadership_is_a_role_of_its_own(county, django_assert_num_queries):
    with django_assert_num_queries(3):  # no more queries than any other actor
        actor = actor_for(county.mayor)
    assert actor.roles == [LEADERSHIP]
    assert actor.is_leadership and actor.sees_county and not actor.is_office
    assert actor.leadership_title == CountyLeader.Title.MAGISTRATE
    assert not actor_for(county.dan).sees_county and actor_for(county.office).sees_county


def test_a_leader_out_of_office_has_no_role(county):
    CountyLeader.objects.filter(user=county.mayor).update(active=False)
    actor = actor_for(county.mayor)
    assert actor.roles == [] and not actor.sees_county
    assert not cases_visible_to(county.mayor).exists()


def test_a_seat_and_a_department_are_both_read(county):
    CountyLeader.objects.create(user=county.hu, title=CountyLeader.Title.DEPUTY, portfolio="工业")
    actor = actor_for(county.hu)
    assert actor.department_id == county.gxj.pk and actor.is_department_head
    assert LEADERSHIP in actor.roles and "department" in actor.roles


# --- what they see ----------------------------------------------------------------------------------


def test_the_leadership_sees_every_case_of_the_county_and_its_internal_timeline(county):
    cases = every_state(county)
    assert set(cases_visible_to(county.mayor)) == set(Case.objects.all())
    assert set(enterprises_visible_to(county.mayor)) == {county.steel, county.poultry}
    assert list(taskforces_visible_to(county.mayor)) == [county.task_force]
    case = cases["in_progress"]
    workflow.case_add_progress(actor=county.dan, case=case, note="内部协调会纪要")
    assert sees_internal_events(county.mayor, case)
    assert case_events_visible_to(county.mayor, case).filter(note="内部协调会纪要").exists()


# --- what they do: 批示, and nothing else -------------------------------------------------------------


def test_the_leadership_may_only_instruct_and_only_on_an_open_case(county):
    for name, case in every_state(county).items():
        expected = ["instruct"] if case.is_open else []
        assert workflow.allowed_actions(county.mayor, case) == expected, name


def test_no_transition_but_instruct_names_the_leadership(county):
    actor = actor_for(county.mayor)
    case = county.in_progress()
    for name, transition in workflow.TRANSITIONS.items():
        allowed = any(who(actor, case) for who in transition.who)
        assert allowed == (name == "instruct"), name


def test_every_other_action_is_refused(county):
    mayor = county.mayor
    submitted, other = county.submitted(), county.submitted(title="园区道路缺失")
    assigned = county.assigned()
    case = county.in_progress()
    item = workflow.case_add_breakdown_item(
        actor=county.dan,
        case=case,
        department=county.gxj,
        measure="增设变压器",
        due_on=timezone.localdate(case.resolve_due_at),
    )
    promise = workflow.case_add_commitment(
        actor=county.dan, case=case, text="两周内增设", due_on=timezone.localdate()
    )
    instruction = workflow.case_instruct(actor=county.li, case=case, text="加快办理")
    replied = county.replied()
    closed = county.closed()
    later = case.resolve_due_at + dt.timedelta(days=5)
    attempts = {
        "assign": lambda: workflow.case_assign(
            actor=mayor, case=submitted, lead_department=county.gxj
        ),
        "refuse_return": lambda: workflow.case_refuse_return(actor=mayor, case=submitted),
        "return": lambda: workflow.case_return(actor=mayor, case=assigned, reason="x"),
        "accept": lambda: workflow.case_accept(actor=mayor, case=assigned, contact_note="x"),
        "progress": lambda: workflow.case_add_progress(actor=mayor, case=case, note="x"),
        "breakdown": lambda: workflow.case_add_breakdown_item(
            actor=mayor, case=case, department=county.gxj, measure="x", due_on=item.due_on
        ),
        "tick": lambda: workflow.breakdown_item_complete(actor=mayor, item=item),
        "commit": lambda: workflow.case_add_commitment(
            actor=mayor, case=case, text="x", due_on=timezone.localdate()
        ),
        "keep": lambda: workflow.commitment_keep(actor=mayor, commitment=promise),
        "request_extension": lambda: workflow.case_request_extension(
            actor=mayor, case=case, resolve_due_at=later, reason="x"
        ),
        "decide_extension": lambda: workflow.case_decide_extension(
            actor=mayor, case=case, approve=True
        ),
        "request_suspension": lambda: workflow.case_request_suspension(
            actor=mayor, case=case, reason="x"
        ),
        "decide_suspension": lambda: workflow.case_decide_suspension(
            actor=mayor, case=case, approve=True
        ),
        "resume": lambda: workflow.case_resume(actor=mayor, case=case),
        "reply": lambda: workflow.case_reply(actor=mayor, case=case, outcome="resolved", reply="x"),
        "rate": lambda: workflow.case_rate(actor=mayor, case=replied, rating="satisfied"),
        "appeal": lambda: workflow.case_appeal_rating(actor=mayor, case=closed, reason="x"),
        "decide_appeal": lambda: workflow.case_decide_appeal(actor=mayor, case=closed, uphold=True),
        "urge": lambda: workflow.case_urge(actor=mayor, case=assigned),
        "close": lambda: workflow.case_close(actor=mayor, case=replied),
        "reopen": lambda: workflow.case_reopen(actor=mayor, case=closed, reason="x"),
        "escalate_to_city": lambda: workflow.case_escalate_to_city(
            actor=mayor, case=closed, proposal="x"
        ),
        "merge": lambda: workflow.case_merge(actor=mayor, case=submitted, into=other),
        "join": lambda: workflow.case_join(actor=mayor, case=submitted, into=other),
        "leave_joint": lambda: workflow.case_leave_joint(actor=mayor, case=submitted),
        "list": lambda: workflow.case_list(actor=mayor, case=case, reason="x"),
        "delist": lambda: workflow.case_delist(actor=mayor, case=case, reason="x"),
        "acknowledge": lambda: workflow.instruction_acknowledge(
            actor=mayor, case=case, instruction=instruction
        ),
    }
    events = CaseEvent.objects.count()
    for name, attempt in attempts.items():
        with pytest.raises(ActionForbidden):
            attempt()
        assert CaseEvent.objects.count() == events, name
    assert not Rating.objects.filter(rated_by=mayor).exists()


def test_the_leaderships_instruction_reaches_the_lead_department_under_its_seat(county):
    case = county.in_progress(enterprise=county.poultry)  # no task force covers it
    event = workflow.case_instruct(actor=county.mayor, case=case, text="请县工信局一周内办结")
    assert event.kind == K.INSTRUCTION and not event.public
    assert (event.unit_kind, event.unit_name) == (CaseEvent.Unit.LEADERSHIP, "县长")
    told = Notification.objects.filter(
        kind=Notification.Kind.INSTRUCTION, channel=Notification.Channel.IN_APP, case=case
    )
    assert set(told.values_list("user__username", flat=True)) == {"dan", "hu"}
    workflow.instruction_acknowledge(actor=county.dan, case=case, instruction=event)


def test_on_the_case_page_the_leadership_gets_the_instruct_form_alone(client, county):
    case = county.in_progress(enterprise=county.poultry)
    client.force_login(county.mayor)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert [f["name"] for f in response.context["action_forms"]] == ["instruct"]
    answer = client.post(
        reverse("case_act", args=[case.pk, "instruct"]), {"instruct-text": "限期办结，报县政府"}
    )
    assert answer.status_code == 302
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "限期办结，报县政府" in body and "县长" in body
    for action, data in [
        ("progress", {"progress-note": "x"}),
        ("close", {"close-note": "x"}),
        ("urge", {"urge-note": "x"}),
        ("list", {"list-reason": "x"}),
    ]:
        refused = client.post(reverse("case_act", args=[case.pk, action]), data)
        assert refused.status_code == 403, action
    assert case.events.filter(kind=K.INSTRUCTION).count() == 1


def test_the_api_refuses_the_leadership_every_action_but_reading(county):
    from rest_framework.test import APIClient

    from tests.api.conftest import token_for

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(county.mayor)}")
    case = county.in_progress()
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert api.get("/api/v1/cases/").json()["count"] == Case.objects.count()
    for action, data in [
        ("progress", {"note": "x"}),
        ("urge", {}),
        ("list", {"reason": "x"}),
        ("request-suspension", {"reason": "x"}),
        ("reopen", {"reason": "x"}),
    ]:
        answer = api.post(f"/api/v1/cases/{case.pk}/{action}/", data, format="json")
        assert answer.status_code == 403, action


# --- the analysis pages, the landing and the navigation ----------------------------------------------


READ = [
    "analysis:dashboard",
    "analysis:ledger",
    "analysis:evaluation",
    "analysis:painpoints",
    "analysis:teams",
    "analysis:report",
    "analysis:painpoints_export",
    "analysis:evaluation_export",
]


@pytest.mark.parametrize("page", READ)
def test_every_analysis_page_opens_for_the_leadership(client, county, page):
    every_state(county)
    client.force_login(county.mayor)
    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize(
    "page", ["analysis:import", "office:board", "office:triage", "office:closeout"]
)
def test_the_offices_working_pages_stay_closed(client, county, page):
    client.force_login(county.mayor)
    assert client.get(reverse(page)).status_code == 403


def test_the_figures_are_the_countys_and_only_the_office_recomputes_them(client, county):
    every_state(county)
    actor = actor_for(county.mayor)
    assert snapshots.scope_of(actor) == snapshots.county_scope_key(county.steel.county_id)
    assert snapshots.scope_of(actor) == snapshots.scope_of(actor_for(county.office))
    assert ledger_title(actor) == "问题总台账"
    tabs = dict(pages_for(actor))
    assert {"analysis:dashboard", "analysis:ledger", "analysis:evaluation"} <= set(tabs)
    assert {"analysis:teams", "analysis:report"} <= set(tabs)
    assert "analysis:import" not in tabs
    client.force_login(county.mayor)
    body = client.get(reverse("analysis:dashboard")).content.decode()
    assert "全县" in body
    assert client.post(reverse("analysis:dashboard")).status_code == 403


def test_the_leadership_lands_on_the_dashboard_and_its_navigation_reads_only(client, county):
    client.force_login(county.mayor)
    assert client.get(reverse("home"))["Location"] == reverse("analysis:dashboard")
    nav = client.get(reverse("analysis:dashboard")).content.decode().split("</nav>")[0]
    assert "问题总台账" in nav and "分析" in nav and "消息" in nav
    for office_page in ("交办", "督办", "销号", "部门待办", "我的专班"):
        assert f">{office_page}<" not in nav, office_page
    assert reverse("office:board") not in nav
