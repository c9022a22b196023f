"""Which department should lead a new case? A suggestion the office accepts or changes at triage.

The evidence, strongest first:
1. how past cases of the same category with a similar title were assigned (the most frequent lead
   department among them) — what the county actually does beats what a table says;
2. the category's default lead department;
3. the most frequent lead department of the category's past cases.
A department that returned the case (退回) is never suggested for it again.

Every place that proposes a lead department asks suggestions_for (a page of cases) or
suggestion_for (one case): the triage page, the office's assign form and the case page's assign
form pre-select and show the same department with the same reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connections
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from cases.models import Case
from cases.titles import title_bigrams, titles_similar
from enterprises.models import Department

# How many past assignments of each category of a county are read to make the suggestions: the
# newest thousand, a year or more of a busy county's category — what the county does now (a
# department renamed or merged last year no longer counts), at the same cost in a county of
# 100,000 cases as in one of 10,000 (5,000 made a large county's triage read five times more).
HISTORY_LIMIT = 1000


class PastAssignment(NamedTuple):
    """Past cases of a category with the same title and lead department: `count` of them (one, or
    a page's history grouped by the database, which reads one row per title and department)."""

    category_id: int
    title: str
    lead_department_id: int
    count: int = 1

    @property
    def bigrams(self) -> frozenset[str]:
        return title_bigrams(self.title)


@dataclass(frozen=True)
class Suggestion:
    department_id: int
    reason: str
    department: Department | None = None


def suggest_lead_department(
    *,
    title: str,
    category_id: int,
    default_department_id: int | None,
    history: Sequence[PastAssignment],
    exclude: Iterable[int] = (),
    history_bigrams: Sequence[frozenset[str]] | None = None,
) -> Suggestion | None:
    """The suggested lead department for a case, with the reason shown to the office.

    history is newest first (ties go to the department chosen most recently; a grouped entry stands
    where its newest case would); history_bigrams, if given, are the precomputed title_bigrams of
    history, in the same order.
    """
    excluded = set(exclude)
    grams = title_bigrams(title)
    if history_bigrams is None:
        history_bigrams = [past.bigrams for past in history]
    same_category = [
        (past, past_grams)
        for past, past_grams in zip(history, history_bigrams, strict=True)
        if past.category_id == category_id and past.lead_department_id not in excluded
    ]
    # Titles repeat ("电压不稳" every month): each distinct one is compared once.
    verdicts: dict[frozenset[str], bool] = {}
    similar = []
    for past, past_grams in same_category:
        if past_grams not in verdicts:
            verdicts[past_grams] = titles_similar(grams, past_grams)
        if verdicts[past_grams]:
            similar.append(past)
    if similar:
        department_id, count = _most_frequent(similar)
        return Suggestion(
            department_id,
            _("%(count)d 件同类问题中有 %(lead)d 件由其牵头")
            % {"count": sum(past.count for past in similar), "lead": count},
        )
    if default_department_id is not None and default_department_id not in excluded:
        return Suggestion(default_department_id, _("该类别的默认牵头部门"))
    if same_category:
        department_id, count = _most_frequent([past for past, _grams in same_category])
        return Suggestion(
            department_id, _("该类别问题中有 %(count)d 件由其牵头") % {"count": count}
        )
    return None


def _most_frequent(history: list[PastAssignment]) -> tuple[int, int]:
    # Counter keeps first-seen order among equal counts, and history is newest first.
    counts: Counter[int] = Counter()
    for past in history:
        counts[past.lead_department_id] += past.count
    return counts.most_common(1)[0]


def suggestions_for(cases: Sequence[Case]) -> dict[int, Suggestion]:
    """Suggestions for a page of cases (with category loaded), in two queries whatever its size.

    Only past cases of the same category can count for a case, so the history is split by category
    (newest first within each) and each case is compared with its own category's part only. Titles
    repeat (电压不稳 every month): the database groups the history by title and lead department,
    so a page reads and compares each once, not the thousands of cases behind them.
    """
    if not cases:
        return {}
    by_category: dict[tuple[int, int], list[PastAssignment]] = defaultdict(list)
    for county_id, *row in _grouped(_history(cases)):
        by_category[county_id, row[0]].append(PastAssignment._make(row))
    bigrams = {
        category: [past.bigrams for past in history] for category, history in by_category.items()
    }
    found = {}
    for case in cases:
        suggestion = suggest_lead_department(
            title=case.title,
            category_id=case.category_id,
            default_department_id=case.category.default_department_id,
            history=by_category.get((case.county_id, case.category_id), []),
            history_bigrams=bigrams.get((case.county_id, case.category_id), []),
            exclude=[case.returned_from_id] if case.returned_from_id else [],
        )
        if suggestion is not None:
            found[case.pk] = suggestion
    departments = Department.objects.in_bulk({s.department_id for s in found.values()})
    county_of = {case.pk: case.county_id for case in cases}
    return {
        pk: Suggestion(s.department_id, s.reason, departments.get(s.department_id))
        for pk, s in found.items()
        # A category's default department is one county's: never suggested in another.
        if s.department_id in departments
        and departments[s.department_id].county_id == county_of[pk]
    }


def _history(cases: Sequence[Case]):
    """The past assignments the page's suggestions learn from, numbered newest first (nth) within
    each county's category, HISTORY_LIMIT of each at most. The limit is per category of a county:
    a case gets the same suggestion on a page as alone, and only from its own county's history."""
    newest_first = [F("assigned_at").desc(), F("pk").desc()]
    past = Case.objects.filter(lead_department__isnull=False).exclude(
        pk__in=[case.pk for case in cases]
    )
    columns = ("county_id", "category_id", "title", "lead_department_id", "nth")
    pairs = sorted({(case.county_id, case.category_id) for case in cases})
    if not connections[past.db].features.supports_slicing_ordering_in_compound:  # SQLite
        return (
            past.filter(category_id__in={c for _, c in pairs}, county_id__in={c for c, _ in pairs})
            .annotate(
                nth=Window(
                    RowNumber(),
                    partition_by=[F("county_id"), F("category_id")],
                    order_by=newest_first,
                )
            )
            .filter(nth__lte=HISTORY_LIMIT)
            .order_by()
            .values_list(*columns)
        )
    # PostgreSQL: each (county, category) read newest first from its own index
    # (case_county_assigned_recent), stopping at the limit however long the county's history —
    # a slice of each, together in one query (UNION ALL).
    slices = [
        past.filter(county_id=county_id, category_id=category_id)
        .annotate(nth=Window(RowNumber(), order_by=newest_first))
        .order_by(*newest_first)
        .values_list(*columns)[:HISTORY_LIMIT]
        for county_id, category_id in pairs
    ]
    return slices[0].union(*slices[1:], all=True)


def _grouped(history) -> list[tuple[int, int, str, int, int]]:
    """(county, category, title, lead department, how many) of a history numbered newest first
    (nth), one row for each, ordered by the newest of each group: what the history says, with each
    title and department once."""
    sql, params = history.query.sql_with_params()
    connection = connections[history.db]
    columns = ", ".join(
        f"history.{connection.ops.quote_name(name)}"
        for name in ("county_id", "category_id", "title", "lead_department_id")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, COUNT(*) FROM ({sql}) history"
            f" GROUP BY {columns} ORDER BY MIN(history.nth)",
            params,
        )
        return cursor.fetchall()


def suggestion_for(case: Case) -> Suggestion | None:
    """The suggestion for one case (with category loaded), the same as its row on a page gets."""
    return suggestions_for([case]).get(case.pk)
