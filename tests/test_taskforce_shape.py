"""The 1+2+N shape of an active task force (专班): one county leader, two heads, N ≥ 1 cadres."""

import pytest
from django.core.exceptions import ValidationError

from cases.taskforces import taskforce_save, taskforce_shape_errors, taskforce_validate_shape
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember
from tests.factories import make_department, make_enterprise, make_taskforce, make_user

LEADER, HEAD, CADRE = (
    TaskForceMember.Role.LEADER,
    TaskForceMember.Role.HEAD,
    TaskForceMember.Role.CADRE,
)


def roles(leaders=1, heads=2, cadres=1):
    return [LEADER] * leaders + [HEAD] * heads + [CADRE] * cadres


@pytest.mark.parametrize("cadres", [1, 2, 12])
def test_it_finds_nothing_wrong_with_one_leader_two_heads_and_any_number_of_cadres(cadres):
    assert taskforce_shape_errors(roles(cadres=cadres)) == []


@pytest.mark.parametrize("leaders", [0, 2])
def test_it_wants_exactly_one_county_leader(leaders):
    errors = taskforce_shape_errors(roles(leaders=leaders))
    assert errors == [f"运行中的专班须有且只有1名县领导，现有{leaders}名。"]


@pytest.mark.parametrize("heads", [0, 1, 3])
def test_it_wants_exactly_two_department_heads(heads):
    errors = taskforce_shape_errors(roles(heads=heads))
    assert errors == [f"运行中的专班须有且只有2名部门主要领导，现有{heads}名。"]


def test_it_wants_at_least_one_paired_cadre():
    assert taskforce_shape_errors(roles(cadres=0)) == ["运行中的专班至少须有1名结对干部。"]


def test_it_names_every_problem_of_an_empty_task_force_at_once():
    assert len(taskforce_shape_errors([])) == 3


def _members(shape):
    dept = make_department()
    return [(make_user(), role, dept) for role in shape]


def _counts():
    return (
        TaskForce.objects.count(),
        TaskForceMember.objects.count(),
        TaskForceEnterprise.objects.count(),
    )


@pytest.mark.django_db
def test_it_saves_an_active_task_force_of_the_right_shape_with_its_members_and_enterprises():
    enterprise = make_enterprise()
    task_force = taskforce_save(
        task_force=TaskForce(name="荣信钢构专班", kind=TaskForce.Kind.KEY_ENTERPRISE, active=True),
        members=_members(roles(cadres=2)),
        enterprises=[enterprise],
    )
    assert sorted(task_force.members.values_list("role", flat=True)) == sorted(roles(cadres=2))
    assert list(task_force.enterprises.all()) == [enterprise]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "shape", [roles(leaders=2), roles(leaders=0), roles(heads=1), roles(heads=3), roles(cadres=0)]
)
def test_it_refuses_an_active_task_force_of_the_wrong_shape_and_saves_nothing(shape):
    members = _members(shape)
    enterprise = make_enterprise()
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        taskforce_save(
            task_force=TaskForce(name="某专班", kind=TaskForce.Kind.INDUSTRY, active=True),
            members=members,
            enterprises=[enterprise],
        )
    assert excinfo.value.messages == taskforce_shape_errors(shape)
    assert _counts() == before


@pytest.mark.django_db
def test_it_keeps_the_old_members_when_a_new_list_breaks_the_shape():
    task_force = make_taskforce()
    old_members = set(task_force.members.values_list("user_id", "role"))
    task_force.refresh_from_db()
    with pytest.raises(ValidationError):
        taskforce_save(task_force=task_force, members=_members(roles(leaders=2)))
    assert set(task_force.members.values_list("user_id", "role")) == old_members


@pytest.mark.django_db
@pytest.mark.parametrize("shape", [[], roles(leaders=2), roles(heads=0, cadres=5)])
def test_it_accepts_an_inactive_task_force_of_any_shape(shape):
    task_force = taskforce_save(
        task_force=TaskForce(name="筹备中的专班", kind=TaskForce.Kind.TOWNSHIP, active=False),
        members=_members(shape),
    )
    assert task_force.pk is not None
    assert task_force.members.count() == len(shape)


@pytest.mark.django_db
def test_it_refuses_the_same_person_twice_and_saves_nothing():
    dept = make_department()
    twice = make_user()
    members = [
        (twice, LEADER, dept),
        (make_user(), HEAD, dept),
        (make_user(), HEAD, dept),
        (twice, CADRE, dept),
    ]
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        taskforce_save(
            task_force=TaskForce(name="重复成员专班", kind=TaskForce.Kind.INDUSTRY, active=True),
            members=members,
        )
    assert excinfo.value.messages == ["同一人不能在同一专班中出现两次。"]
    assert _counts() == before


@pytest.mark.django_db
def test_it_checks_the_stored_members_of_an_active_task_force():
    task_force = make_taskforce(heads=3, active=False)
    taskforce_validate_shape(task_force)  # inactive: anything goes
    task_force.active = True
    with pytest.raises(ValidationError) as excinfo:
        taskforce_validate_shape(task_force)
    assert excinfo.value.messages == ["运行中的专班须有且只有2名部门主要领导，现有3名。"]
