"""Task forces at work (DESIGN §3): the 1+2+N shape and saving a task force; what a task force
works on — its enterprises, the problems waiting to be reviewed one by one (逐个研究) and the marks
that review them; and, for the office, the enterprises nobody covers or visits (全覆盖)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Case
from cases.roles import Actor
from cases.selectors import cases_visible_to
from cases.validators import check_input
from cases.visits import stale_enterprises, with_last_visit
from counties.membership import check_one_county
from counties.models import home_county_id
from enterprises.models import Enterprise
from taskforces.models import CaseReview, TaskForce, TaskForceEnterprise, TaskForceMember

REVIEWER_ROLES = {TaskForceMember.Role.LEADER, TaskForceMember.Role.HEAD}


def reviewing_taskforce_ids(actor: Actor) -> set[int]:
    """The task forces in which this user is the county leader or one of the two heads."""
    return {tf for tf, roles in actor.taskforce_roles.items() if roles & REVIEWER_ROLES}


def review_queue(actor: Actor) -> QuerySet[Case]:
    """逐个研究: the open problems of my task forces' enterprises that none of those task forces has
    reviewed, newest first (a problem closed or merged before anyone looked needs no review)."""
    taskforces = reviewing_taskforce_ids(actor)
    covered = TaskForceEnterprise.objects.filter(task_force_id__in=taskforces).values(
        "enterprise_id"
    )
    reviewed = CaseReview.objects.filter(case=OuterRef("pk"), task_force_id__in=taskforces)
    return (
        cases_visible_to(actor)
        .filter(enterprise_id__in=covered, status__in=Case.OPEN_STATUSES)
        .exclude(Exists(reviewed))
        .select_related("enterprise", "category", "lead_department")
        .order_by("-created_at", "-id")
    )


def taskforce_enterprises(task_force: TaskForce, *, today: dt.date) -> QuerySet:
    """The task force's enterprises with their open problems and their last visit by anyone
    (cases.visits)."""
    open_statuses = list(Case.OPEN_STATUSES)
    return (
        with_last_visit(Enterprise.objects.filter(task_forces=task_force), today)
        .annotate(
            open_cases=Count("cases", filter=Q(cases__status__in=open_statuses), distinct=True),
        )
        .order_by("-open_cases", "name")
    )


def enterprises_without_taskforce(county_id: int | None = None) -> QuerySet[Enterprise]:
    """The enterprises of the county (every county's, none named) no running task force covers."""
    active_cover = TaskForceEnterprise.objects.filter(
        enterprise=OuterRef("pk"), task_force__active=True
    )
    enterprises = Enterprise.objects.exclude(Exists(active_cover))
    if county_id is not None:
        enterprises = enterprises.filter(county_id=county_id)
    return enterprises.select_related("township").order_by("name")


def enterprises_not_visited(
    today: dt.date, days: int | None = None, county_id: int | None = None
) -> QuerySet[Enterprise]:
    """The enterprises of the county (every county's, none named) not visited for days (default:
    the setting) as of today (cases.visits)."""
    stale = stale_enterprises(today, days)
    if county_id is not None:
        stale = stale.filter(county_id=county_id)
    return stale.select_related("township").order_by("last_visit", "name")


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
    check_input(lines={"name": task_force.name})
    enterprises = list(enterprises)
    seen = set()
    if task_force.county_id is None:
        task_force.county_id = home_county_id()
    for enterprise in enterprises:
        if enterprise.pk in seen:
            raise ValidationError(_("企业“%(name)s”重复添加到专班。") % {"name": enterprise})
        if enterprise.county_id != task_force.county_id:
            raise ValidationError(_("企业“%(name)s”不属于本县（区）。") % {"name": enterprise})
        seen.add(enterprise.pk)
    for _user, _role, dept in members:
        if dept is not None and dept.county_id != task_force.county_id:
            raise ValidationError(_("单位“%(name)s”不属于本县（区）。") % {"name": dept})
    task_force.full_clean()
    task_force.save()
    task_force.members.all().delete()
    for user, _role, _dept in members:  # bulk_create skips the model's own check: asked here
        check_one_county(user, county_id=task_force.county_id)
    TaskForceMember.objects.bulk_create(
        TaskForceMember(task_force=task_force, user=user, role=role, department=dept)
        for user, role, dept in members
    )
    task_force.enterprises.set(enterprises)
    return task_force


@transaction.atomic
def case_review_mark(*, actor, case, note: str = "") -> CaseReview:
    """逐个研究: the leader or a head of a task force covering the case's enterprise has reviewed it."""
    from cases.errors import ActionForbidden, InvalidState
    from cases.roles import actor_for
    from cases.taskforces import reviewing_taskforce_ids

    actor = actor_for(actor) if not hasattr(actor, "taskforce_roles") else actor
    check_input(texts={"note": note})
    task_force_id = (
        TaskForceEnterprise.objects.filter(
            task_force_id__in=reviewing_taskforce_ids(actor), enterprise_id=case.enterprise_id
        )
        .order_by("task_force_id")
        .values_list("task_force_id", flat=True)
        .first()
    )
    if task_force_id is None:
        raise ActionForbidden(_("只有覆盖该企业的专班县领导或部门主要领导可以研究此问题。"))
    try:
        with transaction.atomic():
            return CaseReview.objects.create(
                task_force_id=task_force_id,
                case=case,
                reviewed_by=actor.user,
                note=(note or "").strip(),
            )
    except IntegrityError:
        raise InvalidState(_("专班已研究过此问题。"), status=case.status) from None


@transaction.atomic
def cases_review_mark(*, actor, cases, notes: dict[int, str] | None = None) -> list[CaseReview]:
    """标记已研究 for several problems at once: every one, or none (the first refusal — not a
    reviewer of its enterprise, reviewed meanwhile, a bad note — is raised naming its number and
    nothing is kept)."""
    from cases.errors import ActionForbidden, InvalidState

    notes = notes or {}
    marked = []
    for case in cases:
        try:
            marked.append(case_review_mark(actor=actor, case=case, note=notes.get(case.pk, "")))
        except ActionForbidden as refused:
            raise ActionForbidden(_named(case, refused.message)) from refused
        except InvalidState as conflict:
            raise InvalidState(_named(case, conflict.message), status=case.status) from conflict
        except ValidationError as error:
            raise ValidationError(_named(case, " ".join(error.messages))) from error
    return marked


def _named(case, message: str) -> str:
    return _("问题 %(number)s：%(message)s") % {"number": case.number, "message": message}
