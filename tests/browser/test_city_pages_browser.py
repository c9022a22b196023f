"""The city's pages at a phone (390 px) and a laptop (1,024): the city office's 各县（区）, 各县对比
with the 营商环境指数 and its definition, 上报市级 with a late city deadline in the city's words;
the city department's 市级待办 and the case page it opens, with the escalation and no working
record. Nothing is wider than the screen; the index stays in view beside each county's name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cases import workflow
from tests.browser.conftest import fits, login, screenshot
from tests.city.conftest import PROPOSAL, world  # noqa: F401 (the fixture)

CHINA = ZoneInfo("Asia/Shanghai")


def test_the_city_pages_fit_a_phone_and_a_laptop(open_browser, world):  # noqa: F811
    escalation = world.escalated()
    workflow.city_escalation_assign(  # years ago: both city deadlines long past, whatever today is
        actor=world.city_office,
        escalation=escalation,
        city_department=world.fgw,
        now=dt.datetime(2021, 3, 4, 10, tzinfo=CHINA),
    )
    for width in (390, 1024):
        page = open_browser(viewport={"width": width, "height": 900})
        login(page, "city_office")
        for path in ("/analysis/city/", "/analysis/city/compare/", "/analysis/city/escalations/"):
            page.goto(path)
            assert fits(page), (path, width)
            screenshot(page, f"city{path.strip('/').replace('/', '-')}-{width}")
        page.goto("/analysis/city/compare/")
        assert page.locator("#index-definition").is_visible()
        index = page.locator(f"#rank-{world.county.steel.county_id} [data-figure=index]")
        assert index.bounding_box()["x"] + index.bounding_box()["width"] <= width
        page.goto("/analysis/city/escalations/")
        assert "超期未签收" in page.locator("[data-clock=contact]").inner_text()

        clerk = open_browser(viewport={"width": width, "height": 900})
        login(clerk, "fgw_clerk")
        clerk.goto("/analysis/city/inbox/")
        assert fits(clerk)
        clerk.locator(f"a[href='/cases/{escalation.case_id}/']").first.click()
        clerk.wait_for_load_state("networkidle")
        assert fits(clerk)
        assert PROPOSAL in clerk.locator("#city-escalations").inner_text()
        assert clerk.locator(".internal-note").count() == 0
        screenshot(clerk, f"city-department-case-{width}")
