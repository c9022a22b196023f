"""Keyword search (cases.search) on the generated county, in a child process like the other
profiling: the office's ledger searched for keywords of two, three and four characters — ones
nearly every case holds, ones a few hundred or thousand hold, ones none holds — each timed as the
page asks it (the capped count, then the first page of 50, newest first), median of 5 after a
warm-up, with the EXPLAIN (ANALYZE, BUFFERS) of both queries and the way cases.search routed the
word (cases.search.route).

The generator's titles come from a few dozen templates ("企业反映：…" opens every description) and
its enterprises are named 江西<brand><product>有限公司（number）: the keywords below are picked from
them, and the report says how many cases each finds."""

from __future__ import annotations

import statistics
import time

# (keyword, what it is in the generated county)
KEYWORDS = [
    ("企业", "every case (each description)"),
    ("电压", "a title of the power category"),
    ("源物", "a brand next to a product, in enterprise names"),
    ("量子", "no case"),
    ("电压不", "a title of the power category"),
    ("明源物", "a brand next to a product"),
    ("量子力", "no case"),
    ("电压不稳", "a title of the power category"),
    ("明源物流", "a brand and a product"),
    ("量子计算", "no case"),
    ("7620", "digits: case numbers and enterprise numbers"),
]
RUNS = 5


def child_search(manifest: dict, extra: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from analysis.forms import LedgerFilterForm
    from analysis.views.ledger import PER_PAGE
    from cases.deadlines import with_overdue
    from cases.roles import actor_for
    from cases.search import route
    from cases.selectors import cases_visible_to, county_of
    from web.paging import CappedPaginator

    actor = actor_for(get_user_model().objects.get(username=manifest["logins"]["office"]))

    def ledger(word: str):
        """The ledger's rows for `word`, as analysis.views.ledger builds them."""
        form = LedgerFilterForm({"q": word}, actor=actor)
        rows = with_overdue(form.apply(cases_visible_to(actor)), timezone.now())
        return rows.select_related("enterprise", "category", "lead_department").order_by(
            "-created_at", "-pk"
        )

    def explain(queryset) -> str:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    out = []
    for word, what in KEYWORDS:
        counts, pages = [], []
        for run in range(RUNS + 1):
            rows = ledger(word)
            began = time.perf_counter()
            found = CappedPaginator(rows, PER_PAGE).count
            counted = time.perf_counter()
            page = list(rows[:PER_PAGE])
            done = time.perf_counter()
            if run:  # the first is the warm-up
                counts.append((counted - began) * 1000)
                pages.append((done - counted) * 1000)
        rows = ledger(word)
        out.append(
            {
                "keyword": word,
                "what": what,
                "route": route(word, connection.alias, county_of(cases_visible_to(actor))),
                "found": found,
                "capped": found > CappedPaginator.cap,
                "rows": len(page),
                "count_ms": statistics.median(counts),
                "page_ms": statistics.median(pages),
                "total_ms": statistics.median(c + p for c, p in zip(counts, pages, strict=True)),
                "page_plan": explain(rows[:PER_PAGE]),
                "count_plan": explain(rows.order_by()[: CappedPaginator.cap + 1].values("pk")),
            }
        )
    return {"cap": CappedPaginator.cap, "keywords": out}


def report_lines(search: dict) -> list[str]:
    """The search's table for results.md."""
    if "error" in search:
        return ["", f"Keyword search: FAILED: {search['error'][:500]}"]
    if not search:
        return []
    lines = [
        "",
        f"Keyword search (the office's ledger; count capped at {search['cap']:,}, first page of "
        "50; median of 5):",
        "",
        "| keyword | characters | in the data | cases found | route | count ms | page ms | total ms |",
        "|---|--:|---|--:|---|--:|--:|--:|",
    ]
    for k in search["keywords"]:
        found = f"{search['cap']:,}+" if k["capped"] else f"{k['found']:,}"
        lines.append(
            f"| {k['keyword']} | {len(k['keyword'])} | {k['what']} | {found} | {k.get('route', '')} | "
            f"{k['count_ms']:.1f} | {k['page_ms']:.1f} | {k['total_ms']:.1f} |"
        )
    return lines


def plan_lines(search: dict) -> list[str]:
    lines = []
    for k in search.get("keywords", []):
        lines += [
            f"### keyword search `{k['keyword']}`: first page",
            "",
            "```",
            k["page_plan"],
            "```",
            "",
            f"### keyword search `{k['keyword']}`: count (capped)",
            "",
            "```",
            k["count_plan"],
            "```",
            "",
        ]
    return lines
