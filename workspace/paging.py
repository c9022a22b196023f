"""Paging one list that is read from several ordered querysets, one after another.

A part of the inbox has an order no single index gives (contact deadlines before resolve
deadlines, each soonest first, then the cases whose clock is stopped), yet each piece of it comes
in order straight from its own index. With the pieces' sizes known from one counting query, a page
reads only the pieces it overlaps, and from them only ids (LIMIT and OFFSET over the index alone,
however deep the page); the caller then fetches the page's rows by id, all parts at once.
"""

from __future__ import annotations

from django.db.models import QuerySet


class Chain:
    """Ordered querysets and their sizes, sliced as one list of ids (what django's Paginator
    needs). A size must be the count of its queryset, or pages would skip or repeat rows."""

    def __init__(self, *parts: tuple[QuerySet, int]):
        self.parts = parts

    def count(self) -> int:
        return sum(size for _, size in self.parts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("a Chain is read by pages: chain[start:stop]")
        start, stop = window.start or 0, self.count() if window.stop is None else window.stop
        ids: list = []
        for queryset, size in self.parts:
            if start < size and stop > 0:
                ids.extend(queryset.values_list("pk", flat=True)[max(start, 0) : min(stop, size)])
            start, stop = start - size, stop - size
        return ids
