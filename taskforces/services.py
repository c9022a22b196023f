"""Task force rules: the 1+2+N shape (DESIGN §3)."""

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taskforces.models import TaskForce, TaskForceMember


def taskforce_shape_errors(roles: Iterable[str]) -> list[str]:
    """What keeps these member roles from the 1+2+N shape; empty when the shape holds."""
    count = Counter(roles)
    errors = []
    if count[TaskForceMember.Role.LEADER] != 1:
        errors.append(
            _("运行中的专班须有且只有1名县领导，现有%(n)d名。")
            % {"n": count[TaskForceMember.Role.LEADER]}
        )
    if count[TaskForceMember.Role.HEAD] != 2:
        errors.append(
            _("运行中的专班须有且只有2名部门主要领导，现有%(n)d名。")
            % {"n": count[TaskForceMember.Role.HEAD]}
        )
    if count[TaskForceMember.Role.CADRE] < 1:
        errors.append(_("运行中的专班至少须有1名结对干部。"))
    return errors


def taskforce_validate_shape(task_force: TaskForce) -> None:
    if not task_force.active:
        return
    errors = taskforce_shape_errors(task_force.members.values_list("role", flat=True))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def taskforce_save(
    *, task_force: TaskForce, members: Iterable[tuple], enterprises: Iterable = ()
) -> TaskForce:
    """Save a task force with its members [(user, role, department)] in one unit; refuse a bad shape."""
    members = list(members)
    if task_force.active:
        errors = taskforce_shape_errors(role for _user, role, _dept in members)
        if errors:
            raise ValidationError(errors)
    users = [m[0].pk for m in members]
    if len(users) != len(set(users)):
        raise ValidationError(_("同一人不能在同一专班中出现两次。"))
    task_force.full_clean()
    task_force.save()
    task_force.members.all().delete()
    TaskForceMember.objects.bulk_create(
        TaskForceMember(task_force=task_force, user=user, role=role, department=dept)
        for user, role, dept in members
    )
    task_force.enterprises.set(list(enterprises))
    return task_force
