"""Query plans in tests: a table of a few rows prices every index alike, so a test that shows an
index serves a query drops the table's other plain indexes inside its transaction (rolled back with
it) and forbids reading the table whole, as a million rows do. What the planner picks among them
at scale is in docs/benchmark-results.md."""

from __future__ import annotations

from django.db import connection


def only_index(table: str, index: str) -> None:
    """Leave `index` (and the unique ones) the only index of `table` until the transaction ends,
    with fresh statistics and no sequential scans."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = %s::regclass AND NOT x.indisprimary"
            " AND NOT x.indisunique AND i.relname <> %s",
            [table, index],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f'ANALYZE "{table}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
