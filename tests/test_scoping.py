"""Who sees what (DESIGN §2), as a matrix of personas × objects."""

import pytest
from django.utils import timezone

from cases import intake, workflow
from cases.selectors import (
    case_events_visible_to,
    cases_visible_to,
    enterprises_visible_to,
    taskforces_visible_to,
    visits_visible_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(county):
    """Four cases: the steel plant's led by 工信局 (人社局 co-operating) and a submitted one;
    the poultry firm's led by the power company, and one where 人社局 holds only a breakdown item."""
    steel_led = county.in_progress(co_departments=[county.rsj])
    steel_new = county.submitted(title="园区道路缺失")
    poultry_power = county.assigned(enterprise=county.poultry, lead_department=county.power)
    poultry_item = county.in_progress(enterprise=county.poultry)
    workflow.case_add_breakdown_item(
        actor=county.dan,
        case=poultry_item,
        department=county.rsj,
        measure="招聘会",
        due_on=timezone.localdate(poultry_item.resolve_due_at),
    )
    visit, _ = intake.visit_create(
        actor=county.carl, enterprise=county.steel, visited_on=timezone.localdate(), kind="inspect"
    )
    return {
        "steel_led": steel_led,
        "steel_new": steel_new,
        "poultry_power": poultry_power,
        "poultry_item": poultry_item,
        "visit": visit,
    }


ALL = {"steel_led", "steel_new", "poultry_power", "poultry_item"}
MATRIX = {
    "office": ALL,
    "office_head": ALL,
    "li": {"steel_led", "steel_new"},  # the task force's enterprise, every state
    "hu": {"steel_led", "steel_new", "poultry_item"},  # task-force head and 工信局 head
    "carl": {"steel_led", "steel_new"},
    "dan": {"steel_led", "poultry_item"},  # led by 工信局; the submitted one is nobody's yet
    "ren": {"steel_led", "poultry_item"},  # co-department, and a breakdown item
    "eva": {"steel_led", "steel_new"},
    "bea": {"poultry_power", "poultry_item"},
    "sam": set(),
    "mayor": ALL,  # the county's leadership reads the whole county
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_each_persona_sees_exactly_its_cases(county, world, persona):
    user = getattr(county, persona)
    visible = set(cases_visible_to(user).values_list("pk", flat=True))
    expected = {world[name].pk for name in MATRIX[persona]}
    assert visible == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office", {"steel", "poultry"}),
        ("mayor", {"steel", "poultry"}),
        ("li", {"steel"}),
        ("carl", {"steel"}),
        ("dan", {"steel", "poultry"}),
        ("ren", {"steel", "poultry"}),
        ("eva", {"steel"}),
        ("bea", {"poultry"}),
        ("sam", set()),
    ],
)
def test_each_persona_sees_exactly_its_enterprises(county, world, persona, expected):
    visible = set(enterprises_visible_to(getattr(county, persona)).values_list("pk", flat=True))
    assert visible == {getattr(county, name).pk for name in expected}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("office", True),
        ("mayor", True),
        ("li", True),
        ("carl", True),
        ("dan", False),
        ("eva", False),
        ("bea", False),
        ("sam", False),
    ],
)
def test_visits_are_seen_by_the_office_and_the_task_force_only(county, world, persona, sees):
    assert visits_visible_to(getattr(county, persona)).filter(pk=world["visit"].pk).exists() is sees


def test_task_forces_are_seen_by_their_members_and_the_office(county, world):
    assert list(taskforces_visible_to(county.li)) == [county.task_force]
    assert list(taskforces_visible_to(county.office)) == [county.task_force]
    assert list(taskforces_visible_to(county.dan)) == []


def test_the_enterprise_sees_public_events_only(county, world):
    case = world["steel_led"]
    workflow.case_add_progress(actor=county.dan, case=case, note="内部：领导批示加快", public=False)
    workflow.case_add_progress(actor=county.dan, case=case, note="变压器已订货", public=True)
    for_eva = list(case_events_visible_to(county.eva, case).values_list("note", flat=True))
    assert "变压器已订货" in for_eva and "内部：领导批示加快" not in for_eva
    for_dan = list(case_events_visible_to(county.dan, case).values_list("note", flat=True))
    assert "内部：领导批示加快" in for_dan


def test_an_inactive_user_sees_nothing(county, world):
    county.office.is_active = False
    county.office.save()
    assert not cases_visible_to(county.office).exists()


def test_a_task_force_that_is_not_active_grants_no_sight(county, world):
    county.task_force.active = False
    county.task_force.save()
    assert not cases_visible_to(county.li).exists()


def test_the_scope_is_one_query_whatever_the_roles(county, world, django_assert_num_queries):
    with django_assert_num_queries(4):  # three for the roles, one for the cases
        list(cases_visible_to(county.hu))
