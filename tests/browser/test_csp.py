"""The Content-Security-Policy holds in a real browser: every role's pages load, draw their charts,
run htmx and our own small scripts, and the browser reports no violation — and an injected inline
script would not run.

The policy (config/settings.py) allows scripts from our own static files only; a page that still
carried an inline handler, an inline <script> or a script needing eval would show up here as a
`securitypolicyviolation` event.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, login, screenshot

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " @ " + e.documentURI);
});
"""


def watched(open_browser, viewport=DESKTOP):
    page = open_browser(viewport=viewport)
    page.add_init_script(RECORD_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.errors = errors
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def visit(page, path: str, wait_for: str | None = None) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
    if wait_for:
        page.wait_for_selector(wait_for)
    page.wait_for_load_state("networkidle")
    assert not violations(page), (path, violations(page))


@pytest.mark.django_db(transaction=True)
def test_every_role_works_under_the_policy(county, open_browser):
    in_progress = county.in_progress()
    county.replied(enterprise=county.poultry)
    county.submitted()

    office = watched(open_browser)
    login(office, "office")
    for path in ("/", "/office/", "/office/board/", "/office/closeout/", "/taskforces/people/"):
        visit(office, path)
    visit(office, "/analysis/", wait_for="[data-chart] canvas")  # ECharts draws
    visit(office, "/analysis/report/")
    visit(office, f"/cases/{in_progress.pk}/")
    visit(office, "/api/docs/", wait_for=".swagger-ui .info")  # Swagger UI starts
    screenshot(office, "csp-swagger-ui")

    cadre = watched(open_browser, PHONE)
    login(cadre, "carl")
    visit(cadre, "/field/")
    visit(cadre, f"/field/visits/new/?enterprise={county.steel.pk}")
    rows = cadre.locator(".problem-row")
    before = rows.count()
    cadre.locator("#add-problem").click()  # htmx fetches a row
    expect(rows).to_have_count(before + 1)
    rows.last.get_by_role("button", name="删除此行").click()  # static/site/site.js removes it
    expect(rows).to_have_count(before)
    screenshot(cadre, "csp-visit-form-phone")

    department = watched(open_browser)
    login(department, "dan")
    visit(department, "/dept/")
    visit(department, f"/cases/{in_progress.pk}/")

    enterprise = watched(open_browser, PHONE)
    login(enterprise, "bea")
    visit(enterprise, "/portal/")

    for page in (office, cadre, department, enterprise):
        assert not violations(page), violations(page)
        assert not page.errors, page.errors


@pytest.mark.django_db(transaction=True)
def test_an_injected_inline_script_does_not_run(county, open_browser):
    """What an XSS would plant: the browser refuses it and reports the violation."""
    page = watched(open_browser)
    login(page, "office")
    page.goto("/office/")
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__ran = true";
          document.body.appendChild(s);
          const img = document.createElement("img");
          img.setAttribute("src", "/static/none.png");
          img.setAttribute("onerror", "window.__ran = true");
          document.body.appendChild(img);
        }"""
    )
    page.wait_for_timeout(300)

    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in violations(page)), violations(page)
