"""The city above the generated counties: the counties themselves (the first is the installation's
own, 进贤县), the city office's login, a city department with its clerk, and a few cases of each
county escalated to the city through the workflow (cases.workflow.city), some assigned to the
city department and one of them answered."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from cases.models import Case, CaseEvent, CityEscalation
from cases.roles import actor_for
from cases.workflow.city import (
    case_escalate_to_city,
    city_escalation_answer,
    city_escalation_assign,
)
from counties.models import (
    City,
    CityDepartment,
    CityDepartmentStaff,
    CityOfficeMember,
    County,
    home_county_id,
)

# The counties after the first, in the order they are made (南昌市's other counties and districts).
COUNTY_NAMES = [
    "南昌县",
    "安义县",
    "新建区",
    "东湖区",
    "西湖区",
    "青云谱区",
    "青山湖区",
    "红谷滩区",
    "南昌经开区",
    "南昌高新区",
]
CITY_DEPARTMENT = "市发改委"
# Cases each county escalates: the first ESCALATED_ASSIGNED are assigned to the city department,
# the first of those answered.
ESCALATED_PER_COUNTY = 4
ESCALATED_ASSIGNED = 2
K = CaseEvent.Kind
CITY_EVENTS = [K.CITY_ESCALATED, K.CITY_ASSIGNED, K.CITY_CONTACTED, K.CITY_ANSWERED]


def county_name(number: int) -> str:
    """The name of the number-th county after the first (1-based)."""
    if number <= len(COUNTY_NAMES):
        return COUNTY_NAMES[number - 1]
    return f"测试县{number}"


def make_counties(n: int) -> list[int]:
    """The ids of n counties of one city: the installation's first county and n-1 more."""
    first = home_county_id()
    city_id = County.objects.values_list("city_id", flat=True).get(pk=first)
    ids = [first]
    for number in range(1, n):
        county, _ = County.objects.get_or_create(city_id=city_id, name=county_name(number))
        ids.append(county.pk)
    return ids


class CityFrame:
    """The city's logins: bench_city (the city office) and bench_citydept (the city department's
    clerk)."""

    def __init__(self, county_id: int, *, password: str, log: Callable[[str], None]):
        self.city = City.objects.get(counties=county_id)
        self.password = password  # hashed
        self.log = log

    def build(self) -> None:
        User = get_user_model()
        self.logins = {}
        for role in ("city", "citydept"):
            user, _ = User.objects.get_or_create(username=f"bench_{role}")
            user.password, user.is_active = self.password, True
            user.save(update_fields=["password", "is_active"])
            self.logins[role] = user
        CityOfficeMember.objects.update_or_create(
            user=self.logins["city"], defaults={"city": self.city}
        )
        self.department, _ = CityDepartment.objects.get_or_create(
            city=self.city, name=CITY_DEPARTMENT
        )
        CityDepartmentStaff.objects.update_or_create(
            user=self.logins["citydept"], defaults={"department": self.department}
        )

    def escalate(self, county_id: int, office) -> dict[str, int]:
        """The county's office escalates its latest cases explained as a policy barrier; the
        city office assigns some to the city department, which answers one. Returns the rows
        the workflow wrote: escalations and the events of the cases' timelines."""
        cases = list(
            Case.objects.filter(
                county_id=county_id,
                outcome=Case.Outcome.EXPLAINED,
                status__in=[Case.Status.REPLIED, Case.Status.CLOSED],
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:ESCALATED_PER_COUNTY]
        )
        county_office, city_office = actor_for(office), actor_for(self.logins["city"])
        clerk = actor_for(self.logins["citydept"])
        for index, case_id in enumerate(cases):
            escalation = case_escalate_to_city(
                actor=county_office, case=case_id, proposal="建议市级出台用地指标统筹政策"
            )
            if index < ESCALATED_ASSIGNED:
                city_escalation_assign(
                    actor=city_office, escalation=escalation, city_department=self.department
                )
            if index == 0:
                city_escalation_answer(
                    actor=clerk, escalation=escalation, answer="已纳入全市统筹，分批解决"
                )
        events = CaseEvent.objects.filter(case_id__in=cases, kind__in=CITY_EVENTS).count()
        return {"escalation": len(cases), "event": events}

    def count(self) -> int:
        return CityEscalation.objects.filter(city=self.city).count()
