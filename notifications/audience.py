"""Who is told: the people behind a department, the county office, a task force, an enterprise.

Each function answers for many cases at once in one query, so a sweep's cost grows with the number
of departments and enterprises it touches, not with the number of cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from cases import deadlines
from counties.models import CityDepartmentStaff, CityOfficeMember
from enterprises.models import Department, DepartmentStaff, EnterpriseContact
from notifications.integrations import leader_daily_digest
from notifications.models import NotificationPreference
from taskforces.models import TaskForceEnterprise, TaskForceMember


@dataclass(frozen=True)
class Person:
    user_id: int
    email: str = ""
    phone: str = ""


@dataclass
class Staff:
    """A department's people: the clerks who handle cases and the head (主要负责人)."""

    clerks: list[Person] = field(default_factory=list)
    heads: list[Person] = field(default_factory=list)

    @property
    def desk(self) -> list[Person]:
        """Who answers for the department: its clerks, or its head when it has no clerk."""
        return self.clerks or self.heads

    @property
    def everyone(self) -> list[Person]:
        return unique([*self.clerks, *self.heads])


def unique(people: Iterable[Person]) -> list[Person]:
    """Each person once (a department head may also lead a task force), first mention first."""
    seen: set[int] = set()
    kept = []
    for person in people:
        if person.user_id not in seen:
            seen.add(person.user_id)
            kept.append(person)
    return kept


def _staff_rows(queryset, by: str = "department_id") -> dict[int, Staff]:
    """Each unit's people (by department, or by `by`: e.g. the county of the department)."""
    staff: dict[int, Staff] = defaultdict(Staff)
    rows = queryset.filter(user__is_active=True).values_list(
        by, "user_id", "user__email", "phone", "is_head"
    )
    for department_id, user_id, email, phone, is_head in rows.order_by(by, "user_id"):
        person = Person(user_id, email or "", phone or "")
        (staff[department_id].heads if is_head else staff[department_id].clerks).append(person)
    return staff


def department_staff(department_ids: Iterable[int]) -> dict[int, Staff]:
    """Each department's people, in one query; a department without staff maps to no one."""
    ids = {pk for pk in department_ids if pk}
    if not ids:
        return defaultdict(Staff)
    return _staff_rows(DepartmentStaff.objects.filter(department_id__in=ids))


def office_staff(county_id: int) -> Staff:
    """A county's office (县委办) as one body, whichever of its office departments hold its
    people; another county's office hears nothing of this county."""
    return offices_staff([county_id]).get(county_id, Staff())


def offices_staff(county_ids: Iterable[int]) -> dict[int, Staff]:
    """The offices of these counties, each as one body, in one query."""
    offices = DepartmentStaff.objects.filter(
        department__kind=Department.Kind.OFFICE,
        department__active=True,
        department__county_id__in=set(county_ids),
    )
    return _staff_rows(offices, by="department__county_id")


def city_department_people(city_department_id: int) -> list[Person]:
    """上报市级: the people of a city department (CityDepartmentStaff), in one query."""
    rows = CityDepartmentStaff.objects.filter(
        department_id=city_department_id, user__is_active=True
    ).values_list("user_id", "user__email")
    return [Person(user_id, email or "") for user_id, email in rows.order_by("user_id")]


def city_office_people(city_id: int) -> list[Person]:
    """上报市级: the members of a city's office (市委办), in one query."""
    rows = CityOfficeMember.objects.filter(city_id=city_id, user__is_active=True).values_list(
        "user_id", "user__email"
    )
    return [Person(user_id, email or "") for user_id, email in rows.order_by("user_id")]


def office_webhooks(county_id: int) -> list[Department]:
    return list(
        Department.objects.filter(
            kind=Department.Kind.OFFICE, active=True, county_id=county_id
        ).exclude(webhook_url="")
    )


def _taskforce_members(role: str, *first: str, **enterprises) -> QuerySet:
    """(*first, user id, email, phone) of the active members with `role` of the running task
    forces covering the enterprises `enterprises` selects; a row per covering task force."""
    return TaskForceEnterprise.objects.filter(
        **enterprises,
        task_force__active=True,
        task_force__members__role=role,
        task_force__members__user__is_active=True,
    ).values_list(
        *first,
        "task_force__members__user_id",
        "task_force__members__user__email",
        "task_force__members__user__department_staff__phone",
    )


def taskforce_leaders(enterprise_ids: Iterable[int]) -> dict[int, list[Person]]:
    """The county leaders of the running task forces covering each enterprise, in one query."""
    ids = set(enterprise_ids)
    leaders: dict[int, list[Person]] = defaultdict(list)
    if not ids:
        return leaders
    rows = _taskforce_members(TaskForceMember.Role.LEADER, "enterprise_id", enterprise_id__in=ids)
    for enterprise_id, user_id, email, phone in rows.order_by("enterprise_id", "pk"):
        leaders[enterprise_id].append(Person(user_id, email or "", phone or ""))
    return {pk: unique(people) for pk, people in leaders.items()}


def leaders_with_enterprises() -> dict[Person, set[int]]:
    """Every active county leader of a running task force, with the enterprises their task forces
    cover (for the leaders' daily digest of late cases), in one query."""
    rows = _taskforce_members(TaskForceMember.Role.LEADER, "enterprise_id")
    covered: dict[Person, set[int]] = defaultdict(set)
    for enterprise_id, user_id, email, phone in rows.order_by("task_force__members__user_id"):
        covered[Person(user_id, email or "", phone or "")].add(enterprise_id)
    return dict(covered)


def enterprise_cadres(enterprise_id: int) -> list[Person]:
    """The paired cadres (结对干部) of the running task forces covering the enterprise, in one query."""
    rows = _taskforce_members(TaskForceMember.Role.CADRE, enterprise_id=enterprise_id)
    return unique(
        Person(user_id, email or "", phone or "")
        for user_id, email, phone in rows.order_by("task_force__members__user_id")
    )


def office_for_new_cases(county_id: int) -> list[Person]:
    """The people of the county's office who want each new problem at once
    (NotificationPreference.new_cases; no choice recorded means at once), in one query; the others
    read it in the daily digest."""
    rows = (
        DepartmentStaff.objects.filter(
            department__kind=Department.Kind.OFFICE,
            department__active=True,
            department__county_id=county_id,
            user__is_active=True,
        )
        .values_list("user_id", "user__email", "phone", "user__notification_preference__new_cases")
        .order_by("user_id")
    )
    return [
        Person(user_id, email or "", phone or "")
        for user_id, email, phone, choice in rows
        if choice in (None, NotificationPreference.NewCases.INSTANT)
    ]


def enterprise_contacts(enterprise_id: int) -> list[Person]:
    rows = EnterpriseContact.objects.filter(
        enterprise_id=enterprise_id, user__is_active=True
    ).values_list("user_id", "user__email", "phone")
    return [Person(user_id, email or "", phone or "") for user_id, email, phone in rows]


@dataclass
class ReminderAudience:
    """Who each level of the ladder tells (DESIGN §6), for a batch of cases:

    0 warning    the lead department (its clerks)
    1 overdue    … and its head
    2 escalated  … and the county leaders of the task forces covering the enterprise (unless they
                 read them in their daily digest: integrations.leader_daily_digest), the office
    3 flagged    … and the office head

    A department's group robot hears every level; the office's from level 2.
    """

    staff: dict[int, Staff]
    office: dict[int, Staff]  # by county: a case's office is its county's
    office_hooks: list[Department]
    leaders: dict[int, list[Person]]

    @classmethod
    def for_rungs(cls, rungs) -> ReminderAudience:
        """Everyone a batch of (case, deadline, level) may tell, in at most four queries."""
        escalated = [case for case, _deadline, level in rungs if level >= deadlines.ESCALATED]
        # County leaders read their late cases in one daily digest (notifications.digest) unless
        # their county's office chose a message per case.
        digest_in = {c: leader_daily_digest(c) for c in {case.county_id for case in escalated}}
        per_case = [case for case in escalated if not digest_in[case.county_id]]
        return cls(
            staff=department_staff(case.lead_department_id for case, _d, _l in rungs),
            office=offices_staff(case.county_id for case in escalated) if escalated else {},
            office_hooks=(
                list(
                    Department.objects.filter(
                        kind=Department.Kind.OFFICE,
                        active=True,
                        county_id__in={case.county_id for case in escalated},
                    ).exclude(webhook_url="")
                )
                if escalated
                else []
            ),
            leaders=taskforce_leaders(case.enterprise_id for case in per_case) if per_case else {},
        )

    def people(self, case, level: int) -> list[Person]:
        lead = self.staff.get(case.lead_department_id, Staff())
        people = list(lead.desk)
        if level >= deadlines.OVERDUE:
            people += lead.heads
        if level >= deadlines.ESCALATED:
            people += self.leaders.get(case.enterprise_id, []) + self._office(case).desk
        if level >= deadlines.FLAGGED:
            people += self._office(case).heads
        return unique(people)

    def _office(self, case) -> Staff:
        return self.office.get(case.county_id, Staff())

    def webhooks(self, case, level: int) -> list[Department]:
        hooks = [case.lead_department] if case.lead_department else []
        if level >= deadlines.ESCALATED:
            hooks += [hook for hook in self.office_hooks if hook.county_id == case.county_id]
        return hooks
