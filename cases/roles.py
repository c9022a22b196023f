"""Who a user is in the campaign: derived from their links (DESIGN §2), computed once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User

from counties.models import home_county_id
from enterprises.models import Department, EnterpriseContact
from taskforces.models import TaskForceMember

OFFICE, LEADERSHIP, LEADER, DEPARTMENT, CADRE, ENTERPRISE, CITY, CITY_DEPARTMENT = (
    "office",
    "leadership",  # 县领导班子 (taskforces.CountyLeader): reads the county, acts only by 批示
    "leader",  # a task force's county leader or department head
    "department",
    "cadre",
    "enterprise",
    "city",  # the city's office (counties.CityOfficeMember): reads every county of its city
    # a city department's staff (counties.CityDepartmentStaff): reads and answers the cases
    # escalated to it (cases.workflow.city), nothing else
    "city_department",
)
# Every role, in the order Actor.roles lists them (the API's UserRoleEnum).
ROLES = [OFFICE, LEADERSHIP, LEADER, DEPARTMENT, CADRE, ENTERPRISE, CITY]


@dataclass
class Actor:
    user: User | AnonymousUser
    # The county the user works in, read from their role rows (a person belongs to one county);
    # every scope of cases.selectors stays inside it. None for the city's office and for nobody.
    county_id: int | None = None
    # The city whose counties the city's office reads (CITY); None for everyone else.
    city_id: int | None = None
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
    # The name of the actor's county (of their city, for the city's office): the letterhead's.
    place_name: str = ""
    # A city department's staff (CITY_DEPARTMENT): their department, its name and its city.
    city_department_id: int | None = None
    city_department_name: str = ""
    city_department_city_id: int | None = None

    @cached_property
    def roles(self) -> list[str]:
        roles = []
        if self.city_id:
            # The city reads; it holds no role inside a county (actor_for gives it none).
            return [CITY]
        if self.city_department_id:
            # A city department answers what it was given; it holds no role inside a county.
            return [CITY_DEPARTMENT]
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
    def letterhead_place(self) -> str:
        """The place a document the actor prints is headed with: their county (their city, for the
        city's office), or COUNTY_NAME for someone of no county."""
        return self.place_name or settings.COUNTY_NAME

    @property
    def is_leadership(self) -> bool:
        return bool(self.leadership_title)

    @property
    def sees_county(self) -> bool:
        """Whether the actor reads every case of their county: the office, which runs the
        campaign, and the county's leadership, which oversees it (cases.selectors' one wide scope
        — the county's, never wider)."""
        return self.is_office or self.is_leadership

    @property
    def reads_city(self) -> bool:
        """The city's office: reads every county of its city, acts in none."""
        return self.city_id is not None

    def in_county(self, county_id: int | None) -> bool:
        """Whether an object of this county is inside the actor's county (the city's office is
        in none: it reads, it does not act)."""
        return self.county_id is not None and self.county_id == county_id

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
    # The user's department, seat in the county's leadership and seat in the city's office: all
    # one-to-one, one row.
    (
        department_id,
        is_head,
        kind,
        name,
        department_county,
        department_county_name,
        title,
        sitting,
        leader_county,
        leader_county_name,
        city_id,
        city_name,
        *city_department,
    ) = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            "department_staff__department_id",
            "department_staff__is_head",
            "department_staff__department__kind",
            "department_staff__department__name",
            "department_staff__department__county_id",
            "department_staff__department__county__name",
            "county_leader__title",
            "county_leader__active",
            "county_leader__county_id",
            "county_leader__county__name",
            "city_office__city_id",
            "city_office__city__name",
            "city_department_staff__department_id",
            "city_department_staff__department__name",
            "city_department_staff__department__city_id",
            "city_department_staff__department__city__name",
        )
        .first()
    ) or (None,) * 16
    if city_id is not None and not user.is_superuser:
        # The city's office reads the city; it is given no role inside a county.
        return Actor(user=user, city_id=city_id, place_name=city_name)
    if city_department[0] is not None and not user.is_superuser:
        # A city department's staff: the escalated cases given to it, nothing of a county's.
        return Actor(
            user=user,
            city_department_id=city_department[0],
            city_department_name=city_department[1],
            city_department_city_id=city_department[2],
            place_name=city_department[3],
        )
    counties = [
        (department_county, department_county_name),
        (leader_county, leader_county_name) if title and sitting else (None, ""),
    ]
    if department_id is not None:
        actor.department_id, actor.is_department_head = department_id, is_head
        actor.department_kind, actor.department_name = kind, name
        actor.is_office = actor.is_office or kind == Department.Kind.OFFICE
    if title and sitting:
        actor.leadership_title = title
    contact = (
        EnterpriseContact.objects.filter(user=user)
        .values_list(
            "enterprise_id", "enterprise__name", "enterprise__county_id", "enterprise__county__name"
        )
        .first()
    )
    if contact is not None:
        actor.enterprise_id, actor.enterprise_name, *enterprise_county = contact
        counties.append(tuple(enterprise_county))
    for tf_id, role, name, *tf_county in TaskForceMember.objects.filter(
        user=user, task_force__active=True
    ).values_list(
        "task_force_id",
        "role",
        "task_force__name",
        "task_force__county_id",
        "task_force__county__name",
    ):
        actor.taskforce_roles.setdefault(tf_id, set()).add(role)
        actor.taskforce_names[tf_id] = name
        counties.append(tuple(tf_county))
    actor.county_id, actor.place_name = next(
        ((pk, name) for pk, name in counties if pk is not None), (None, "")
    )
    if actor.county_id is None and user.is_superuser:
        actor.county_id = home_county_id()  # the back office's superuser runs the first county
    return actor
