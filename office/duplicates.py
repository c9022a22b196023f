"""Possible duplicates of a case waiting for triage, shown beside it so the office can merge them:
- the same enterprise raising a problem with a similar title again;
- the same problem raised by several enterprises (one road, one power line): a similar title in
  the same category, from another enterprise.
Only open cases count: a closed case is history, a merged one already joined another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from cases.models import Case
from office.titles import title_bigrams, titles_similar

# How many open cases are read to find the duplicates of one page, and how many are shown per case.
CANDIDATE_LIMIT = 3000
SHOWN_PER_CASE = 5


@dataclass(frozen=True)
class Duplicate:
    case: Case
    same_enterprise: bool


def find_duplicates(case: Case, candidates: Iterable[Case]) -> list[Duplicate]:
    """The candidates that look like the same problem as case, same enterprise first."""
    grams = title_bigrams(case.title)
    found = []
    for other in candidates:
        if other.pk == case.pk or other.status not in Case.OPEN_STATUSES:
            continue
        same_enterprise = other.enterprise_id == case.enterprise_id
        if not same_enterprise and other.category_id != case.category_id:
            continue
        if titles_similar(grams, title_bigrams(other.title)):
            found.append(Duplicate(other, same_enterprise))
    found.sort(key=lambda d: not d.same_enterprise)
    return found


def duplicates_for(cases: Sequence[Case]) -> dict[int, list[Duplicate]]:
    """The possible duplicates of a page of cases, in one query whatever its size."""
    if not cases:
        return {}
    candidates = list(
        Case.objects.filter(status__in=Case.OPEN_STATUSES)
        .filter(
            Q(enterprise_id__in={c.enterprise_id for c in cases})
            | Q(category_id__in={c.category_id for c in cases})
        )
        .select_related("enterprise")
        .only("number", "title", "status", "enterprise_id", "category_id", "enterprise__name")
        .order_by("-created_at", "-pk")[:CANDIDATE_LIMIT]
    )
    result = {}
    for case in cases:
        found = find_duplicates(case, candidates)
        if found:
            result[case.pk] = found[:SHOWN_PER_CASE]
    return result
