"""Possible duplicates of a case waiting for triage, shown beside it:
- the same enterprise raising a problem with a similar title again: a duplicate, to merge;
- the same problem raised by several enterprises (one road, one power line): a similar title in
  the same category, from another enterprise — to handle jointly (并案办理, cases.joint), never
  to merge, so that each enterprise keeps its own case, reply and rating.
Only open cases count: a closed case is history, a merged one already joined another; the cases
of the case's own joint group are not offered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from cases import joint
from cases.models import Case
from cases.titles import title_bigrams, titles_similar

# How many open cases are read to find the duplicates of one page, and how many are shown per case.
CANDIDATE_LIMIT = 3000
SHOWN_PER_CASE = 5


@dataclass(frozen=True)
class Duplicate:
    case: Case
    same_enterprise: bool

    @property
    def joinable(self) -> bool:
        """Another enterprise's, and its group still takes new cases (before the acceptance)."""
        return not self.same_enterprise and self.case.status in joint.JOINABLE


def duplicates_for(cases: Sequence[Case]) -> dict[int, list[Duplicate]]:
    """The possible duplicates of a page of cases, in two queries whatever its size.

    The candidates are read as narrow rows (from an index that holds them) and split by enterprise
    and by category, so each case is compared only with those that could be its duplicates; the
    few shown are then read in full.
    """
    if not cases:
        return {}
    rows = list(
        Case.objects.filter(
            status__in=Case.OPEN_STATUSES, county_id__in={c.county_id for c in cases}
        )
        .filter(
            Q(enterprise_id__in={c.enterprise_id for c in cases})
            | Q(category_id__in={c.category_id for c in cases})
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "enterprise_id", "category_id", "joint_group_id")[
            :CANDIDATE_LIMIT
        ]
    )
    by_enterprise, by_category = defaultdict(list), defaultdict(list)
    for index, (_pk, _title, enterprise_id, category_id, _group) in enumerate(rows):
        by_enterprise[enterprise_id].append(index)
        by_category[category_id].append(index)

    shown: dict[int, list[tuple[int, bool]]] = {}  # a case -> (candidate id, same enterprise)
    for case in cases:
        grams = title_bigrams(case.title)
        verdicts: dict[str, bool] = {}  # titles repeat: each distinct one is compared once
        found = []
        # The same enterprise's and the same category's, in the candidates' order (newest first).
        for index in sorted({*by_enterprise[case.enterprise_id], *by_category[case.category_id]}):
            pk, title, enterprise_id, _category_id, group = rows[index]
            if case.joint_group_id is not None and group == case.joint_group_id:
                continue  # handled with it already
            if title not in verdicts:
                verdicts[title] = titles_similar(grams, title_bigrams(title))
            if verdicts[title] and pk != case.pk:
                found.append((pk, enterprise_id == case.enterprise_id))
        found.sort(key=lambda pair: not pair[1])  # the same enterprise's first
        if found:
            shown[case.pk] = found[:SHOWN_PER_CASE]

    loaded = (  # still open: one closed in the meantime is no longer offered
        Case.objects.filter(status__in=Case.OPEN_STATUSES)
        .select_related("enterprise")
        .only(
            *["number", "title", "status", "enterprise_id", "category_id", "joint_group_id"],
            "enterprise__name",
        )
        .in_bulk({pk for found in shown.values() for pk, _same in found})
    )
    return {
        pk: [Duplicate(loaded[other], same) for other, same in found if other in loaded]
        for pk, found in shown.items()
    }
