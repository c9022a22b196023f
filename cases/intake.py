"""How problems enter the system: a cadre's visit, an enterprise's own report, an import."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.checkin import CheckIn, checkin_errors, checkin_fields
from cases.errors import ActionForbidden, ClientIdTaken
from cases.models import Case, CaseCounter, CaseEvent, Category, Visit
from cases.roles import Actor, actor_for
from cases.signals import event_recorded
from cases.units import actor_unit
from cases.validators import check_input, input_errors
from cases.workdays import local_date
from enterprises.models import Enterprise
from taskforces.models import TaskForceEnterprise


@dataclass(frozen=True)
class Problem:
    title: str
    description: str = ""
    category: Category | None = None


def next_case_number(year: int) -> tuple[int, str]:
    """The next number of the year, taken under a row lock so numbers never clash."""
    counter = CaseCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                CaseCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another transaction created the year's counter first
        counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:05d}"


def _as_actor(user_or_actor) -> Actor:
    return user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)


def _may_raise_for(actor: Actor, enterprise: Enterprise) -> bool:
    if not actor.in_county(enterprise.county_id):
        return False
    if actor.is_office or actor.enterprise_id == enterprise.pk:
        return True
    return (
        bool(actor.taskforce_ids)
        and TaskForceEnterprise.objects.filter(
            task_force_id__in=actor.taskforce_ids, enterprise=enterprise
        ).exists()
    )


def _problem_errors(problem: Problem) -> dict:
    errors = input_errors(
        lines={"title": problem.title}, texts={"description": problem.description}
    )
    if not (problem.title or "").strip():
        errors["title"] = _("请填写问题标题。")
    elif len(problem.title.strip()) > 200:
        errors["title"] = _("问题标题不能超过200字。")
    if problem.category is None:
        errors["category"] = _("请选择问题类别。")
    elif not problem.category.active:
        errors["category"] = _("类别“%(name)s”已停用。") % {"name": problem.category}
    return errors


def _create_case(
    *,
    actor: Actor,
    enterprise: Enterprise,
    problem: Problem,
    source: str,
    visit: Visit | None,
    batch: str,
    now: dt.datetime,
) -> Case:
    sequence, number = next_case_number(local_date(now).year)
    case = Case.objects.create(
        number=number,
        year=local_date(now).year,
        sequence=sequence,
        title=problem.title.strip(),
        description=(problem.description or "").strip(),
        category=problem.category,
        enterprise=enterprise,
        county_id=enterprise.county_id,
        visit=visit,
        source=source,
        batch=batch,
        created_by=actor.user if actor.user.is_authenticated else None,
    )
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CREATED,
        actor=case.created_by,
        **actor_unit(actor, case, kind=CaseEvent.Kind.CREATED).fields(),
        public=True,
        note=case.title,
        data={"source": source, "visit": visit.pk if visit else None},
    )
    event_recorded(event)
    return case


@transaction.atomic
def case_create(
    *,
    actor,
    enterprise: Enterprise,
    title: str,
    description: str = "",
    category: Category | None,
    source: str = Case.Source.SELF_REPORT,
    batch: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """A problem raised outside a visit: the enterprise's own report, or the office's entry."""
    actor = _as_actor(actor)
    if not _may_raise_for(actor, enterprise):
        raise ActionForbidden(_("您不能为该企业登记问题。"))
    if source not in Case.Source.values:
        raise ValidationError({"source": _("未知的问题来源。")})
    check_input(lines={"batch": batch})
    problem = Problem(title=title, description=description, category=category)
    errors = _problem_errors(problem)
    if errors:
        raise ValidationError(errors)
    return _create_case(
        actor=actor,
        enterprise=enterprise,
        problem=problem,
        source=source,
        visit=None,
        batch=batch,
        now=now or timezone.now(),
    )


class VisitLogged(tuple):
    """What visit_create answers: `(visit, cases)`, unpacked as such, and `created` — False when
    the visit had been sent before under the same client_id, and this call made nothing."""

    visit: Visit
    cases: list[Case]
    created: bool

    def __new__(cls, visit: Visit, cases: list[Case], *, created: bool):
        logged = super().__new__(cls, (visit, cases))
        logged.visit, logged.cases, logged.created = visit, cases, created
        return logged


def visit_sent_before(actor, client_id: uuid.UUID) -> VisitLogged | None:
    """The visit the phone sent before under client_id, with its cases — or None if there is none.

    A phone resends a visit whose answer it never got (a dropped connection, a double tap, two
    tabs); the id it made when the visit was saved finds the first one. The same id from another
    user is refused (ClientIdTaken): their visit is not shown to this user, nor replaced."""
    actor = _as_actor(actor)
    visit = Visit.objects.filter(client_id=client_id).first()
    if visit is None:
        return None
    if visit.cadre_id != actor.user.pk:
        raise ClientIdTaken(
            _("这条走访的编号已被其他账号使用，未能上传。请在走访页面重新填写后保存。")
        )
    return VisitLogged(visit, list(visit.cases.order_by("pk")), created=False)


@transaction.atomic
def visit_create(
    *,
    actor,
    enterprise: Enterprise,
    visited_on: dt.date,
    kind: str,
    notes: str = "",
    problems: Iterable[Problem] = (),
    client_id: uuid.UUID | None = None,
    checkin: CheckIn | None = None,
    now: dt.datetime | None = None,
) -> VisitLogged:
    """走访: a cadre's visit and the problems it found, saved together or not at all.

    A visit with no problem is valid: the enterprise had none, and that is worth recording too.

    With a client_id (made on the phone) the call is idempotent: sent again by the same user it
    answers the first visit and its cases and creates nothing (`created` False) — before any other
    check, so a resend after the enterprise moved to another task force still finds its visit.
    Two identical requests at the same moment meet at the unique constraint: the second waits for
    the first to commit and then answers its visit. `checkin` is the optional 签到位置
    (cases.checkin), given only with the cadre's consent.
    """
    actor = _as_actor(actor)
    now = now or timezone.now()
    if client_id is not None and (sent := visit_sent_before(actor, client_id)):
        return sent
    covered = (
        actor.is_office
        or TaskForceEnterprise.objects.filter(
            task_force_id__in=actor.taskforce_ids, enterprise=enterprise
        ).exists()
    )
    if not covered:
        raise ActionForbidden(_("该企业不在您的专班包干范围内。"))
    problems = list(problems)
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = _("请填写走访日期。")
    elif visited_on > local_date(now):
        errors["visited_on"] = _("走访日期不能晚于今天。")
    errors = {**input_errors(texts={"notes": notes}, days={"visited_on": visited_on}), **errors}
    if kind not in Visit.Kind.values:
        errors["kind"] = _("请选择走访类型：宣传问需求、走访问实情、解难问成效或纳谏问计策。")
    if checkin is not None:
        errors.update(checkin_errors(checkin, now))
    for index, problem in enumerate(problems):
        for field, message in _problem_errors(problem).items():
            errors[f"problems[{index}].{field}"] = message
    if errors:
        raise ValidationError(errors)
    task_force_id = (
        TaskForceEnterprise.objects.filter(
            task_force_id__in=actor.taskforce_ids, enterprise=enterprise
        )
        .values_list("task_force_id", flat=True)
        .first()
    )
    try:
        with transaction.atomic():  # a savepoint: the clash below leaves the transaction usable
            visit = Visit.objects.create(
                enterprise=enterprise,
                cadre=actor.user,
                task_force_id=task_force_id,
                visited_on=visited_on,
                kind=kind,
                notes=(notes or "").strip(),
                client_id=client_id,
                **checkin_fields(checkin),
            )
    except IntegrityError:
        # The same client_id was committed by a concurrent request meanwhile: answer its visit.
        if client_id is None or not (sent := visit_sent_before(actor, client_id)):
            raise
        return sent
    cases = [
        _create_case(
            actor=actor,
            enterprise=enterprise,
            problem=p,
            source=Case.Source.VISIT,
            visit=visit,
            batch="",
            now=now,
        )
        for p in problems
    ]
    return VisitLogged(visit, cases, created=True)
