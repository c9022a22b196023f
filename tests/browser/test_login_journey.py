from tests.browser.conftest import PHONE, login, screenshot


def test_a_clerk_signs_in_on_a_phone_and_sees_their_cases(county, open_browser):
    mine = county.assigned()
    county.assigned(lead_department=county.rsj)  # another department's case
    page = open_browser(viewport=PHONE)
    page.goto("/")
    assert "/accounts/login/" in page.url
    screenshot(page, "login-phone")
    login(page, "dan")
    body = page.locator("body").inner_text()
    assert mine.number in body
    assert body.count("-000") == 1
    screenshot(page, "home-dept-phone")
