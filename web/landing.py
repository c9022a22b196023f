"""Where each role lands after signing in: the page where its work is (issue 17).

One ordered list decides, for the home page and so for the sign-in (LOGIN_REDIRECT_URL is the
home page, which sends each user on): the office to 问题总台账, the county's leadership (书记, 县长,
分管县领导) to the dashboard (分析总览), a department to 部门待办, a paired
cadre to 我的企业, a county leader or task-force head to 我的专班, an enterprise contact to 我的诉求;
the city's office to its counties side by side (各县（区）), a city department to its 市级待办.
A user with several roles lands where the first of them, in this order, works.
"""

from __future__ import annotations

from django.urls import reverse

from cases.roles import (
    CADRE,
    CITY,
    CITY_DEPARTMENT,
    DEPARTMENT,
    ENTERPRISE,
    LEADER,
    LEADERSHIP,
    OFFICE,
    Actor,
)

LANDINGS = [
    (CITY, "analysis:city"),
    (CITY_DEPARTMENT, "analysis:city_department_inbox"),
    (OFFICE, "analysis:ledger"),
    (LEADERSHIP, "analysis:dashboard"),
    (DEPARTMENT, "workspace:inbox"),
    (CADRE, "fieldwork:enterprises"),
    (LEADER, "taskforces:mine"),
    (ENTERPRISE, "portal:cases"),
]


def landing_url(actor: Actor) -> str | None:
    """The URL of the actor's first role's page; None for a user with no role yet."""
    for role, name in LANDINGS:
        if actor.has_role(role):
            return reverse(name)
    return None
