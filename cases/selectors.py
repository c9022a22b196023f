"""Which objects may this user see? Answered here, and only here (DESIGN §2).

The county is the boundary of everything: nobody sees an object of another county (county_scope).
Inside it, the county's office and its leadership see the whole county (Actor.sees_county);
everyone else sees the share their task forces, department and enterprise give them. The city's
office reads every county of its city (Actor.reads_city). A city department sees the cases
escalated to it (上报市级), and nothing else of any county.

Every page, export and API endpoint starts from these querysets; an object outside them answers
404, so its existence does not leak.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.sql.where import AND, WhereNode

from cases.models import (
    BreakdownItem,
    CalendarOverride,
    Case,
    CaseEvent,
    CityEscalation,
    Visit,
    VisitPhoto,
)
from cases.roles import ENTERPRISE, Actor, actor_for
from cases.workdays import WorkCalendar
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceEnterprise


def _as_actor(who) -> Actor:
    return who if isinstance(who, Actor) else actor_for(who)


def county_scope(who, field: str = "county") -> Q:
    """The one county rule: objects whose `field` (a county foreign key, or a path to one) is the
    actor's county — or, for the city's office, any county of its city. Nothing for nobody."""
    actor = _as_actor(who)
    if actor.reads_city:
        return Q(**{f"{field}__city_id": actor.city_id})
    if actor.county_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}_id": actor.county_id})


def rows_of_cases(rows: QuerySet, cases: QuerySet[Case], path: str = "case") -> QuerySet:
    """The rows (events, ratings, commitments) of the given cases. For a whole county's cases (the
    office's scope) they are filtered by the case's county column, not by a subquery over every
    id of the county (a join over a million ids that keeps them all)."""
    county_id = whole_county(cases)
    if county_id is not None:
        return rows.filter(**{f"{path}__county_id": county_id})
    return rows.filter(**{f"{path}__in": cases.values("pk")})


def whole_county(cases: QuerySet[Case]) -> int | None:
    """The county whose every case `cases` is (Case.objects.filter(county_id=…), as
    cases_visible_to answers the office), or None for any other set."""
    query = cases.query
    if cases.model is not Case or query.is_sliced or query.combinator or query.distinct:
        return None
    children = query.where.children
    if len(children) != 1 or query.where.negated:
        return None
    return _county_equals(children[0], query.base_table)


def county_of(cases: QuerySet[Case]) -> int | None:
    """The county every case of `cases` is in, when its filter says so — county_id = X among the
    conditions it ANDs at the top, as every list of a county's people starts (cases_visible_to) —
    else None (the city's office reads every county of its city)."""
    if cases.model is not Case:
        return None
    return _county_condition(cases.query.where, cases.query.base_table)


def _county_condition(node: WhereNode, table: str | None) -> int | None:
    if node.negated or node.connector != AND:
        return None
    for child in node.children:
        if isinstance(child, WhereNode):
            found = _county_condition(child, table)
        else:
            found = _county_equals(child, table)
        if found is not None:
            return found
    return None


def _county_equals(lookup, table: str | None) -> int | None:
    """X when `lookup` is the case's own county_id = X (not a joined table's), else None."""
    lhs = getattr(lookup, "lhs", None)
    own = getattr(lhs, "target", None) is Case._meta.get_field("county")
    exact = own and getattr(lhs, "alias", None) == table and lookup.lookup_name == "exact"
    return lookup.rhs if exact and isinstance(lookup.rhs, int) else None


def in_county(queryset: QuerySet, who, field: str = "county") -> QuerySet:
    """The rows of `queryset` inside the actor's county (or city): meetings, bulletins, notices,
    letters, departments — whatever has a county of its own, read by an office's page."""
    return queryset.filter(county_scope(who, field))


def _reads_all_of_scope(actor: Actor) -> bool:
    return actor.sees_county or actor.reads_city


def _taskforce_enterprises(actor: Actor) -> QuerySet:
    return TaskForceEnterprise.objects.filter(task_force_id__in=actor.taskforce_ids).values(
        "enterprise_id"
    )


def cases_visible_to(who) -> QuerySet[Case]:
    actor = _as_actor(who)
    if not actor.roles:
        return Case.objects.none()
    if _reads_all_of_scope(actor):
        return Case.objects.filter(county_scope(actor))
    if actor.city_department_id:
        given = CityEscalation.objects.filter(city_department_id=actor.city_department_id)
        return Case.objects.filter(pk__in=given.values("case_id"))
    scope = Q(pk__in=[])
    if actor.taskforce_ids:
        scope |= Q(enterprise_id__in=_taskforce_enterprises(actor))
    if actor.department_id:
        scope |= Q(pk__in=department_case_ids(actor.department_id))
    if actor.enterprise_id:
        scope |= Q(enterprise_id=actor.enterprise_id)
    return Case.objects.filter(scope, county_scope(actor))


def department_case_ids(department_id: int) -> QuerySet:
    """The ids of the cases a department works on — it leads them, co-operates on them or holds
    one of their breakdown items: the department's part of cases_visible_to. One id subquery
    (a union) rather than per-row EXISTS: PostgreSQL hashes it once, about ten times faster on
    100,000 cases."""
    lead = Case.objects.filter(lead_department_id=department_id).order_by().values("pk")
    return lead.union(department_helped_case_ids(department_id))


def department_helped_case_ids(department_id: int) -> QuerySet:
    """The ids of the cases a department helps with: co-department or holder of a breakdown item
    (the cases it leads aside)."""
    co = Case.co_departments.through.objects.filter(department_id=department_id)
    items = BreakdownItem.objects.filter(department_id=department_id)
    return co.order_by().values("case_id").union(items.order_by().values("case_id"))


def case_events_visible_to(who, case: Case) -> QuerySet[CaseEvent]:
    """The timeline of a case the user may see; an enterprise contact sees the public events only."""
    actor = _as_actor(who)
    events = CaseEvent.objects.filter(case=case)
    if sees_internal_events(actor, case):
        return events
    return events.filter(public=True)


def sees_internal_events(who, case: Case) -> bool:
    """The county's working record (internal events and notes, supervision, meetings, requests)
    is read by the county's and the city's office, the county's departments and task forces. An
    enterprise contact is kept to the public timeline, and so is a city department: it reads what
    it needs of a county's case — the public timeline, the county's explanation (the reply) and
    the escalations with their 政策建议 (city_escalations_of_case) — not the county's own work."""
    actor = _as_actor(who)
    return bool(_reads_all_of_scope(actor) or actor.department_id or actor.taskforce_ids)


def city_escalations_visible_to(who) -> QuerySet[CityEscalation]:
    """上报市级: the city's office sees every escalation of its counties, a city department those
    given to it, a county's office and leadership their county's; nobody else any."""
    actor = _as_actor(who)
    if actor.reads_city:
        return CityEscalation.objects.filter(city_id=actor.city_id)
    if actor.city_department_id:
        return CityEscalation.objects.filter(city_department_id=actor.city_department_id)
    if actor.sees_county:
        return CityEscalation.objects.filter(county_scope(actor, "case__county"))
    return CityEscalation.objects.none()


def city_escalations_of_case(who, case: Case) -> QuerySet[CityEscalation]:
    """The case's escalations, the first first — its history with the city — for whoever reads
    one of them (city_escalations_visible_to): a city department reads the earlier rounds of a
    case given to it too; nobody else any."""
    readable = Exists(city_escalations_visible_to(who).filter(case_id=case.pk))
    return (
        CityEscalation.objects.filter(readable, case_id=case.pk)
        .select_related("city_department")
        .order_by("escalated_at", "pk")
    )


def enterprises_visible_to(who) -> QuerySet[Enterprise]:
    actor = _as_actor(who)
    if not actor.roles:
        return Enterprise.objects.none()
    if _reads_all_of_scope(actor):
        return Enterprise.objects.filter(county_scope(actor))
    scope = Q(pk__in=[])
    if actor.taskforce_ids:
        scope |= Q(pk__in=_taskforce_enterprises(actor))
    if actor.department_id:
        scope |= Q(pk__in=cases_visible_to(actor).values("enterprise_id"))
    if actor.enterprise_id:
        scope |= Q(pk=actor.enterprise_id)
    return Enterprise.objects.filter(scope, county_scope(actor))


def visits_visible_to(who) -> QuerySet[Visit]:
    """Visits are internal working records: office, the task forces, and the visiting cadre."""
    actor = _as_actor(who)
    if _reads_all_of_scope(actor):
        return Visit.objects.filter(county_scope(actor, "enterprise__county"))
    scope = Q(pk__in=[])
    if actor.taskforce_ids:
        scope |= Q(enterprise_id__in=_taskforce_enterprises(actor))
    if actor.user.is_authenticated and actor.roles:
        scope |= Q(cadre=actor.user)
    return Visit.objects.filter(scope, county_scope(actor, "enterprise__county"))


def photos_visible_to(who) -> QuerySet[VisitPhoto]:
    """A visit's photos are seen by whoever sees the visit, and by whoever sees a case it found
    (the department handling a problem sees the photo of it)."""
    actor = _as_actor(who)
    if not actor.roles:
        return VisitPhoto.objects.none()
    if actor.roles == [ENTERPRISE]:
        # Visits are internal working records; an enterprise contact sees none of their photos.
        return VisitPhoto.objects.none()
    by_case = cases_visible_to(actor).filter(visit_id=OuterRef("visit_id"))
    return VisitPhoto.objects.filter(Q(visit__in=visits_visible_to(actor)) | Q(Exists(by_case)))


def taskforces_visible_to(who) -> QuerySet[TaskForce]:
    actor = _as_actor(who)
    if _reads_all_of_scope(actor):
        return TaskForce.objects.filter(county_scope(actor))
    return TaskForce.objects.filter(county_scope(actor), pk__in=actor.taskforce_ids)


def departments_visible_to(who) -> QuerySet[Department]:
    """Department names are not secret inside a county: every signed-in role may list its own
    county's (to read a case); another county's are not shown."""
    actor = _as_actor(who)
    if not actor.roles:
        return Department.objects.none()
    return Department.objects.filter(county_scope(actor), active=True)


def work_calendar(county_id: int | None = None) -> WorkCalendar:
    """The working-day calendar with the office's overrides, in one query: the days set for every
    county, and — given a county — that county's own days on top (they win on the same date).
    A case's deadlines count on its county's calendar: work_calendar(case.county_id)."""
    rows = CalendarOverride.objects.filter(
        Q(county__isnull=True) | Q(county_id=county_id) if county_id else Q(county__isnull=True)
    ).values_list("date", "kind", "note", "county_id")
    overrides, notes = {}, {}
    for day, kind, note, _county in sorted(rows, key=lambda row: row[3] is not None):
        overrides[day] = kind == CalendarOverride.Kind.WORKDAY
        notes[day] = note
    return WorkCalendar(overrides=overrides, notes=notes)
