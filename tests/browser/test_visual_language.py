"""The product's own look, checked in a browser: the navigation keeps to one line on every laptop
width in both languages, the language switch lives in the account menu once signed in and still
switches, and an empty list says what will fill it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

# The top of every navbar item: one line means one top.
NAV_ROWS = """() => new Set([...document.querySelectorAll("#main-nav > .navbar-nav > .nav-item")]
  .map((li) => Math.round(li.getBoundingClientRect().top))).size"""
SETTLED = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_the_office_navigation_is_one_line_on_every_laptop_in_both_languages(county, open_browser):
    for locale in ("zh-CN", "en"):
        page = open_browser(viewport={"width": 1366, "height": 800}, locale=locale)
        login(page, "office")
        page.goto("/office/")
        for width in (992, 1024, 1200, 1366):
            page.set_viewport_size({"width": width, "height": 800})
            page.evaluate(SETTLED)
            assert page.evaluate(NAV_ROWS) == 1, (locale, width)
            assert page.locator("#account-menu").is_visible(), (locale, width)
        screenshot(page, f"nav-office-{locale}-1366")
        page.set_viewport_size({"width": 992, "height": 800})
        screenshot(page, f"nav-office-{locale}-992")
        # Where only the emblem shows, the brand still names the product to a screen reader.
        name = {"zh-CN": "四进四问", "en": "Four Visits, Four Asks"}[locale]
        expect(page.locator(".navbar-brand .brand-name")).to_have_text(name)
        expect(page.locator(".navbar-brand .brand-name")).to_be_attached()


def test_the_language_switch_is_in_the_account_menu_and_switches(county, open_browser):
    page = open_browser(viewport={"width": 1280, "height": 800})
    page.goto("/accounts/login/")
    expect(page.locator("#language-form")).to_be_visible()  # a visitor switches from the navbar
    login(page, "dan")
    expect(page.locator("nav .navbar-tools > #language-form")).to_have_count(0)
    page.locator("#account-menu > button").click()
    form = page.locator("#account-menu #language-form")
    expect(form).to_be_visible()
    form.locator("select").select_option("en")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_contain_text("Department to-do")


def test_an_empty_queue_says_what_will_fill_it(county, open_browser):
    page = open_browser(viewport={"width": 390, "height": 800})
    login(page, "office")
    page.goto("/office/")
    empty = page.locator("#no-cases")
    expect(empty.locator(".empty-state-title")).to_have_text("没有待交办的问题。")
    expect(empty.locator(".empty-state-hint")).to_contain_text("新问题会出现在这里")
    expect(empty.locator("svg.empty-state-icon")).to_be_visible()
    page.goto("/office/closeout/?q=不存在的企业")
    empty = page.locator("#closeout-empty")
    expect(empty.locator(".empty-state-title")).to_have_text("没有符合条件的待销号问题。")
    empty.get_by_role("link", name="清除筛选").click()
    page.wait_for_url("**/office/closeout/")
    expect(page.locator("#closeout-empty .empty-state-title")).to_have_text("没有等待销号的问题。")
    screenshot(page, "empty-closeout-phone")
