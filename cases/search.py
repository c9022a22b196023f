"""Keyword search over cases: the one rule every search box asks (the office's triage and
close-out, the ledger and its Excel export, the API's `?search=`).

A search is words separated by white space; a case matches when every word is found, ignoring
case, in its number, title, description or its enterprise's name.

On PostgreSQL the words are looked up in `cases_case_search` (migration cases 0024): each case's
searched text, lower-cased, in a side table kept current by triggers on the case and on its
enterprise's name, with its character bigrams stored under a GIN index — which finds Chinese
keywords of two characters too, where pg_trgm's trigrams find nothing. How a word is looked up
depends on how many cases hold it, read from the statistics PostgreSQL keeps of the bigrams:

- a word few cases hold (every case holding its rarest bigram is fewer than INDEX_FIRST_BELOW)
  is taken from the index first: the cases holding its bigrams (and, past two characters, the
  word itself in their text), then only those are read, sorted and paged;
- a word many cases may hold is left to the planner, which estimates it from the same statistics:
  it walks the list in its own order checking each case against the side table (a page of a word
  one case in twenty holds is found after a thousand rows, where the index would hand over fifty
  thousand), or takes the index's cases (a count, which stops at COUNT_CAP).

Measured at a million cases in docs/benchmark-results.md, with what stays slow.

On SQLite (the embedded mode) it is the plain substring match over the case's fields.
"""

from __future__ import annotations

import time

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from cases.models import Case

# A searched list counts this many rows at most, then says "more" (web.paging).
COUNT_CAP = 1_000

# A word at most this many cases hold is taken from the index; more, and the list reads its rows
# in order until a page is found. Where both cost the same: reading n rows from the index costs
# what walking N·50/n rows in order does when n² = 50·N, about 7,000 at a million cases.
INDEX_FIRST_BELOW = 7_000

# The bigrams a word must have, made by the index's own function (the same lower-casing on both
# sides). Only every other bigram is asked for (one a line, so that none spans two): they cover the
# word as well and cost the index less. A word of two characters is its bigram: nothing more to
# check. A longer one is then looked for in the text itself (case_search_has).
BIGRAM = "SELECT case_id FROM cases_case_search WHERE grams @> case_search_grams(%s)"
INDEXED = BIGRAM + " AND case_search_has(doc, %s)"

# How many cases hold each frequent bigram: PostgreSQL's statistics of the column, read once in a
# while (they change with ANALYZE, not with every case).
STATISTICS = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
WHERE s.tablename = 'cases_case_search' AND s.attname = 'grams'
"""
STATISTICS_SECONDS = 600
_statistics: dict[str, tuple[float, dict[str, float], float]] = {}


def words(text: str | None) -> list[str]:
    """The words of a search, in order, each once."""
    return list(dict.fromkeys((text or "").split()))


def searching(text: str | None) -> bool:
    """Whether a search box holds a word (a searched list is counted up to COUNT_CAP)."""
    return bool(words(text))


def key_bigrams(word: str) -> list[str]:
    """Bigrams that cover `word`: from its start two by two, and the last two characters."""
    grams = [word[i : i + 2] for i in range(0, len(word) - 1, 2)]
    if len(word) > 2 and len(word) % 2:
        grams.append(word[-2:])
    return grams


def text_q(word: str) -> Q:
    """The substring match over the case's own fields (SQLite; a frequent word on PostgreSQL)."""
    return (
        Q(number__icontains=word)
        | Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(enterprise__name__icontains=word)
    )


def uses_index(cases: QuerySet[Case]) -> bool:
    return connections[cases.db].vendor == "postgresql"


def bigram_statistics(alias: str) -> tuple[dict[str, float], float]:
    """(share of the cases holding it, for each frequent bigram; how many cases there are)."""
    read_at, frequent, cases = _statistics.get(alias, (0.0, {}, 0.0))
    if time.monotonic() - read_at > STATISTICS_SECONDS:
        with connections[alias].cursor() as cursor:
            cursor.execute(STATISTICS)
            row = cursor.fetchone()
        grams, shares, cases = row if row else ([], [], 0.0)
        frequent = dict(zip(grams or [], shares or [], strict=False))
        _statistics[alias] = (time.monotonic(), frequent, float(cases or 0))
    return frequent, cases


def held_by_few(grams: list[str], alias: str) -> bool:
    """Whether few cases hold all of `grams`: at most as many as hold the rarest of them. A
    bigram missing from the statistics' frequent ones is rare."""
    frequent, cases = bigram_statistics(alias)
    return min(frequent.get(gram.lower(), 0.0) for gram in grams) * cases <= INDEX_FIRST_BELOW


def search_cases(cases: QuerySet[Case], text: str | None) -> QuerySet[Case]:
    """`cases` narrowed to those matching every word of `text` (all of them for no words)."""
    indexed = uses_index(cases)
    for word in words(text):
        grams = key_bigrams(word)
        if not indexed or not grams:
            cases = cases.filter(text_q(word))
        elif not held_by_few(grams, cases.db):
            # Many cases may: the planner chooses, from the bigrams' statistics, between walking
            # the list in its order and checking each case (a page of a frequent word), and taking
            # the index's cases (the count, up to its cap; a word whose bigrams are frequent
            # together but rare as the word).
            sql, params = (
                (BIGRAM, [word]) if len(word) == 2 else (INDEXED, ["\n".join(grams), word])
            )
            cases = cases.filter(pk__in=RawSQL(sql, params))
        elif len(word) == 2:
            cases = cases.filter(_index_first(BIGRAM, [word]))
        else:
            cases = cases.filter(_index_first(INDEXED, ["\n".join(grams), word]))
    return cases


def _index_first(sql: str, params: list[str]) -> Func:
    """`pk = ANY(ARRAY(sql))`: the cases the index names, found before anything else is read."""
    return Func(
        F("pk"),
        RawSQL(sql, params),
        arg_joiner=" = ANY(ARRAY",
        template="%(expressions)s)",
        output_field=BooleanField(),
    )
