"""GB/T 37668-2019 (WCAG 2.1 AA) as axe-core measures it: every page each role can reach from its
navbar, and one page of every kind these lead to, at a phone's width (390 px) and a desktop's
(1,280), has no serious or critical violation of the WCAG 2 A/AA rules.

The pages are walked as tests/browser/test_no_overflow.py walks them (its helpers, not a copy), so
a page added to a role's navigation is checked here too. axe-core is vendored under
tests/browser/vendor/ (see its README): nothing is fetched from a CDN. The browser puts it into each
page as an init script, which the pages' Content-Security-Policy does not govern. What it finds is
also written to test-artifacts/axe-violations.json.

The same walk checks two things axe does not: each chart keeps its table for a screen reader, and
with large text on (适老化) every page still fits a 390 px phone (the landing page of each role is
photographed so: test-artifacts/screenshots/large-text-*-phone.png).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.conftest import login, screenshot
from tests.browser.test_no_overflow import (
    MEASURE,
    ROLES,
    SETTLED,
    _county_with_every_state,
    _walk,
)

AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = (1280, 390)
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe-violations.json"

# The WCAG 2.0 and 2.1 success criteria at levels A and AA (what GB/T 37668-2019 asks of a site);
# a violation counts when axe rates it serious or critical.
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
    // Not the stylesheets fetched again and parsed on every run (only the screen-orientation rule
    // reads them, and nothing here locks the orientation), nor each node's HTML: a quarter faster.
    preload: false,
    noHtml: true,
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " — " + n.failureSummary.split("\\n").slice(1, 2).join("")),
    }));
}"""


# The large-text mode's class (web/display.py), as the server puts it on <html> for a user who chose it.
LARGE_TEXT_ON = "() => document.documentElement.classList.add('large-text')"
LARGE_TEXT_OFF = "() => document.documentElement.classList.remove('large-text')"


# A chart drawn without its table for a screen reader: the table of the same numbers is the chart's
# text alternative, kept (visually hidden) while the chart is shown (analysis/static/analysis/charts.js).
CHARTS_WITHOUT_TABLE = """() => [...document.querySelectorAll(".chart-card")]
  .filter((card) => card.querySelector("[data-chart] canvas"))
  .filter((card) => {
    const table = card.querySelector("table");
    return !table || !table.checkVisibility() || table.closest("[aria-hidden=true]");
  })
  .map((card) => card.id)"""


def axe_violations(page) -> list[dict]:
    """The serious and critical violations on the page as it is now (axe is in every page of the
    context: see with_axe)."""
    return page.evaluate(RUN_AXE)


def with_axe(context):
    """axe-core in every document the context opens, put there by the browser itself before the
    page's own scripts (an init script: sent once, and outside the pages' CSP)."""
    context.add_init_script(path=str(AXE_PATH))
    return context


def test_every_page_of_every_role_meets_wcag_21_aa_at_phone_and_desktop(
    county, chromium, live_server
):
    _county_with_every_state(county)
    found, too_wide, no_table, walked, walked_first = [], [], [], {}, {}
    for username in ROLES:
        context = chromium.new_context(
            viewport={"width": WIDTHS[0], "height": 900}, locale="zh-CN", base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        page = with_axe(context).new_page()
        login(page, username)
        walked_first[username] = urlsplit(page.url).path

        def check(path, page=page, username=username):
            if charts := page.evaluate(CHARTS_WITHOUT_TABLE):
                no_table.append((username, path, charts))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.evaluate(SETTLED)
                violations = axe_violations(page)
                if violations:
                    found.append((username, width, path, violations))
            # Large text (适老化) on the phone: the page still fits its width.
            page.evaluate(LARGE_TEXT_ON)
            page.evaluate(SETTLED)
            seen = page.evaluate(MEASURE)
            name = path.strip("/").replace("/", "-") or "home"
            if seen["scroll"] > seen["width"]:
                too_wide.append((username, path, seen["scroll"], seen["culprits"]))
                screenshot(page, f"large-text-overflow-{username}-{name}")
            elif path == walked_first[username]:
                screenshot(page, f"large-text-{username}-{name}-phone")
            page.evaluate(LARGE_TEXT_OFF)
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})

        walked[username] = _walk(page, check)
        context.close()

    for username, pages in walked.items():
        assert "/portal/password/" in pages and "/notifications/" in pages, (username, pages)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    assert "/analysis/" in walked["office"] and not no_table, no_table
    assert not too_wide, "\n".join(
        f"{who} in large text at 390px: {path} is {scroll}px wide; {', '.join(culprits)}"
        for who, path, scroll, culprits in too_wide
    )
    assert not found, "\n".join(
        f"{who} at {width}px on {path}: "
        + "; ".join(
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}×: {' | '.join(v['nodes'][:3])})"
            for v in violations
        )
        for who, width, path, violations in found
    )
