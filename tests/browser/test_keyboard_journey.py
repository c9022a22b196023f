"""One whole journey with the keyboard alone (GB/T 37668-2019 / WCAG 2.1.1 and 2.4.7): the cadre
logs a visit and its problem, the department accepts the case and replies, the enterprise rates
the reply, and switches large text on. Nothing is clicked: each person signs in, moves with Tab (and the arrow keys inside a
radio group or a select), acts with Enter or Space and types into fields, and every control the
Tab key lands on shows that it has the focus.

(The office's assignment between the cadre and the department is done directly: it is not part of
this journey, and its pages are covered by tests/browser/test_office_journey.py.)
"""

from __future__ import annotations

from cases import workflow
from cases.models import Case, Visit
from tests.browser.conftest import DESKTOP, PASSWORD, screenshot, wait_until
from web.models import DisplayPreference

# Whether the focused element shows it: an outline, or Bootstrap's ring (a box-shadow), on it or,
# for a radio drawn as a button, on its label.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const shown = (e) => {
    if (!e) return false;
    const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  };
  return shown(el) || (el.classList.contains("btn-check") && shown(el.nextElementSibling));
}"""

FIELD_ERROR = """() => {
  const el = document.activeElement;
  const said = (el.getAttribute("aria-describedby") || "").split(" ")
    .map((id) => document.getElementById(id))
    .filter((e) => e && e.classList.contains("invalid-feedback") && e.textContent.trim());
  return {name: el.name, invalid: el.getAttribute("aria-invalid"), error: said.length > 0};
}"""

DESCRIBE = """() => {
  const el = document.activeElement;
  return `${el.tagName.toLowerCase()}#${el.id} ${(el.innerText || el.value || "").slice(0, 30)}`;
}"""


def tab_to(page, selector: str, most: int = 120) -> None:
    """Press Tab until the focus is on an element matching selector; it must show its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_SHOWN), f"no visible focus on {page.evaluate(DESCRIBE)}"
            return
    raise AssertionError(f"Tab never reached {selector}; last {page.evaluate(DESCRIBE)}")


def choose(page, selector: str, value: str) -> None:
    """In a focused <select> or radio group, the arrow key until the value is chosen."""
    for _ in range(30):
        if page.evaluate(
            "([s, v]) => { const el = document.activeElement; return el.matches(s) &&"
            " (el.type === 'radio' ? el.checked && el.value === v : el.value === v); }",
            [selector, value],
        ):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value} never chosen in {selector}")


def sign_in(page, username: str, empty_first: bool = False) -> None:
    """The sign-in form has the focus on arrival; on the page it leads to, the first Tab reaches
    the skip link, and Enter on it moves the focus to the page's main content."""
    page.goto("/accounts/login/")
    if empty_first:
        # Sent empty: the form comes back with the focus on the first field in error, which
        # carries its message for a screen reader (aria-invalid, aria-describedby).
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate(FIELD_ERROR) == {"name": "username", "invalid": "true", "error": True}
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type(username)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def press_enter_on(page, selector: str) -> None:
    """Tab to a link or a submit button and press Enter: the page it leads to has loaded."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_visit_its_reply_and_the_rating_by_keyboard_alone(county, chromium, live_server):
    contexts = []

    def fresh_page():
        context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    try:
        # The cadre logs a visit to 荣信钢构 with two problems.
        page = fresh_page()
        sign_in(page, "carl")
        press_enter_on(page, "nav a[href='/field/visits/new/']")
        tab_to(page, "#id_enterprise")
        choose(page, "#id_enterprise", str(county.steel.pk))
        tab_to(page, "input[name=kind]")
        choose(page, "input[name=kind]", "inspect")  # 走访问实情
        tab_to(page, "#id_notes")
        page.keyboard.type("与付董座谈：车间满负荷时电压不稳。")
        tab_to(page, "#id_problems-0-title")
        page.keyboard.type("电压不稳，无法满负荷生产")
        tab_to(page, "#id_problems-0-category")
        choose(page, "#id_problems-0-category", str(county.power_category.pk))
        # A second problem: the row htmx adds takes the focus at its title.
        tab_to(page, "#add-problem")
        page.keyboard.press("Enter")
        wait_until(page, "() => document.activeElement.id === 'id_problems-1-title'")
        page.keyboard.type("招不到持证焊工")
        tab_to(page, "#id_problems-1-category")
        choose(page, "#id_problems-1-category", str(county.labour_category.pk))
        press_enter_on(page, "#save-visit")
        cases = Visit.objects.get().cases.order_by("pk")
        assert [c.title for c in cases] == ["电压不稳，无法满负荷生产", "招不到持证焊工"]
        case = cases[0]
        assert case.status == Case.Status.SUBMITTED

        # The office assigns it to 县工信局 (not part of this journey).
        workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)

        # The department accepts it from its inbox and replies.
        page = fresh_page()
        sign_in(page, "dan")
        press_enter_on(page, f"main a[href='/cases/{case.pk}/']")
        tab_to(page, "input[name=accept-contact_method]")
        page.keyboard.press("Space")  # 实地走访, the first method
        tab_to(page, "select[name=accept-contact]")
        contact = page.evaluate(
            "() => [...document.querySelector('select[name=accept-contact]').options]"
            ".map((o) => o.value).find((v) => v && v !== 'new')"
        )
        choose(page, "select[name=accept-contact]", contact)  # one of the enterprise's contacts
        tab_to(page, "form[data-action=accept] textarea")
        page.keyboard.type("电话联系付董，约定周三上门")
        press_enter_on(page, "form[data-action=accept] button[type=submit]")
        case.refresh_from_db()
        assert case.status == Case.Status.IN_PROGRESS

        tab_to(page, "input[name=reply-outcome]")
        page.keyboard.press("Space")
        tab_to(page, "form[data-action=reply] textarea")
        page.keyboard.type("已增设一台变压器，电压恢复稳定。")
        screenshot(page, "keyboard-department-reply")
        press_enter_on(page, "form[data-action=reply] button[type=submit]")
        case.refresh_from_db()
        assert case.status == Case.Status.REPLIED

        # The enterprise rates the reply.
        page = fresh_page()
        sign_in(page, "eva", empty_first=True)
        press_enter_on(page, f"main a[href^='/cases/{case.pk}/']")
        tab_to(page, "input[name=rate-rating]")
        choose(page, "input[name=rate-rating]", "satisfied")
        tab_to(page, "form[data-action=rate] textarea")
        page.keyboard.type("电压稳了，感谢。")
        press_enter_on(page, "form[data-action=rate] button[type=submit]")
        case.refresh_from_db()
        assert case.rating == Case.Rating.SATISFIED

        # She switches large text on from the account menu, by keyboard too.
        tab_to(page, "#account-menu > button")
        page.keyboard.press("Enter")
        press_enter_on(page, "#large-text-form button")
        assert page.evaluate("document.documentElement.classList.contains('large-text')")
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
        assert DisplayPreference.objects.get(user=county.eva).large_text
    finally:
        for context in contexts:
            context.close()
