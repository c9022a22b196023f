"""月报/季报 and 工作简报 in Word (issue 19), at a laptop's 1,024 px and a phone's 390 px: the office
opens the quarter's report page, downloads it as a Word file (its charts as pictures), goes on to
the 工作简报 of the same quarter, writes its own paragraph, previews the bulletin and downloads it.
Each page fits its width and has no serious axe-core violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from docx import Document

from analysis import drawing
from tests.analysis.conftest import spring  # noqa: F401  (the story the report tells)
from tests.browser.conftest import fits, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe

WIDTHS = {"laptop": {"width": 1024, "height": 800}, "phone": {"width": 390, "height": 844}}
TEXT = "本季度各专班走访企业，现场交办问题一批。"


def checked(page, name: str) -> None:
    """The page fits its width, has no serious accessibility violation, and is photographed."""
    assert fits(page), page.url
    assert not axe_violations(page), (page.url, axe_violations(page))
    screenshot(page, name)


def downloaded(page, click) -> Document:
    with page.expect_download() as info:
        click()
    download = info.value
    assert download.suggested_filename.endswith("_2021年第2季度.docx")
    return Document(Path(download.path()))


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_office_downloads_the_quarters_report_and_writes_its_bulletin(
    spring,  # noqa: F811
    chromium,
    live_server,
    size,
):
    context = chromium.new_context(
        viewport=WIDTHS[size], locale="zh-CN", base_url=live_server.url, accept_downloads=True
    )
    context.set_default_timeout(30_000)
    page = with_axe(context).new_page()
    login(page, "office")

    # --- the report page, its Word file -------------------------------------------------------
    page.goto("/analysis/report/?period=2021Q2")
    buttons = page.locator("#report-period")
    assert buttons.get_by_role("link", name="下载 Word").is_visible()
    assert buttons.get_by_role("link", name="编写工作简报").is_visible()
    checked(page, f"report-word-page-{size}")
    report = downloaded(page, buttons.get_by_role("link", name="下载 Word").click)
    lines = [p.text for p in report.paragraphs]
    assert lines[:2] == [f"{settings.COUNTY_NAME}“四进四问”企业问题办理情况报告", "2021年第2季度"]
    if drawing.can_draw():
        assert len(report.inline_shapes) == 4  # departments; category, industry, township

    # --- the bulletin of the same quarter -------------------------------------------------------
    buttons.get_by_role("link", name="编写工作简报").click()
    page.wait_for_url("**/analysis/bulletin/?period=2021Q2")
    form = page.locator("#bulletin-form")
    assert form.get_by_label("期间").input_value() == "2021Q2"
    checked(page, f"bulletin-first-look-{size}")
    form.get_by_label("期数").fill("7")
    form.get_by_label("工作情况").fill(TEXT)
    form.get_by_role("button", name="预览").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#bulletin-issue").inner_text() == "第7期"
    assert TEXT in page.locator("#bulletin-text").inner_text()
    assert "2021年第2季度企业问题办理情况" in page.locator("#bulletin-title").inner_text()
    checked(page, f"bulletin-preview-{size}")
    bulletin = downloaded(page, form.get_by_role("button", name="下载 Word").click)
    lines = [p.text for p in bulletin.paragraphs]
    assert lines[1] == "第7期" and TEXT in lines
    context.close()
