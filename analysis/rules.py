"""考核规则: which version of the rules scores a period, and saving a new one.

A period is scored by the version in force on its last day (today, for a period still running).
The office only ever adds a version, taking effect today or later: a version in force on a past
day is never edited nor overtaken for that day, so a past period keeps its score. Before the
office saves any, the built-in defaults apply (the fields' defaults; the least number of cases
to be ranked from ANALYSIS_RANK_MIN_ASSIGNED).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis import conf
from analysis.models import RATES, EvaluationRules
from analysis.periods import Period
from cases.errors import ActionForbidden
from cases.roles import Actor, actor_for
from cases.validators import FIRST_DAY, input_errors
from cases.workdays import local_date
from counties.models import county_or_home

# What a version holds besides its date and note: the fields the office sets.
RULE_FIELDS = (
    *(f"weight_{rate}" for rate in RATES),
    "unrated",
    "unrated_days",
    "deduction_return",
    "deduction_reopen",
    "points_praise",
    "points_criticism",
    "points_interview",
    "points_accountability",
    "min_ranked",
)
WEIGHTS_TOTAL = 100


def default_rules() -> EvaluationRules:
    """The rules before the office saved any (not stored; pk None)."""
    return EvaluationRules(effective_from=FIRST_DAY, min_ranked=conf.rank_min_assigned())


def rules_in_force(day: dt.date, county_id: int | None = None) -> EvaluationRules:
    """The county's version in force on `day`: the latest to take effect by then, the last saved
    first. Each county keeps its own rules; no county named: the first county's."""
    county_id = county_or_home(county_id)
    return rules_in_force_by_county(day, [county_id])[county_id]


def rules_in_force_by_county(day: dt.date, county_ids: list[int]) -> dict[int, EvaluationRules]:
    """rules_in_force for each of the counties, in one query (the city reads ten at a time): the
    versions taken effect by `day`, few per county, the first of each county's in order."""
    found: dict[int, EvaluationRules] = {}
    for rules in EvaluationRules.objects.filter(
        effective_from__lte=day, county_id__in=county_ids
    ).order_by("-effective_from", "-id"):
        found.setdefault(rules.county_id, rules)
    return {county_id: found.get(county_id) or default_rules() for county_id in county_ids}


def rules_for(
    period: Period, now: dt.datetime | None = None, county_id: int | None = None
) -> EvaluationRules:
    """The county's version that scores `period`: the one in force on its last day (today if
    later)."""
    return rules_in_force(_scored_on(period, now), county_id)


def rules_for_counties(
    period: Period, county_ids: list[int], now: dt.datetime | None = None
) -> dict[int, EvaluationRules]:
    """rules_for each of the counties, in one query."""
    return rules_in_force_by_county(_scored_on(period, now), county_ids)


def _scored_on(period: Period, now: dt.datetime | None) -> dt.date:
    return period.end_or(local_date(now or timezone.now()))


def rules_values(rules: EvaluationRules) -> dict[str, object]:
    """What a version sets, by field: the form of a new version starts from the current one's."""
    return {name: getattr(rules, name) for name in RULE_FIELDS}


def rules_history(county_id: int | None = None) -> QuerySet[EvaluationRules]:
    """Every version the county saved, the latest to take effect first."""
    return (
        EvaluationRules.objects.filter(county_id=county_or_home(county_id))
        .select_related("created_by")
        .order_by("-effective_from", "-id")
    )


@transaction.atomic
def rules_save(
    *,
    actor,
    values: Mapping[str, object],
    effective_from: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
) -> EvaluationRules:
    """A new version of the rules, in force from `effective_from` (today or later); or refused
    (ActionForbidden for anyone but the office, ValidationError by field) with nothing saved."""
    actor = actor if isinstance(actor, Actor) else actor_for(actor)
    if not actor.is_office:
        raise ActionForbidden(_("只有县委办可以修订考核规则。"))
    today = local_date(now or timezone.now())
    note = (note or "").strip()
    errors = input_errors(lines={"note": note}, days={"effective_from": effective_from})
    if effective_from is None or effective_from < today:
        errors.setdefault("effective_from", []).append(
            _("施行日期不能早于今天：已经过去的期间须按当时的规则计分。")
        )
    rules = EvaluationRules(
        county_id=actor.county_id,
        effective_from=effective_from,
        note=note,
        created_by=actor.user if actor.user.is_authenticated else None,
        **{name: values[name] for name in RULE_FIELDS},
    )
    total = sum(rules.weights().values())
    if total != WEIGHTS_TOTAL:
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            _("五项权重之和须为 %(total)d（现为 %(now)d）。")
            % {"total": WEIGHTS_TOTAL, "now": total}
        )
    try:
        rules.full_clean(exclude=["created_by", *errors])
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    rules.save()
    return rules
