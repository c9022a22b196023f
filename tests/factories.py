"""Small builders for tests: each makes one valid object with unique names and sensible defaults."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.db import transaction

from cases.models import Case, CaseCounter, CaseEvent, Category
from cases.taskforces import taskforce_save
from enterprises.models import Department, DepartmentStaff, Enterprise
from enterprises.validators import credit_code_check_character
from taskforces.models import TaskForce, TaskForceMember

_serial = itertools.count(1)


def valid_credit_code(n: int | None = None) -> str:
    """A well-formed 统一社会信用代码: a Jiangxi (3601xx) enterprise code with its check character."""
    first17 = f"91360124MA{next(_serial) if n is None else n:07d}"
    return first17 + credit_code_check_character(first17)


def make_user(username: str | None = None, password: str | None = None, **fields):
    """A user; without a password it gets an unusable one (no slow Argon2 hashing: log in with
    client.force_login)."""
    username = username or f"user{next(_serial)}"
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def make_superuser(username: str = "root"):
    return get_user_model().objects.create_superuser(
        username=username, password=None, email=f"{username}@example.org"
    )


def make_department(name: str | None = None, **fields) -> Department:
    return Department.objects.create(name=name or f"测试局{next(_serial)}", **fields)


def make_staff(department: Department | None = None, user=None, **fields) -> DepartmentStaff:
    return DepartmentStaff.objects.create(
        user=user or make_user(), department=department or make_department(), **fields
    )


def make_enterprise(name: str | None = None, **fields) -> Enterprise:
    fields.setdefault("credit_code", valid_credit_code())
    return Enterprise.objects.create(name=name or f"测试企业{next(_serial)}有限公司", **fields)


def make_category(name: str | None = None, **fields) -> Category:
    n = next(_serial)
    return Category.objects.create(
        name=name or f"类别{n}", code=fields.pop("code", f"cat-{n}"), **fields
    )


def make_case(
    *, year: int = 2021, enterprise=None, category=None, title: str | None = None, **fields
) -> Case:
    """A case created directly (not through the workflow), numbered from the year's counter."""
    with transaction.atomic():
        counter, _ = CaseCounter.objects.select_for_update().get_or_create(year=year)
        counter.last += 1
        counter.save()
    seq = counter.last
    return Case.objects.create(
        number=f"{year}-{seq:04d}",
        year=year,
        sequence=seq,
        title=title or f"问题{seq}",
        category=category or make_category(),
        enterprise=enterprise or make_enterprise(),
        source=fields.pop("source", Case.Source.VISIT),
        **fields,
    )


def make_event(case: Case, kind: str = CaseEvent.Kind.CREATED, **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, **fields)


def make_taskforce(
    *, leaders: int = 1, heads: int = 2, cadres: int = 1, active: bool = True, enterprises=()
) -> TaskForce:
    """A task force with the given number of members in each role (1+2+1 by default)."""
    roles = (
        [TaskForceMember.Role.LEADER] * leaders
        + [TaskForceMember.Role.HEAD] * heads
        + [TaskForceMember.Role.CADRE] * cadres
    )
    return taskforce_save(
        task_force=TaskForce(
            name=f"专班{next(_serial)}", kind=TaskForce.Kind.KEY_ENTERPRISE, active=active
        ),
        members=[(make_user(), role, None) for role in roles],
        enterprises=enterprises,
    )
