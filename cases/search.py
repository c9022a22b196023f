"""Keyword search over cases: the one rule every search box asks (the office's triage and
close-out, the ledger and its Excel export, the API's `?search=`).

A search is words separated by white space; a case matches when every word is found, ignoring
case, in its number, title, description or its enterprise's name.

On PostgreSQL the words are looked up in `cases_case_search` (migration cases 0024): each case's
searched text, lower-cased, in a side table kept current by triggers on the case and on its
enterprise's name, with its character bigrams stored under a GIN index — which finds Chinese
keywords of two characters too, where pg_trgm's trigrams find nothing. The rows hold each case's
county and the index leads with it (migration cases 0034): a list of one county's cases (every
list of a county's people) reads that county's rows of the index only. How a word is looked up
depends on how many of the searched cases hold it (route), read from the statistics PostgreSQL
keeps — a bigram's share of all the cases times the county's share of them:

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
from cases.selectors import county_of

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
#
# A query taking a word from the index first reads one county's rows when the list searched is one
# county's (cases.selectors.county_of: every list of a county's people): the index leads with the
# county (migration cases 0034), so a county's search reads its own share of a bigram, not the
# whole city's. `{county}` is
# that condition or nothing (the city's office searches every county).
BIGRAM = "SELECT case_id FROM cases_case_search WHERE {county}grams @> case_search_grams(%s)"
INDEXED = BIGRAM + " AND case_search_has(doc, %s)"
# (bigint, as the column: a parameter of another integer type is an operator the index lacks.)
IN_COUNTY = "county_id = %s::bigint AND "

# How many cases hold each frequent bigram: PostgreSQL's statistics of the column, read once in a
# while (they change with ANALYZE, not with every case).
STATISTICS = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
WHERE s.tablename = 'cases_case_search' AND s.attname = 'grams'
"""
STATISTICS_SECONDS = 600
NEVER = float("-inf")  # read at: never (time.monotonic() starts near 0 on a machine just booted)
# (database, query) -> (when read, what it said)
_read: dict[tuple[str, str], tuple[float, object]] = {}

# A frequent word of three characters or more: the cases holding its rarest bigram, each text then
# checked for the word itself. The planner estimates the bigram from its statistics (exactly: a
# single element) and the check, a function it does not look into, at a third of them — so a page
# walks the list in its order (the word is frequent), and a count, which has no order, takes the
# bigram's cases from the index and reads only their texts until the cap, not every text in a row.
# The function keeps the query in one process (PARALLEL UNSAFE, migration cases 0029): workers cost
# more than the rows a walk or a capped count reads.
WALKED = (
    "SELECT case_id FROM cases_case_search"
    " WHERE {county}grams @> ARRAY[lower(%s)]::text[] AND case_search_has(doc, %s)"
)

# A word only of ASCII letters and digits (three or more: a trigram) that few cases hold, though its
# bigrams are frequent (a digit string: every case number holds "20"): pg_trgm's index over the
# text's runs of them (migration cases 0025), which checks the pattern itself.
ASCII_WORD = re.compile(r"[0-9a-z]{3,}")
TRIGRAMS = "SELECT case_id FROM cases_case_search WHERE {county}case_search_ascii(doc) LIKE %s"

# How the cases divide among the counties: the shares of the side table's county column in
# PostgreSQL's statistics (every county of a city is among its most common values).
COUNTIES = """
SELECT most_common_vals::text::bigint[], most_common_freqs FROM pg_stats
WHERE tablename = 'cases_case_search' AND attname = 'county_id'
"""

# The searched texts of a thousand cases, PostgreSQL's sample of the column.
SAMPLE = """
SELECT histogram_bounds::text::text[] FROM pg_stats
WHERE tablename = 'cases_case_search' AND attname = 'doc'
"""


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


def _statistic(alias: str, sql: str, parse):
    """What `sql` reads of PostgreSQL's statistics, parsed: read once in STATISTICS_SECONDS for
    each database (they change with ANALYZE, not with every case)."""
    read_at, value = _read.get((alias, sql), (NEVER, None))
    if time.monotonic() - read_at > STATISTICS_SECONDS:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql)
            value = parse(cursor.fetchone())
        _read[(alias, sql)] = (time.monotonic(), value)
    return value


def bigram_statistics(alias: str) -> tuple[dict[str, float], float]:
    """(share of the cases holding it, for each frequent bigram; how many cases there are)."""

    def parse(row) -> tuple[dict[str, float], float]:
        grams, shares, cases = row if row else ([], [], 0.0)
        return dict(zip(grams or [], shares or [], strict=False)), float(cases or 0)

    return _statistic(alias, STATISTICS, parse)


def county_share(county_id: int | None, alias: str) -> float:
    """The share of the searched cases that are `county_id`'s (1 for every county). A county the
    statistics do not list holds at most what the listed ones leave; none kept says the whole."""
    if county_id is None:
        return 1.0

    def parse(row) -> dict[int, float]:
        values, freqs = row if row else ([], [])
        return dict(zip(values or [], freqs or [], strict=False))

    shares = _statistic(alias, COUNTIES, parse)
    if not shares:
        return 1.0
    return shares.get(county_id, max(0.0, 1.0 - sum(shares.values())))


def held_by_few(grams: list[str], alias: str, share: float = 1.0) -> bool:
    """Whether few cases hold all of `grams` in a `share` of the cases: at most as many as hold the
    rarest of them. A bigram missing from the statistics' frequent ones is rare."""
    frequent, cases = bigram_statistics(alias)
    rarest_share = min(frequent.get(gram.lower(), 0.0) for gram in grams)
    return rarest_share * cases * share <= INDEX_FIRST_BELOW


def rarest(word: str, alias: str) -> str:
    """The bigram of `word` the fewest cases hold, by the statistics (the first of equals)."""
    frequent, _ = bigram_statistics(alias)
    return min(key_bigrams(word), key=lambda gram: frequent.get(gram.lower(), 0.0))


def text_sample(alias: str) -> list[str]:
    """A thousand cases' searched texts: the histogram PostgreSQL keeps of the column (migration
    cases 0025 raised it from a hundred)."""
    return _statistic(alias, SAMPLE, lambda row: list(row[0] or []) if row else [])


def held_by_many(word: str, alias: str, share: float = 1.0) -> bool:
    """Whether the sample says that many cases of a `share` of them hold `word` (INDEX_FIRST_BELOW
    or more). No sample (a table never analysed) says no: the index, whose cost its bigrams bound,
    is asked."""
    sample = text_sample(alias)
    if not sample:
        return False
    _, cases = bigram_statistics(alias)
    needle = word.lower()
    held = sum(needle in text for text in sample) / len(sample)
    return held * cases * share >= INDEX_FIRST_BELOW


def route(word: str, alias: str, county_id: int | None = None) -> str:
    """How `word` is looked up on PostgreSQL — text, bigrams, walk or trigrams — in one county's
    cases (`county_id`) or in all."""
    grams = key_bigrams(word)
    if not grams:
        return "text"
    share = county_share(county_id, alias)
    if held_by_few(grams, alias, share):
        return "bigrams"
    if held_by_many(word, alias, share):
        return "walk"
    return "trigrams" if ASCII_WORD.fullmatch(word.lower()) else "bigrams"


def like_pattern(word: str) -> str:
    """`word` as the pattern of a LIKE finding it anywhere (its %, _ and \\ taken literally)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_cases(cases: QuerySet[Case], text: str | None) -> QuerySet[Case]:
    """`cases` narrowed to those matching every word of `text` (all of them for no words)."""
    indexed = uses_index(cases)
    county_id = county_of(cases) if indexed else None
    for word in words(text):
        way = route(word, cases.db, county_id) if indexed else "text"
        if way == "text":
            cases = cases.filter(text_q(word))
        elif way == "walk":
            # The planner estimates the word as frequent too — a bigram from its statistics, a
            # longer word from its rarest bigram's — so it walks the list in its order for a page,
            # and for a count reads that bigram's cases from the index until the cap.
            # Each case of the list (already the county's) is checked by its own row: the county
            # is not asked again, or a count would read the county's every row from the index.
            params = [word] if len(word) == 2 else [rarest(word, cases.db), word]
            sql, params = _in(None, BIGRAM if len(word) == 2 else WALKED, params)
            cases = cases.filter(pk__in=RawSQL(sql, params))
        elif way == "trigrams":
            cases = cases.filter(
                _index_first(*_in(county_id, TRIGRAMS, [like_pattern(word.lower())]))
            )
        elif len(word) == 2:
            cases = cases.filter(_index_first(*_in(county_id, BIGRAM, [word])))
        else:
            grams = "\n".join(key_bigrams(word))
            cases = cases.filter(_index_first(*_in(county_id, INDEXED, [grams, word])))
    return cases


def _in(county_id: int | None, sql: str, params: list) -> tuple[str, list]:
    """`sql` over one county's rows of the side table, or over every county's."""
    if county_id is None:
        return sql.format(county=""), params
    return sql.format(county=IN_COUNTY), [county_id, *params]


def _index_first(sql: str, params: list) -> Func:
    """`pk = ANY(ARRAY(sql))`: the cases the index names, found before anything else is read."""
    return Func(
        F("pk"),
        RawSQL(sql, params),
        arg_joiner=" = ANY(ARRAY",
        template="%(expressions)s)",
        output_field=BooleanField(),
    )
