"""Isolation: every persona gets 404 for whatever lies outside their scope, on every object endpoint.

The world: the steel plant (Eva's; Li's task force, Carl its cadre) has a case 工信局 leads with
人社局 co-operating, and a submitted one; the poultry firm (Bea's, no task force) has a case the
power company leads and one 人社局 leads. Sam has no role at all. The scope each persona should
have is written out here by hand, not asked of the selector under test.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import intake, workflow
from tests.api.conftest import case_url

pytestmark = pytest.mark.django_db

ACTIONS = [
    "assign", "refuse-return", "return", "accept", "progress", "breakdown", "complete-breakdown",
    "commitment", "keep-commitment", "request-extension", "decide-extension",
    "request-suspension", "decide-suspension", "resume", "reply", "rate", "appeal",
    "decide-appeal", "close", "reopen", "merge", "join", "leave-joint", "list", "delist",
    "escalate-to-city",
]  # fmt: skip

SEES = {
    "office": {"steel_led", "steel_new", "poultry_power", "poultry_rsj"},
    "dan": {"steel_led"},
    "ren": {"steel_led", "poultry_rsj"},
    "li": {"steel_led", "steel_new"},
    "carl": {"steel_led", "steel_new"},
    "eva": {"steel_led", "steel_new"},
    "bea": {"poultry_power", "poultry_rsj"},
    "sam": set(),
    "mayor": {"steel_led", "steel_new", "poultry_power", "poultry_rsj"},  # the county's leadership
}
PERSONAS = list(SEES)


@pytest.fixture
def world(county):
    cases = {
        "steel_led": county.in_progress(co_departments=[county.rsj]),
        "steel_new": county.submitted(title="园区道路缺失"),
        "poultry_power": county.assigned(enterprise=county.poultry, lead_department=county.power),
        "poultry_rsj": county.assigned(enterprise=county.poultry, lead_department=county.rsj),
    }
    workflow.case_add_progress(actor=county.dan, case=cases["steel_led"], note="内部协调会纪要")
    workflow.case_add_commitment(
        actor=county.dan, case=cases["steel_led"], text="两周内增设变压器",
        due_on=timezone.localdate(),
    )  # fmt: skip
    visit, _ = intake.visit_create(
        actor=county.carl, enterprise=county.steel, visited_on=timezone.localdate(), kind="inspect"
    )
    return {"cases": cases, "visit": visit}


def unseen(who: str) -> list[str]:
    return sorted(set(SEES["office"]) - SEES[who])


@pytest.mark.parametrize("who", PERSONAS)
def test_the_list_holds_exactly_the_cases_in_scope(county, as_user, world, who):
    body = as_user(getattr(county, who)).get("cases/", {"page_size": 200}).json()
    expected = {world["cases"][name].pk for name in SEES[who]}
    assert {c["id"] for c in body["results"]} == expected and body["count"] == len(expected)


@pytest.mark.parametrize("who", PERSONAS)
def test_a_case_out_of_scope_is_404_to_read_and_to_its_timeline(county, as_user, world, who):
    caller = as_user(getattr(county, who))
    for name in unseen(who):
        case = world["cases"][name]
        assert caller.get(case_url(case)).status_code == 404, name
        assert caller.get(case_url(case, "events")).status_code == 404, name
    for name in SEES[who]:
        assert caller.get(case_url(world["cases"][name])).status_code == 200, name


@pytest.mark.parametrize("who", PERSONAS)
def test_every_action_on_a_case_out_of_scope_is_404_and_changes_nothing(
    county, as_user, world, who
):
    caller = as_user(getattr(county, who))
    for name in unseen(who):
        case = world["cases"][name]
        before = (case.events.count(), type(case).objects.get(pk=case.pk).status)
        for action in ACTIONS:
            answer = caller.post(case_url(case, action), {"reason": "x", "note": "x"})
            assert answer.status_code == 404, (name, action, answer.status_code)
            assert set(answer.json()) == {"detail"}
        assert (case.events.count(), type(case).objects.get(pk=case.pk).status) == before


@pytest.mark.parametrize("who", ["dan", "ren", "li", "carl", "eva", "bea", "sam"])
def test_filtering_by_another_enterprise_finds_nothing(county, as_user, world, who):
    caller = as_user(getattr(county, who))
    for enterprise in (county.steel, county.poultry):
        body = caller.get("cases/", {"enterprise": enterprise.pk}).json()
        expected = {
            world["cases"][name].pk
            for name in SEES[who]
            if world["cases"][name].enterprise_id == enterprise.pk
        }
        assert {c["id"] for c in body["results"]} == expected
    # An id that exists and one that does not answer alike.
    unknown = caller.get("cases/", {"enterprise": 999999})
    assert unknown.status_code == 200 and unknown.json()["count"] == 0


def test_filtering_by_another_department_finds_nothing_of_its_cases(county, as_user, world):
    body = as_user(county.eva).get("cases/", {"lead_department": county.power.pk}).json()
    assert body["count"] == 0
    body = as_user(county.bea).get("cases/", {"lead_department": county.gxj.pk}).json()
    assert body["count"] == 0


@pytest.mark.parametrize(
    "who, hidden",
    [
        ("eva", ["poultry"]),
        ("bea", ["steel"]),
        ("dan", ["poultry"]),
        ("li", ["poultry"]),
        ("carl", ["poultry"]),
        ("sam", ["steel", "poultry"]),
    ],
)
def test_an_enterprise_out_of_scope_is_404(county, as_user, world, who, hidden):
    caller = as_user(getattr(county, who))
    listed = {e["id"] for e in caller.get("enterprises/").json()["results"]}
    for name in hidden:
        enterprise = getattr(county, name)
        assert caller.get(f"enterprises/{enterprise.pk}/").status_code == 404
        assert enterprise.pk not in listed


@pytest.mark.parametrize("who", ["dan", "ren", "eva", "bea", "sam"])
def test_a_task_force_one_is_not_in_is_404(county, as_user, world, who):
    caller = as_user(getattr(county, who))
    assert caller.get(f"taskforces/{county.task_force.pk}/").status_code == 404
    assert caller.get("taskforces/").json()["count"] == 0


@pytest.mark.parametrize("who", ["dan", "ren", "eva", "bea", "sam"])
def test_a_visit_is_internal_to_the_office_and_the_task_force(county, as_user, world, who):
    caller = as_user(getattr(county, who))
    assert caller.get(f"visits/{world['visit'].pk}/").status_code == 404
    assert caller.get("visits/").json()["count"] == 0


@pytest.mark.parametrize("who", ["office", "li", "carl"])
def test_the_office_and_the_task_force_read_the_visit(county, as_user, world, who):
    assert as_user(getattr(county, who)).get(f"visits/{world['visit'].pk}/").status_code == 200


def test_a_user_without_a_role_sees_no_department_either(county, as_user, world):
    sam = as_user(county.sam)
    assert sam.get("departments/").json()["count"] == 0
    assert sam.get(f"departments/{county.gxj.pk}/").status_code == 404


def test_the_enterprise_never_sees_internal_events(county, as_user, world):
    case = world["cases"]["steel_led"]
    events = as_user(county.eva).get(case_url(case, "events")).json()["results"]
    assert events and all(e["public"] for e in events)
    assert "内部协调会纪要" not in {e["note"] for e in events}
    internal = case.events.filter(public=False).count()
    assert internal and len(events) == case.events.count() - internal
    staff = as_user(county.dan).get(case_url(case, "events")).json()["results"]
    assert "内部协调会纪要" in {e["note"] for e in staff}


def test_another_enterprise_id_in_a_body_reads_as_unknown_not_as_forbidden(county, as_user, world):
    eva = as_user(county.eva)
    body = {"title": "冒名登记", "category": "power"}
    other = eva.post("cases/", {**body, "enterprise": county.poultry.pk})
    unknown = eva.post("cases/", {**body, "enterprise": 999999})
    assert other.status_code == unknown.status_code == 400
    assert other.json()["enterprise"] == [
        m.replace("999999", str(county.poultry.pk)) for m in unknown.json()["enterprise"]
    ]


def test_an_item_of_another_case_reads_as_unknown(county, as_user, world):
    other = county.in_progress()
    commitment = world["cases"]["steel_led"].commitments.get()
    answer = as_user(county.dan).post(
        case_url(other, "keep-commitment"), {"commitment": commitment.pk}
    )
    assert answer.status_code == 400 and "commitment" in answer.json()
    commitment.refresh_from_db()
    assert commitment.kept_at is None


def test_assigning_to_a_department_that_does_not_exist_names_the_field(county, as_user, world):
    case = world["cases"]["steel_new"]
    answer = as_user(county.office).post(case_url(case, "assign"), {"lead_department": 999999})
    assert answer.status_code == 400 and "lead_department" in answer.json()
