"""挂牌督办 as the office's decision, and the county's leadership (issue 19), in headless Chromium
at a laptop's 1,024 px and a phone's 390 px.

The office finds a case three working days late on the supervision board, proposed for listing
(建议挂牌); the 挂牌 button opens the case with its form open; the office lists it with a reason and
the board shows the badge, and the 已挂牌 filter the list. Then the county head (县长, Mayor)
signs in: lands on the county's dashboard, reads the ledger, opens the listed case and writes a
批示 — the one action offered. Every page looked at passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent
from tests.browser.conftest import PHONE_390, fits, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe

LAPTOP = {"width": 1024, "height": 800}
SIZES = {"laptop": LAPTOP, "phone": PHONE_390}
REASON = "逾期三个工作日以上，企业多次反映，经县委办研究列入挂牌督办"


def open_page(chromium, live_server, viewport):
    context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    return with_axe(context).new_page()


def looked_at(page, name: str) -> None:
    """Fits its width, has no serious accessibility violation, and is photographed."""
    assert fits(page), page.url
    assert not axe_violations(page), (page.url, axe_violations(page))
    screenshot(page, name)


def test_the_office_lists_a_proposed_case_and_the_board_shows_the_badge(
    county, chromium, live_server
):
    late = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=60))
    other = county.assigned(
        enterprise=county.poultry, assigned_at=timezone.now() - dt.timedelta(days=60)
    )
    pages = {size: open_page(chromium, live_server, vp) for size, vp in SIZES.items()}
    for page in pages.values():
        login(page, "office")
        page.goto("/office/board/")
    for size, page in pages.items():
        row = page.locator(f"#board-case-{late.pk}")
        assert "建议挂牌" in row.inner_text()
        assert "建议挂牌 2 件" in page.locator("#listing-summary").inner_text()
        looked_at(page, f"listing-board-proposed-{size}")

    # The laptop lists the case from the board's button: the case page opens with the form open.
    page = pages["laptop"]
    page.locator(f"#board-case-{late.pk} .list-case").click()
    page.wait_for_url(f"**/cases/{late.pk}/**")
    assert page.locator("#listing-proposed").is_visible()
    assert page.locator("#form-list").is_visible()
    page.fill("#id_list-reason", REASON)
    page.locator("#form-list button[type=submit]").click()
    page.wait_for_selector("#listing")
    assert REASON in page.locator("#listing").inner_text()
    assert page.locator("#action-delist").count() == 1
    looked_at(page, "listing-case-listed-laptop")

    # The board: the listed case wears the badge, the other is still a proposal.
    for size, page in pages.items():
        page.goto("/office/board/")
        row = page.locator(f"#board-case-{late.pk}")
        assert "⚑ 挂牌督办" in row.inner_text() and "建议挂牌" not in row.inner_text()
        assert row.locator(".list-case").count() == 0
        assert "建议挂牌" in page.locator(f"#board-case-{other.pk}").inner_text()
        assert "已挂牌 1 件" in page.locator("#listing-summary").inner_text()
        looked_at(page, f"listing-board-listed-{size}")
        page.check("#board-listed")
        page.locator("#board-filter button[type=submit]").click()
        page.wait_for_selector("#listed-list")
        listed = page.locator("#listed-list").inner_text()
        assert late.number in listed and other.number not in listed and REASON[:10] in listed
        looked_at(page, f"listing-board-filter-{size}")
    page = pages["phone"]
    page.goto(f"/cases/{late.pk}/")
    looked_at(page, "listing-case-listed-phone")
    assert Case.objects.get(pk=late.pk).is_listed


def test_the_county_head_reads_the_county_and_instructs(county, chromium, live_server):
    listed = county.in_progress(enterprise=county.poultry)
    workflow.case_list(actor=county.office, case=listed, reason=REASON)
    county.assigned(assigned_at=timezone.now() - dt.timedelta(days=60))
    county.replied()
    for size, viewport in SIZES.items():
        page = open_page(chromium, live_server, viewport)
        login(page, "mayor")
        # Lands on the county's dashboard.
        assert page.url.endswith("/analysis/")
        assert "全县" in page.locator("#dashboard-scope").inner_text()
        looked_at(page, f"leadership-dashboard-{size}")
        page.goto("/analysis/cases/")
        assert listed.number in page.locator("main").inner_text()
        looked_at(page, f"leadership-ledger-{size}")
        page.goto(f"/cases/{listed.pk}/")
        assert REASON in page.locator("#listing").inner_text()
        forms = page.locator("#actions form[data-action]")
        assert forms.count() == 1 and forms.first.get_attribute("data-action") == "instruct"
        looked_at(page, f"leadership-case-{size}")
        text = f"请县工信局一周内拿出方案（{size}）"
        page.fill("#id_instruct-text", text)
        page.locator("#form-instruct button[type=submit]").click()
        page.wait_for_selector("#instructions")
        assert text in page.locator("#instructions").inner_text()
        assert "县长" in page.locator("#timeline").inner_text()
        looked_at(page, f"leadership-instructed-{size}")
        # The office's working pages are not the leadership's.
        assert page.goto("/office/board/").status == 403
        page.context.close()
    assert listed.events.filter(kind=CaseEvent.Kind.INSTRUCTION).count() == 2
