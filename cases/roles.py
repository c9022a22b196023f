"""Who a user is in the campaign: derived from their links (DESIGN §2), computed once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User

from enterprises.models import Department, DepartmentStaff, EnterpriseContact
from taskforces.models import TaskForceMember

OFFICE, LEADER, DEPARTMENT, CADRE, ENTERPRISE = (
    "office",
    "leader",
    "department",
    "cadre",
    "enterprise",
)


@dataclass
class Actor:
    user: User | AnonymousUser
    department_id: int | None = None
    is_department_head: bool = False
    is_office: bool = False
    enterprise_id: int | None = None
    taskforce_roles: dict[int, set[str]] = field(default_factory=dict)
    # The names of the units above, read in the same queries (cases.units names the actor's unit
    # on each event without asking again).
    department_name: str = ""
    department_kind: str = ""
    enterprise_name: str = ""
    taskforce_names: dict[int, str] = field(default_factory=dict)

    @cached_property
    def roles(self) -> list[str]:
        roles = []
        if self.is_office:
            roles.append(OFFICE)
        all_roles = set().union(*self.taskforce_roles.values()) if self.taskforce_roles else set()
        if all_roles & {TaskForceMember.Role.LEADER, TaskForceMember.Role.HEAD}:
            roles.append(LEADER)
        if self.department_id and not self.is_office:
            roles.append(DEPARTMENT)
        if TaskForceMember.Role.CADRE in all_roles:
            roles.append(CADRE)
        if self.enterprise_id:
            roles.append(ENTERPRISE)
        return roles

    @property
    def taskforce_ids(self) -> set[int]:
        return set(self.taskforce_roles)

    @property
    def is_office_head(self) -> bool:
        return self.is_office and self.is_department_head

    def has_role(self, role: str) -> bool:
        return role in self.roles


def actor_for(user) -> Actor:
    """The user's roles, in three small queries (pages take it once per request: request.actor)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Actor(user=user)
    actor = Actor(user=user, is_office=user.is_superuser)
    staff = (
        DepartmentStaff.objects.filter(user=user)
        .values_list("department_id", "is_head", "department__kind", "department__name")
        .first()
    )
    if staff is not None:
        actor.department_id, actor.is_department_head, kind, actor.department_name = staff
        actor.department_kind = kind
        actor.is_office = actor.is_office or kind == Department.Kind.OFFICE
    contact = (
        EnterpriseContact.objects.filter(user=user)
        .values_list("enterprise_id", "enterprise__name")
        .first()
    )
    if contact is not None:
        actor.enterprise_id, actor.enterprise_name = contact
    for tf_id, role, name in TaskForceMember.objects.filter(
        user=user, task_force__active=True
    ).values_list("task_force_id", "role", "task_force__name"):
        actor.taskforce_roles.setdefault(tf_id, set()).add(role)
        actor.taskforce_names[tf_id] = name
    return actor
