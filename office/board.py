"""督办 board: its cases counted per lead department and level, and paged most urgent first.

A county with a backlog has tens of thousands of cases on the board. They are counted once, per
(level, department), from the partial index of running cases; the summaries, the page count and
the page itself all come from those counts. A page reads only the cases of the (level,
department) groups it spans, so its cost does not grow with the rest of the board.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from cases.models import Case
from enterprises.models import Department


@dataclass(frozen=True)
class Group:
    """How many cases of one lead department stand at one level."""

    level: int
    department: Department | None
    count: int

    @property
    def department_id(self) -> int | None:
        return self.department.pk if self.department else None


def board_groups(on_board: QuerySet[Case], departments: list[Department]) -> list[Group]:
    """The board's counts in the board's order: most urgent level first, then departments by name.

    departments: all of them, ordered by name by the database (as the board's cases are sorted:
    the database's collation decides, not Python's)."""
    rank = {department.pk: i for i, department in enumerate(departments)}
    by_id = {department.pk: department for department in departments}
    rows = on_board.order_by().values_list("level", "lead_department_id").annotate(n=Count("*"))
    groups = [Group(level, by_id.get(dept), n) for level, dept, n in rows]
    # A case without a lead department sorts last, as NULL names do in PostgreSQL.
    groups.sort(key=lambda g: (-g.level, rank.get(g.department_id, len(rank))))
    return groups


def count_by_level(groups: list[Group]) -> Counter:
    counts = Counter()
    for group in groups:
        counts[group.level] += group.count
    return counts


def count_by_department(groups: list[Group]) -> list[dict]:
    """One row per lead department: its count at each level, worst departments first."""
    rows: dict[int | None, dict] = {}
    for group in groups:
        row = rows.setdefault(
            group.department_id,
            {
                "id": group.department_id,
                "name": group.department.name if group.department else None,
                "levels": [0, 0, 0, 0],
            },
        )
        row["levels"][group.level] = group.count
    for row in rows.values():
        row["total"] = sum(row["levels"])
        row["cells"] = list(reversed(row["levels"]))
    return sorted(rows.values(), key=lambda r: (r["cells"], r["total"]), reverse=True)


class BoardCases:
    """The cases of some groups of the board, most urgent first, as a sequence a Paginator
    counts (from the groups) and slices (reading only the groups the slice spans)."""

    def __init__(self, on_board: QuerySet[Case], groups: list[Group]):
        self.on_board = on_board
        self.groups = groups

    def count(self) -> int:
        return sum(group.count for group in self.groups)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Case]:
        start, stop = window.start or 0, window.stop
        spans, skip, position = [], 0, 0
        for group in self.groups:
            if position < stop and position + group.count > start:
                if not spans:
                    skip = start - position
                spans.append(group)
            position += group.count
        if not spans:
            return []
        ids = list(
            # The departments first: the index's key, so only their cases are read.
            self.on_board.filter(_led_by([group.department_id for group in spans]))
            .filter(reduce(or_, [Q(level=g.level) & _led_by([g.department_id]) for g in spans]))
            .values_list("pk", flat=True)[skip : skip + stop - start]
        )
        cases = Case.objects.select_related("enterprise", "lead_department").in_bulk(ids)
        return [cases[pk] for pk in ids if pk in cases]


def _led_by(departments: list[int | None]) -> Q:
    where = Q(lead_department_id__in=[pk for pk in departments if pk is not None])
    if None in departments:
        where |= Q(lead_department__isnull=True)
    return where
