"""Keyword search over cases: the one rule every search box asks (the office's triage and
close-out, the ledger and its Excel export, the API's `?search=`).

A search is words separated by white space; a case matches when every word is found, ignoring
case, in its number, title, description or its enterprise's name.

On PostgreSQL the words are looked up in `cases_case_search` (migration cases 0024): each case's
searched text, lower-cased, in a side table kept current by triggers on the case and on its
enterprise's name, with its character bigrams stored under a GIN index — which finds Chinese
keywords of two characters too, where pg_trgm's trigrams find nothing. How a word is looked up
depends on how many cases hold it (route), read from the statistics PostgreSQL keeps:

- a word few cases can hold — the cases holding its rarest bigram are fewer than
  INDEX_FIRST_BELOW: a bound, a word is in no more cases than its rarest bigram — is taken from the
  index first: the cases holding its bigrams (and, past two characters, the word itself in their
  text), then only those are read, sorted and paged;
- a word the sample of a thousand cases' texts (the column's histogram) finds in as many is
  walked: the list read in its own order, each case checked (a page of a word one case in forty
  holds is found after two thousand rows, where the index would hand over twenty-five thousand to
  sort). A count has no order: it takes the cases holding the word's rarest bigram from the index
  and checks only their texts until its cap (WALKED), where reading the table in a row checked
  forty texts for each one found;
- a word whose bigrams are frequent but which the sample does not find: from the index first —
  for a word of ASCII letters and digits (a case or enterprise number: every case number holds
  "20"), pg_trgm's index over the text's runs of them; for any other, the bigrams' (the cases
  holding all of them, at most the bound).

Measured at a million cases in docs/benchmark-results.md, with what stays slow.

On SQLite (the embedded mode) it is the plain substring match over the case's fields.
"""

from __future__ import annotations

import re
import time

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from cases.models import Case

# A searched list counts this many rows at most, then says "more" (web.paging).
COUNT_CAP = 1_000

# A word at most this many cases hold is taken from the index; more, and the list is walked in its
# order until a page is found. Where both cost the same: reading n rows from the index costs
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

# A frequent word of three characters or more: the cases holding its rarest bigram, each text then
# checked for the word itself. The planner estimates the bigram from its statistics (exactly: a
# single element) and the check, a function it does not look into, at a third of them — so a page
# walks the list in its order (the word is frequent), and a count, which has no order, takes the
# bigram's cases from the index and reads only their texts until the cap, not every text in a row.
# The function keeps the query in one process (PARALLEL UNSAFE, migration cases 0029): workers cost
# more than the rows a walk or a capped count reads.
WALKED = (
    "SELECT case_id FROM cases_case_search"
    " WHERE grams @> ARRAY[lower(%s)]::text[] AND case_search_has(doc, %s)"
)

# A word only of ASCII letters and digits (three or more: a trigram) that few cases hold, though its
# bigrams are frequent (a digit string: every case number holds "20"): pg_trgm's index over the
# text's runs of them (migration cases 0025), which checks the pattern itself.
ASCII_WORD = re.compile(r"[0-9a-z]{3,}")
TRIGRAMS = "SELECT case_id FROM cases_case_search WHERE case_search_ascii(doc) LIKE %s"

# The searched texts of a thousand cases, PostgreSQL's sample of the column.
SAMPLE = """
SELECT histogram_bounds::text::text[] FROM pg_stats
WHERE tablename = 'cases_case_search' AND attname = 'doc'
"""
_sample: dict[str, tuple[float, list[str]]] = {}


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


def rarest(word: str, alias: str) -> str:
    """The bigram of `word` the fewest cases hold, by the statistics (the first of equals)."""
    frequent, _ = bigram_statistics(alias)
    return min(key_bigrams(word), key=lambda gram: frequent.get(gram.lower(), 0.0))


def text_sample(alias: str) -> list[str]:
    """A thousand cases' searched texts: the histogram PostgreSQL keeps of the column (migration
    cases 0025 raised it from a hundred), read once in a while like the bigrams'."""
    read_at, sample = _sample.get(alias, (0.0, []))
    if time.monotonic() - read_at > STATISTICS_SECONDS:
        with connections[alias].cursor() as cursor:
            cursor.execute(SAMPLE)
            row = cursor.fetchone()
        sample = list(row[0] or []) if row else []
        _sample[alias] = (time.monotonic(), sample)
    return sample


def held_by_many(word: str, alias: str) -> bool:
    """Whether the sample says that many cases hold `word` (INDEX_FIRST_BELOW or more of them). No
    sample (a table never analysed) says no: the index, whose cost its bigrams bound, is asked."""
    sample = text_sample(alias)
    if not sample:
        return False
    _, cases = bigram_statistics(alias)
    needle = word.lower()
    return sum(needle in text for text in sample) / len(sample) * cases >= INDEX_FIRST_BELOW


def route(word: str, alias: str) -> str:
    """How `word` is looked up on PostgreSQL (one of ROUTES)."""
    grams = key_bigrams(word)
    if not grams:
        return "text"
    if held_by_few(grams, alias):
        return "bigrams"
    if held_by_many(word, alias):
        return "walk"
    return "trigrams" if ASCII_WORD.fullmatch(word.lower()) else "bigrams"


def like_pattern(word: str) -> str:
    """`word` as the pattern of a LIKE finding it anywhere (its %, _ and \\ taken literally)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_cases(cases: QuerySet[Case], text: str | None) -> QuerySet[Case]:
    """`cases` narrowed to those matching every word of `text` (all of them for no words)."""
    indexed = uses_index(cases)
    for word in words(text):
        way = route(word, cases.db) if indexed else "text"
        if way == "text":
            cases = cases.filter(text_q(word))
        elif way == "walk":
            # The planner estimates the word as frequent too — a bigram from its statistics, a
            # longer word from its rarest bigram's — so it walks the list in its order for a page,
            # and for a count reads that bigram's cases from the index until the cap.
            params = [word] if len(word) == 2 else [rarest(word, cases.db), word]
            cases = cases.filter(pk__in=RawSQL(BIGRAM if len(word) == 2 else WALKED, params))
        elif way == "trigrams":
            cases = cases.filter(_index_first(TRIGRAMS, [like_pattern(word.lower())]))
        elif len(word) == 2:
            cases = cases.filter(_index_first(BIGRAM, [word]))
        else:
            grams = key_bigrams(word)
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
