"""No page is wider than the screen: every page each role can reach from its navbar, and the case
page it opens from its list, at a phone (390 px), a small tablet (800), a laptop (1,024) and a
desktop (1,366). A page wider than the screen scrolls sideways on a phone, and on a laptop hides
what is past the edge (the office's navigation once pushed 修改密码 and 退出 off screen).

The pages are collected from the rendered navbar itself, so a page added to a role's navigation is
checked without touching this test. One browser; one context (one sign-in) per role; each page is
loaded once and measured at every width by resizing the window.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from cases import workflow
from cases.models import Case
from tests.browser.conftest import login, screenshot, wait_until

WIDTHS = (390, 800, 1024, 1366)
ROLES = ("office", "mayor", "li", "dan", "carl", "eva")

# The page's width against the window's, and the widest elements sticking out past its right edge
# (the deepest first: the cause, rather than the containers it widens).
MEASURE = r"""() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-responsive, .dropdown-menu")) continue;  // these scroll or float
    const box = el.getBoundingClientRect();
    const sticksOut = (e) => e.getBoundingClientRect().right > width + 1;
    if (box.width && sticksOut(el) && ![...el.children].some(sticksOut)) {
      const id = el.id ? "#" + el.id : "";
      const cls = typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\s+/).slice(0, 3).join(".") : "";
      out.push(`${el.tagName.toLowerCase()}${id}${cls} (right ${Math.round(box.right)})`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, culprits: out.slice(0, 3)};
}"""

# Two animation frames after a resize: the window's resize event and ResizeObserver callbacks (the
# charts redraw there) have run, so what is measured is the page as a reader would see it.
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"

NAV_LINKS = """() => [...document.querySelectorAll("nav.navbar a[href]")]
  .map((a) => a.getAttribute("href")).filter((h) => h && h.startsWith("/"))"""

# What a page leads to that the navbar does not: its tabs and its links to pages of a kind not seen
# yet (a case, a meeting, a letter, an enterprise). Not files (downloads, exports), the admin or the API.
MORE_LINKS = """() => [...document.querySelectorAll("main a[href^='/']:not([download])")]
  .map((a) => a.getAttribute("href"))
  .filter((h) => !/^\\/(admin|api|accounts)\\/|attachment|export|download|\\.(csv|xlsx|pdf)/.test(h))"""


def _kind(path: str) -> str:
    """/cases/12/ and /cases/345/ are one kind of page: one of them is enough."""
    return re.sub(r"\d+", "N", path)


def _county_with_every_state(county):
    """The test county with a case in each state, long titles and long numbers, as a day's work."""
    long_title = "厂区北侧一百一十千伏专线供电不稳定，每逢用电高峰电压波动导致两条生产线频繁停机"
    for enterprise in (county.steel, county.poultry):
        county.submitted(enterprise=enterprise, title=long_title)
        county.assigned(enterprise=enterprise, co_departments=[county.rsj, county.power])
        county.in_progress(enterprise=enterprise)
        replied = county.replied(enterprise=enterprise)
        workflow.case_rate(
            actor=county.eva if enterprise == county.steel else county.bea,
            case=replied,
            rating="satisfied",
            comment="答复及时，问题已解决，感谢工信局和供电公司的大力支持",
        )
        county.closed(enterprise=enterprise)
    assert Case.objects.count() == 10


def _is_a_page(page, path: str) -> bool:
    """A page to look at, not a file the link downloads (an import template, a letter's PDF)."""
    answer = page.request.get(path)
    return answer.ok and answer.headers.get("content-type", "").startswith("text/html")


def _walk(page, measure) -> list[str]:
    """Every page of the signed-in role: its landing page, its navbar, and one page of every kind
    these lead to; measure(path) on each, loaded once."""
    pages = [urlsplit(page.url).path]
    for href in page.evaluate(NAV_LINKS):
        if (path := urlsplit(href).path) not in pages and not path.startswith("/accounts/"):
            pages.append(path)
    kinds = {_kind(path) for path in pages}
    for path in pages:  # grows as pages lead to more
        page.goto(path)
        measure(path)
        for href in page.evaluate(MORE_LINKS):
            target = urlsplit(href).path
            if _kind(target) not in kinds:
                kinds.add(_kind(target))
                if _is_a_page(page, target):
                    pages.append(target)
    return pages


def test_no_page_of_any_role_is_wider_than_the_screen(county, chromium, live_server):
    _county_with_every_state(county)
    overflows, walked = [], {}
    for username in ROLES:
        context = chromium.new_context(
            viewport={"width": WIDTHS[-1], "height": 900}, locale="zh-CN", base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        login(page, username)  # lands on the role's own page

        def measure(path, page=page, username=username):
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                page.evaluate(SETTLED)  # the page's own resize handlers have run
                seen = page.evaluate(MEASURE)
                if seen["scroll"] > seen["width"]:
                    overflows.append((username, width, path, seen["scroll"], seen["culprits"]))
                    name = path.strip("/").replace("/", "-") or "home"
                    screenshot(page, f"overflow-{username}-{width}-{name}")
            page.set_viewport_size({"width": WIDTHS[-1], "height": 900})

        walked[username] = _walk(page, measure)
        context.close()

    # Every role's navigation was walked, its case page and password page included.
    for username, pages in walked.items():
        assert "/portal/password/" in pages and "/notifications/" in pages, (username, pages)
        assert any(p.startswith("/cases/") and p != "/cases/" for p in pages), (username, pages)
    assert {"/office/", "/office/closeout/", "/analysis/evaluation/"} <= set(walked["office"])
    assert not overflows, "\n".join(
        f"{who} at {width}px: {path} is {scroll}px wide; {', '.join(culprits)}"
        for who, width, path, scroll, culprits in overflows
    )


def test_what_folds_shows_a_chevron_and_says_whether_it_is_open(county, open_browser):
    for _ in range(2):
        county.replied()
    case = county.assigned()
    page = open_browser(viewport={"width": 390, "height": 800})
    login(page, "dan")

    page.goto("/dept/")
    summary = page.locator("#replied summary")
    chevron = "(el) => getComputedStyle(el, '::before').borderRightStyle"
    assert summary.evaluate(chevron) == "solid"  # the drawn chevron, not the hidden marker
    expect(summary).to_have_attribute("aria-expanded", "false")
    summary.click()
    # <details> announces its toggle a task later: wait for the script to have answered it.
    expect(summary).to_have_attribute("aria-expanded", "true")
    screenshot(page, "inbox-replied-open-phone")

    page.goto(f"/cases/{case.pk}/")
    name = page.locator("#actions .expander-toggle.collapsed").first.get_attribute("aria-controls")
    toggle = page.locator(f"#actions .expander-toggle[aria-controls='{name}']")
    assert toggle.locator(".expander-icon").evaluate(chevron) == "solid"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    wait_until(page, "(el) => el.getAttribute('aria-expanded') === 'true'", toggle.element_handle())
    expect(page.locator(f"#{name}")).to_be_visible()
    screenshot(page, "case-action-open-phone")
