"""Who a user is in the campaign: derived from their links (DESIGN §2), computed once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User

from enterprises.models import Department, EnterpriseContact
from taskforces.models import TaskForceMember

OFFICE, LEADERSHIP, LEADER, DEPARTMENT, CADRE, ENTERPRISE = (
    "office",
    "leadership",  # 县领导班子 (taskforces.CountyLeader): reads the county, acts only by 批示
    "leader",  # a task force's county leader or department head
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
    # CountyLeader.Title of a sitting member of the county's leadership; "" for anyone else.
    leadership_title: str = ""
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
        if self.leadership_title:
            roles.append(LEADERSHIP)
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
    def is_leadership(self) -> bool:
        return bool(self.leadership_title)

    @property
    def sees_county(self) -> bool:
        """Whether the actor reads every case of the county: the office, which runs the campaign,
        and the county's leadership, which oversees it (cases.selectors' one wide scope)."""
        return self.is_office or self.is_leadership

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
    # The user's department and seat in the county's leadership: both one-to-one, one row.
    department_id, is_head, kind, name, title, sitting = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            "department_staff__department_id",
            "department_staff__is_head",
            "department_staff__department__kind",
            "department_staff__department__name",
            "county_leader__title",
            "county_leader__active",
        )
        .first()
    ) or (None,) * 6
    if department_id is not None:
        actor.department_id, actor.is_department_head = department_id, is_head
        actor.department_kind, actor.department_name = kind, name
        actor.is_office = actor.is_office or kind == Department.Kind.OFFICE
    if title and sitting:
        actor.leadership_title = title
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
