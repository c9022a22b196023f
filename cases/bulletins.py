"""奖惩: the office issues a bulletin on a department — 通报表扬, 通报批评, 约谈, 问责建议 — with
its 文号, and the pages list them. One of the campaign's six "有" (有奖惩).

A bulletin takes its number (进四问通〔2026〕3号) in the transaction that saves it, so a bulletin
that is refused or rolled back leaves no gap. Bulletins are never edited: the number is on paper.
The evaluation (analysis) adds each kind's points to the department's score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.documents import document_number, document_number_issue
from cases.errors import ActionForbidden
from cases.models import Bulletin, Case
from cases.roles import Actor, actor_for
from cases.validators import input_errors
from cases.workdays import local_date
from enterprises.models import Department

TITLE_MAX = Bulletin._meta.get_field("title").max_length


def may_issue_bulletins(actor: Actor) -> bool:
    """奖惩 are the office's: the leading group's office (县委办) issues every bulletin."""
    return actor.is_office


@transaction.atomic
def bulletin_issue(
    *,
    actor,
    kind: str,
    department: Department,
    title: str,
    text: str,
    cases: Iterable[Case] = (),
    now: dt.datetime | None = None,
) -> Bulletin:
    """Issue a bulletin on a department, numbered now; or refuse it (ActionForbidden for anyone
    but the office, ValidationError by field) with nothing saved and no number spent."""
    actor = actor if isinstance(actor, Actor) else actor_for(actor)
    if not may_issue_bulletins(actor):
        raise ActionForbidden(_("只有县委办可以发布奖惩通报。"))
    title, text = (title or "").strip(), (text or "").strip()
    errors = input_errors(lines={"title": title}, texts={"text": text})
    if kind not in Bulletin.Kind.values:
        errors["kind"] = [_("请选择奖惩类别。")]
    if department is None or department.is_office or department.county_id != actor.county_id:
        errors["department"] = [_("请选择被通报的部门/单位。")]
    if not title:
        errors.setdefault("title", []).append(_("请填写标题。"))
    elif len(title) > TITLE_MAX:
        errors.setdefault("title", []).append(_("标题不能超过 %(n)d 个字。") % {"n": TITLE_MAX})
    if not text:
        errors.setdefault("text", []).append(_("请填写通报内容。"))
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    number = document_number_issue(
        Bulletin.NUMBER_KIND, county_id=department.county_id, on=local_date(now)
    )
    bulletin = Bulletin.objects.create(
        county_id=department.county_id,
        kind=kind,
        department=department,
        title=title,
        text=text,
        number_year=number.year,
        number_serial=number.serial,
        issued_by=actor.user,
        issued_at=now,
    )
    cases = list(cases)
    if cases:
        bulletin.cases.set(cases)
    return bulletin


def bulletin_number(bulletin: Bulletin) -> str:
    """The printed 文号 of a bulletin."""
    return document_number(Bulletin.NUMBER_KIND, bulletin.number_year, bulletin.number_serial)


def numbered(bulletins: Iterable[Bulletin]) -> list[Bulletin]:
    """The bulletins, each with its printed 文号 as `.number`, for a page to show."""
    listed = list(bulletins)
    for bulletin in listed:
        bulletin.number = bulletin_number(bulletin)
    return listed


def bulletins_of(department_id: int) -> QuerySet[Bulletin]:
    """A department's bulletins, newest first (its own page shows them)."""
    return (
        Bulletin.objects.filter(department_id=department_id)
        .select_related("department")
        .order_by("-issued_at", "-id")
    )
