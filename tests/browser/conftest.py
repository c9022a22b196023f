"""Headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Every test here is marked `browser`. Screenshots go to test-artifacts/screenshots/ so a person can
look at what the test saw. Personas come from tests/conftest.py (password: pw-for-tests-only).
"""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "pw-for-tests-only"
PHONE = {"width": 360, "height": 740}
PHONE_390 = {"width": 390, "height": 844}  # the phone the journeys of issue 17 are walked on
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make for setup
# are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_browser(chromium, live_server):
    """open_browser(viewport=PHONE) → a fresh page (own cookies) whose relative URLs hit the live server."""
    contexts = []

    def _open(viewport=DESKTOP, locale="zh-CN"):
        context = chromium.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def wait_until(page, expression: str, arg=None, timeout: float = 20.0) -> None:
    """Wait until `expression` (a JavaScript function, which may return a promise) is true.

    Playwright's wait_for_function evaluates a string predicate with eval() inside the page, which
    the site's Content-Security-Policy (no 'unsafe-eval') refuses once it has to poll — on a busy
    machine, when the first check is false — and it does not wait for a promise. page.evaluate
    runs through the DevTools protocol, which the policy does not govern. A page reloading meanwhile
    (going back online) only means another try."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except PlaywrightError as error:
            if "context was destroyed" not in str(error) and "is not defined" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits(page) -> bool:
    """Nothing sticks out sideways: the page scrolls only up and down."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def inbox(page) -> str:
    """What the person has been told: their in-app messages, as /notifications/ shows them."""
    page.goto("/notifications/")
    assert fits(page), page.url
    return page.locator("#inbox").inner_text()


def portal_card(page, case) -> str:
    """The enterprise's card of the case in 我的诉求."""
    page.goto("/portal/")
    assert fits(page), page.url
    return page.locator(f"#case-{case.pk}").inner_text()
