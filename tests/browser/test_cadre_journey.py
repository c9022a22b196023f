"""The cadre's journey on a phone: log a visit with two problems and a photo, find both cases on the
enterprise page, then come back on a return visit and record the enterprise's rating."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from PIL import Image

from cases.models import Case, Rating, Visit, VisitPhoto
from tests.browser.conftest import PHONE, login, screenshot, wait_until


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fits_the_phone(page) -> bool:
    """Nothing sticks out sideways: the page scrolls only up and down at 360 px."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_cadre_logs_a_visit_on_a_phone_and_records_a_return_visit_rating(
    county, open_browser, media_root, tmp_path
):
    replied = county.replied()  # answered by 县工信局 earlier, waiting for the enterprise's word
    late = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=14))  # never contacted
    photo = tmp_path / "workshop.png"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(photo)

    page = open_browser(viewport=PHONE)
    login(page, "carl")

    # 我的企业
    page.goto("/field/")
    assert county.steel.name in page.locator("main").inner_text()
    card = page.locator(f"#enterprise-{county.steel.pk}").inner_text()
    assert "尚未走访" in card
    assert "1 件逾期" in card and "已逾期" in card
    assert card.index(late.number) < card.index(replied.number)  # overdue first
    assert fits_the_phone(page)
    screenshot(page, "cadre-enterprises-phone")

    # 登记走访: two problems, the second row added without reloading the page
    page.click("#log-visit")
    page.wait_for_url("**/field/visits/new/")
    page.select_option("#id_enterprise", label=county.steel.name)
    page.click("label[for=id_kind_1]")  # 走访问实情
    page.fill("#id_notes", "与付董座谈：车间满负荷时电压不稳，焊工也招不够。")
    page.fill("#id_problems-0-title", "电压不稳，无法满负荷生产")
    page.fill("#id_problems-0-description", "高峰时段电压掉到340伏，焊机跳闸")
    page.select_option("#id_problems-0-category", label="用电用能")
    page.evaluate("window.__same_page = true")
    page.click("#add-problem")
    page.wait_for_selector("#id_problems-1-title")
    assert page.evaluate("window.__same_page") is True  # htmx added the row; no reload
    assert page.input_value("#id_problems-TOTAL_FORMS") == "2"
    page.fill("#id_problems-1-title", "招不到持证焊工")
    page.fill("#id_problems-1-description", "缺20名焊工，影响订单交付")
    page.select_option("#id_problems-1-category", label="用工人才")
    page.set_input_files("#id_photos", str(photo))
    assert fits_the_phone(page)
    screenshot(page, "cadre-visit-form-phone")
    page.click("#save-visit")
    page.wait_for_url("**/field/visits/*/")

    visit = Visit.objects.get()
    assert visit.cases.count() == 2
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    body = page.locator("main").inner_text()
    assert "走访已登记，发现的 2 个问题已提交县委办交办。" in body
    assert "电压不稳，无法满负荷生产" in body and "招不到持证焊工" in body
    thumbnail = page.locator(".visit-photos img").first
    thumbnail.wait_for()
    wait_until(page, "() => document.querySelector('.visit-photos img')?.naturalWidth > 0")
    screenshot(page, "cadre-visit-saved-phone")

    # Both new cases on the enterprise page
    page.click(f"text={county.steel.name}")
    page.wait_for_url(f"**/field/enterprises/{county.steel.pk}/")
    open_cases = page.locator("#open-cases").inner_text()
    for case in visit.cases.all():
        assert case.number in open_cases
        assert case.title in open_cases
    assert replied.number in open_cases
    assert fits_the_phone(page)
    screenshot(page, "cadre-enterprise-phone")

    # 回访: a 解难问成效 visit, then the enterprise's rating of the replied case
    page.click("#awaiting-rating a")
    page.wait_for_url("**/field/visits/new/?*")
    assert page.locator("#id_kind_2").is_checked()  # 解难问成效, from the link
    page.fill("#id_notes", "回访：新变压器投运后电压稳定。")
    page.click("#save-visit")
    page.wait_for_url("**/field/visits/*/return/")
    card = page.locator(f"#rate-{replied.pk}")
    assert "已增设一台变压器" in card.inner_text()
    card.locator("label", has_text="非常满意").click()
    card.locator("textarea").fill("电压稳了，感谢供电公司和工信局。")
    assert fits_the_phone(page)
    screenshot(page, "cadre-return-visit-form-phone")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert f"已代录问题 {replied.number} 的评价“非常满意”。" in page.locator("main").inner_text()
    rating = Rating.objects.get(case=replied)
    assert (rating.level, rating.recorded_by_cadre, rating.rated_by) == (
        Case.Rating.VERY_SATISFIED,
        True,
        county.carl,
    )
    assert "干部回访代录" in page.locator(f"#rate-{replied.pk}").inner_text()
    screenshot(page, "cadre-return-visit-rated-phone")

    # The shared case page, as the cadre sees it
    page.goto(f"/cases/{replied.pk}/")
    assert "干部回访代录" in page.locator("main").inner_text()
    screenshot(page, "cadre-case-phone")


def test_on_a_phone_bad_input_is_explained_next_to_the_fields_and_the_typing_is_kept(
    county, open_browser, media_root, tmp_path, settings
):
    settings.VISIT_PHOTO_MAX_BYTES = 2000
    not_a_photo = tmp_path / "report.png"
    not_a_photo.write_bytes(b"%PDF-1.4 a scanned report, not a photo")
    too_big = tmp_path / "huge.png"
    Image.frombytes("RGB", (60, 60), os.urandom(60 * 60 * 3)).save(too_big)  # ~10 KB

    page = open_browser(viewport=PHONE)
    login(page, "carl")
    page.goto(f"/field/visits/new/?enterprise={county.steel.pk}")
    page.click("label[for=id_kind_0]")  # 宣传问需求
    page.fill("#id_notes", "宣讲惠企政策")
    page.fill("#id_problems-0-description", "只写了描述，忘了标题")

    # The browser drops an oversized photo before uploading it, and says so — once it has tried
    # shrinking it (fieldwork/static/fieldwork/offline/photos.js): random noise stays too big.
    page.set_input_files("#id_photos", [str(too_big), str(not_a_photo)])
    page.wait_for_selector("#photos-too-big:not([hidden])")
    assert "huge.png" in page.locator("#photos-too-big").inner_text()
    assert page.evaluate("document.getElementById('id_photos').files.length") == 1

    page.click("#save-visit")
    page.wait_for_load_state("networkidle")
    assert "/field/visits/new/" in page.url
    assert "“report.png”不是图片文件" in page.locator("#field-photos").inner_text()
    row = page.locator("#problem-row-0").inner_text()
    assert "请填写问题标题。" in row and "请选择问题类别。" in row
    assert page.input_value("#id_notes") == "宣讲惠企政策"
    assert page.input_value("#id_problems-0-description") == "只写了描述，忘了标题"
    assert page.locator("#id_kind_0").is_checked()
    assert Visit.objects.count() == 0
    assert fits_the_phone(page)
    screenshot(page, "cadre-visit-errors-phone")
