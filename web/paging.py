"""Pages of a searched list: counted up to a cap, not to the end.

A keyword of two characters may be in a hundred thousand of a city's million cases; the first page
of them is found in milliseconds in the list's own order (cases.search), but counting every one
would read them all. Past the cap a searched list says "10000+" and pages up to it: nobody reads
two hundred pages of a search, they narrow it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from cases.search import COUNT_CAP


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` + 1 rows (`capped`: there are more than `cap`)."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginator_for(items, per_page: int, *, searched: bool) -> Paginator:
    """A capped paginator for a searched list, Django's own (an exact count) otherwise."""
    return (CappedPaginator if searched else Paginator)(items, per_page)
