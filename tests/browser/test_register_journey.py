"""The office brings the enterprise register in from Excel (issue 19 F), at a laptop's 1,024 px
and a phone's 390 px: it exports the register, adds two enterprises to it — one with a township
the county does not have and a credit code whose check character is wrong — and uploads it. The
file is refused whole, the errors named by row and column; fixed, it is imported and the
register shows the new enterprises. axe checks the import page and the error report at each size."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from enterprises.models import Department, Enterprise
from tests.browser.conftest import PHONE_390 as PHONE
from tests.browser.conftest import fits, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe
from tests.conftest import valid_credit_code

LAPTOP = {"width": 1024, "height": 768}


def _wrong(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1024", "390"])
def test_the_office_imports_the_register_sees_the_errors_then_imports_it(
    county, chromium, live_server, tmp_path, viewport
):
    Department.objects.create(name="民和镇", kind=Department.Kind.TOWNSHIP)
    size = viewport["width"]
    context = chromium.new_context(viewport=viewport, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    try:
        _journey(with_axe(context).new_page(), tmp_path, size)
    finally:
        context.close()


def _journey(page, tmp_path, size: int) -> None:
    login(page, "office")
    page.goto("/analysis/import/")
    assert page.locator("#register-heading").is_visible()
    assert "名录中现有 2 家企业" in page.locator("#register").inner_text()
    assert fits(page)
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.locator("#register-export").click()
    exported = tmp_path / "名录.xlsx"
    download.value.save_as(exported)
    workbook = load_workbook(exported)
    sheet = workbook.worksheets[0]
    code = valid_credit_code(60)
    sheet.append(
        ["江西康瑞医疗器械有限公司", _wrong(code), "医疗器械", "长山镇", "中型", "", "", "", ""]
    )
    sheet.append(["江西李渡酒业有限公司", valid_credit_code(61), "酒业", "民和镇", "大型"])
    workbook.save(exported)

    page.set_input_files("#id_register-file", str(exported))
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_selector("#import-refused")
    errors = page.locator(".import-error")
    assert errors.count() == 2
    assert page.locator('.import-error[data-row="4"][data-column="统一社会信用代码"]').count() == 1
    assert page.locator('.import-error[data-row="4"][data-column="所属乡镇/园区"]').count() == 1
    assert "长山镇" in page.locator("#import-errors").inner_text()
    assert fits(page)
    assert axe_violations(page) == []
    screenshot(page, f"register-import-errors-{size}")
    assert Enterprise.objects.count() == 2

    sheet.cell(row=4, column=2, value=code)
    sheet.cell(row=4, column=4, value="民和镇")
    workbook.save(exported)
    page.goto("/analysis/import/")
    page.set_input_files("#id_register-file", str(exported))
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_selector("#import-done")
    assert "新建企业 2 家，更新 0 家，2 家没有变化" in page.locator("#import-done").inner_text()
    assert fits(page)
    screenshot(page, f"register-import-done-{size}")
    assert set(
        Enterprise.objects.filter(township__name="民和镇").values_list("name", flat=True)
    ) == {
        "江西康瑞医疗器械有限公司",
        "江西李渡酒业有限公司",
    }

    page.goto("/analysis/import/#register")
    assert "名录中现有 4 家企业" in page.locator("#register").inner_text()
    recent = page.locator("#recent-register-imports").inner_text()
    assert "新建 2 家，更新 0 家" in recent
    screenshot(page, f"register-section-{size}")
