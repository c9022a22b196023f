"""Who did it (issue 16): the unit an actor acts for, written on each event as it happens.

The timeline names the actor's own unit, never the case's lead department: 销号 is the county
office's, 评价 the enterprise's (or, recorded on a return visit, the cadre's task force), 反馈
the clerk's own department, 督办提醒 the system's. The unit is a snapshot: a person who later moves
to another department leaves the events they wrote as they were.

One function decides it, actor_unit; the workflow's event writer (cases.workflow.steps._record), the
intake (the 登记 event), the calendar's recount and the reminder sweep all ask it. The data
migration that corrects older events (cases/migrations/0009_fill_event_units.py) follows the same
rules from each actor's current role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from cases.models import Case, CaseEvent
from cases.roles import Actor, actor_for
from enterprises.models import Department, Enterprise
from taskforces.models import CountyLeader, TaskForce, TaskForceEnterprise

U = CaseEvent.Unit
K = CaseEvent.Kind

# What a task force's member does as one, even when they also work for a department: the problem
# raised on a visit, the rating recorded on a return visit (and the reopening a bad one causes), a
# leader's 批示 and 催办. Their other acts (a commitment, say) are their department's, if they have
# one.
AS_TASKFORCE = frozenset({K.CREATED, K.RATED, K.REOPENED, K.INSTRUCTION, K.URGED})


@dataclass(frozen=True)
class Unit:
    kind: str  # CaseEvent.Unit, or "" for a user who has no role any more
    name: str = ""  # the unit's name as it was; "" for the system

    def fields(self) -> dict[str, str]:
        """The event's columns: CaseEvent(**unit.fields())."""
        return {"unit_kind": self.kind, "unit_name": self.name}


SYSTEM = Unit(U.SYSTEM)
NOBODY = Unit("")


def actor_unit(actor, case: Case | None = None, *, kind: str = "") -> Unit:
    """The unit `actor` (an Actor, a user, or None for the system) acts for on `case` when it
    writes an event of `kind`.

    In order: no signed-in user is the system; the office is the office (its department's name);
    the county's leadership is its seat (县长) for a 批示, or whenever it sits in no task force;
    the case's enterprise contact is the enterprise; a task force's member is their task force
    (the one covering the case's enterprise) for what they do as one (AS_TASKFORCE) or when they
    have no department; otherwise a department's staff is their department.
    """
    if actor is None:
        return SYSTEM
    if not isinstance(actor, Actor):
        actor = actor_for(actor)
    if not getattr(actor.user, "is_authenticated", False):
        return SYSTEM
    if actor.reads_city:  # the city's office (上报市级, cases.workflow.city)
        with translation.override(settings.LANGUAGE_CODE):  # kept in the site's language
            return Unit(U.CITY, f"{actor.place_name}{U.CITY.label}")
    if actor.city_department_id:
        return Unit(U.CITY_DEPARTMENT, actor.city_department_name)
    if actor.is_office:
        return Unit(U.OFFICE, _office_name(actor))
    if actor.is_leadership and (kind == K.INSTRUCTION or not actor.taskforce_roles):
        return Unit(U.LEADERSHIP, _leadership_name(actor))
    if actor.enterprise_id and (case is None or case.enterprise_id == actor.enterprise_id):
        return Unit(U.ENTERPRISE, _enterprise_name(actor))
    if actor.taskforce_roles and (kind in AS_TASKFORCE or not actor.department_id):
        return Unit(U.TASKFORCE, _taskforce_name(actor, case))
    if actor.department_id:
        return Unit(U.DEPARTMENT, _department_name(actor))
    return NOBODY


def _office_name(actor: Actor) -> str:
    """The office's own name (县委办 in the demo county); "" (shown as 县委办) for a superuser
    outside any office department when the county has none."""
    if actor.department_id and actor.department_kind == Department.Kind.OFFICE:
        return _department_name(actor)
    offices = Department.objects.filter(kind=Department.Kind.OFFICE).order_by("-active", "pk")
    return offices.values_list("name", flat=True).first() or ""


def _leadership_name(actor: Actor) -> str:
    """The seat (县长, 分管县领导), kept in the site's language as a unit's name is."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(CountyLeader.Title(actor.leadership_title).label)


def _department_name(actor: Actor) -> str:
    if actor.department_name:
        return actor.department_name
    return (
        Department.objects.filter(pk=actor.department_id).values_list("name", flat=True).first()
        or ""
    )


def _enterprise_name(actor: Actor) -> str:
    if actor.enterprise_name:
        return actor.enterprise_name
    return (
        Enterprise.objects.filter(pk=actor.enterprise_id).values_list("name", flat=True).first()
        or ""
    )


def _taskforce_name(actor: Actor, case: Case | None) -> str:
    """The actor's task force covering the case's enterprise (the first by name if several do),
    else the first of theirs by name."""
    ids = set(actor.taskforce_roles)
    if case is not None and len(ids) > 1:
        covering = set(
            TaskForceEnterprise.objects.filter(
                task_force_id__in=ids, enterprise_id=case.enterprise_id
            ).values_list("task_force_id", flat=True)
        )
        ids = covering or ids
    names = actor.taskforce_names
    if not all(names.get(pk) for pk in ids):
        names = dict(TaskForce.objects.filter(pk__in=ids).values_list("pk", "name"))
    return min((names[pk] for pk in ids if pk in names), default="")
