"""Excel imports stay inside the importing office's county (issue 22): new records join its county,
and the rows' enterprises (by 统一社会信用代码 or name), departments and townships are matched
within it — never another county's, even one of the same name. The second county is the demo's
kind: 修水县 of 九江市, the same cast and department names as 进贤县 (tests.conftest)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analysis.models import ImportJob
from cases.models import Case
from enterprises.models import Department, Enterprise
from tests.analysis import test_import as problems
from tests.analysis import test_register as registers
from tests.conftest import valid_credit_code

pytestmark = pytest.mark.django_db


def test_the_second_countys_office_imports_problems_for_its_own_enterprises_and_departments(
    county, second_county, client
):
    rows = [
        [
            second_county.steel.name,
            "",
            "电压不稳",
            "",
            "用电用能",
            "县工信局",
            dt.date(2021, 4, 22),
        ],
        ["", second_county.poultry.credit_code, "缺少熟练工人", "", "用工人才", "县人社局", None],
    ]
    problems.upload(client, second_county.office, problems.xlsx(rows))
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == ("done", 2), job.errors
    cases = {c.title: c for c in Case.objects.all()}
    place = second_county.steel.county
    assert {c.county for c in cases.values()} == {place}
    # 县工信局 and 县人社局 are names both counties use: the importing county's are meant.
    assert cases["电压不稳"].lead_department == second_county.gxj
    assert cases["缺少熟练工人"].lead_department == second_county.rsj


def test_another_countys_enterprise_is_unknown_to_a_problem_import(county, second_county, client):
    Department.objects.create(name="县发改委")  # 进贤县's only
    rows = [
        [county.steel.name, "", "电压不稳", "", "用电用能", "", None],
        ["", county.poultry.credit_code, "电费偏高", "", "用电用能", "", None],
        [second_county.steel.name, "", "项目审批慢", "", "用电用能", "县发改委", None],
    ]
    problems.upload(client, second_county.office, problems.xlsx(rows))
    job = ImportJob.objects.get()
    assert job.status == "invalid" and not Case.objects.exists()
    messages = [e["message"] for e in job.errors]
    assert f"系统中没有名为“{county.steel.name}”的企业" in messages[0]
    assert f"系统中没有统一社会信用代码为 {county.poultry.credit_code} 的企业" in messages[1]
    assert messages[2] == "系统中没有名为“县发改委”的部门或单位。"


@pytest.fixture
def both_townships(county, second_county):
    def townships(place=None):
        extra = {"county": place} if place is not None else {}
        return Department.objects.create(name="民和镇", kind=Department.Kind.TOWNSHIP, **extra)

    return townships(), townships(second_county.steel.county)


def register_row(name, code, township="民和镇"):
    return [name, code, "医疗器械", township, "中型企业", "", "杨斌", "0791-85612345", None]


def test_a_register_import_puts_new_enterprises_in_the_importing_county(
    county, second_county, both_townships, client
):
    _home, theirs = both_townships
    rows = [
        register_row("修水康瑞医疗器械有限公司", valid_credit_code(531)),
        register_row(second_county.steel.name, second_county.steel.credit_code),
    ]
    registers.upload(client, second_county.office, registers.xlsx(rows))
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.updated_count) == ("done", 1, 1), job.errors
    new = Enterprise.objects.get(credit_code=valid_credit_code(531))
    assert new.county == second_county.steel.county
    assert new.township == theirs  # 民和镇 of 修水县, not 进贤县's of the same name
    second_county.steel.refresh_from_db()
    assert second_county.steel.township == theirs


def test_a_register_import_does_not_touch_another_countys_enterprise(
    county, second_county, both_townships, client
):
    before = registers.snapshot()
    rows = [
        register_row("另取的名字", county.steel.credit_code),
        register_row(county.poultry.name, valid_credit_code(532)),
    ]
    registers.upload(client, second_county.office, registers.xlsx(rows))
    job = ImportJob.objects.get()
    assert job.status == "invalid" and registers.snapshot() == before
    assert [e["message"] for e in job.errors] == [
        f"统一社会信用代码为 {county.steel.credit_code} 的企业已登记在进贤县，"
        "不能导入本县（区）的名录。",
        f"另一县（区）已登记名为“{county.poultry.name}”的企业，不能重名。",
    ]


def test_the_register_export_and_templates_are_the_countys_own(county, second_county, client):
    Department.objects.create(name="进贤独有镇", kind=Department.Kind.TOWNSHIP)
    client.force_login(second_county.office)
    answer = client.get(reverse("analysis:register_export"))
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).worksheets[0]
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {second_county.steel.name, second_county.poultry.name}
    for url in ("analysis:register_template", "analysis:import_template"):
        answer = client.get(reverse(url))
        book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
        text = " ".join(
            str(cell)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for cell in row
            if cell
        )
        validations = " ".join(
            str(v.formula1) for ws in book.worksheets for v in ws.data_validations.dataValidation
        )
        assert "进贤独有镇" not in text + validations


def test_another_countys_import_job_is_not_found(county, second_county, client):
    problems.upload(client, county.office, problems.xlsx(problems.good_rows(county)))
    job = ImportJob.objects.get()
    client.force_login(second_county.office)
    for name in ("analysis:import_job", "analysis:import_progress", "analysis:import_errors"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(county.office)
    assert client.get(reverse("analysis:import_job", args=[job.pk])).status_code == 200
