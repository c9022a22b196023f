"""The office opens the dashboard, the evaluation and the pain points in a real browser: the charts
draw (ECharts from static/, no CDN) and each can be switched to its table of the same numbers."""

from cases import workflow
from tests.analysis.conftest import spring  # noqa: F401  (the story the pages show)
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot


def _this_week(county):
    """Some cases of the present, so the dashboard's weekly trend has something to draw."""
    for enterprise in (county.steel, county.poultry, county.steel):
        county.in_progress(enterprise=enterprise)
    closed = county.closed(enterprise=county.poultry)
    workflow.case_reopen(actor=county.office, case=closed, reason="企业再次反映")
    county.replied(enterprise=county.steel)
    county.submitted(enterprise=county.poultry, title="厂区道路破损，货车进出困难")


def test_the_office_reads_the_dashboard_evaluation_and_pain_points(spring, open_browser, settings):  # noqa: F811
    settings.ANALYSIS_RANK_MIN_ASSIGNED = 1  # rank the two departments of the small story
    _this_week(spring.county)
    page = open_browser(viewport=DESKTOP)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    login(page, "office")

    page.goto("/analysis/")
    page.wait_for_selector("#card-by-category canvas")
    assert page.locator("#figure-total").inner_text() == "13"
    assert page.locator("[data-chart] canvas").count() == 7
    screenshot(page, "analysis-dashboard-desktop")
    card = page.locator("#card-by-category")
    card.get_by_role("button", name="表格").click()
    assert card.locator("table").is_visible() and not card.locator("[data-chart]").is_visible()
    assert "用电用能" in card.locator("table").inner_text()
    card.get_by_role("button", name="图表").click()
    assert card.locator("[data-chart]").is_visible()
    assert "数据更新于" in page.locator("#computed-at").inner_text()
    spring.county.submitted(enterprise=spring.county.steel, title="新建厂房用地审批慢")
    page.locator("#refresh-figures").click()  # the office asks for the figures of now
    page.wait_for_selector("#card-by-category canvas")
    assert page.locator("#figure-total").inner_text() == "14"

    page.goto("/analysis/evaluation/?period=2021Q2")
    row = page.locator(f"#dept-{spring.county.gxj.pk}")
    assert row.locator('[data-figure="assigned"]').inner_text() == "5"
    assert row.locator('[data-figure="satisfaction_rate"]').inner_text() == "66.7%"
    assert page.locator("#red-list").is_visible() and page.locator("#black-list").is_visible()
    assert page.locator("#definitions").is_visible()
    screenshot(page, "analysis-evaluation-desktop")

    page.goto("/analysis/painpoints/?period=2021Q2")
    page.wait_for_selector("#card-matrix canvas")
    assert page.locator(".recurring-group").count() == 2
    screenshot(page, "analysis-painpoints-desktop")
    assert not script_errors, script_errors


def test_the_dashboard_and_the_evaluation_read_on_a_phone(spring, open_browser):  # noqa: F811
    _this_week(spring.county)
    page = open_browser(viewport=PHONE)
    login(page, "office")
    page.goto("/analysis/")
    page.wait_for_selector("#card-trend canvas")
    # nothing wider than the screen but the tables that scroll inside their own box
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    screenshot(page, "analysis-dashboard-phone")
    page.goto("/analysis/evaluation/?period=2021Q2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "analysis-evaluation-phone")
    page.goto("/analysis/report/?period=2021-05")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "analysis-report-phone")


def test_the_period_report_prints_on_a4_without_the_navigation(spring, open_browser):  # noqa: F811
    page = open_browser(viewport=DESKTOP)
    login(page, "office")
    page.goto("/analysis/report/?period=2021Q2")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("#report-period").is_visible()
    assert "2021年第2季度" in page.locator("#report-period-label").inner_text()
    screenshot(page, "analysis-report-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_the_office_uploads_a_bad_batch_and_sees_every_error_by_row(
    county, open_browser, tmp_path, settings
):
    from openpyxl import Workbook

    settings.MEDIA_ROOT = tmp_path / "media"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["企业名称", "统一社会信用代码", "问题标题", "问题描述", "问题类别", "牵头部门", "交办日期"]
    )
    sheet.append(
        [
            county.steel.name,
            "",
            "电压不稳，无法满负荷生产",
            "",
            "用电用能",
            "县工信局",
            "2021-04-22",
        ]
    )
    sheet.append(["不存在的公司", "", "道路不通", "", "道路", "", None])
    sheet.append([county.poultry.name, "", "", "", "用电用能", "", "2099-01-01"])
    path = tmp_path / "第一批.xlsx"
    workbook.save(path)

    page = open_browser(viewport=PHONE)
    login(page, "office")
    page.goto("/analysis/import/")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=batch]", "第一批")
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_selector("#import-refused")
    assert (
        page.locator(".import-error").count() == 4
    )  # row 3: enterprise, category; row 4: title, date
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "analysis-import-errors-phone")
