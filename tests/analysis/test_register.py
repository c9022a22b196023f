"""The enterprise register in bulk (issue 19 F): imported from Excel all or nothing — a row whose
credit code is known updates that enterprise, the others create one, every error named by row
and column — and exported in the same columns, so that an export imported back changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from analysis import register
from analysis.models import ImportJob
from enterprises.models import ContactPerson, Department, Enterprise
from enterprises.validators import credit_code_check_character
from tests.conftest import valid_credit_code

pytestmark = pytest.mark.django_db

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "行业",
    "所属乡镇/园区",
    "企业规模",
    "地址",
    "联系人",
    "联系电话",
    "其他联系人",
]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, user, content: bytes, name="企业名录.xlsx"):
    client.force_login(user)
    return client.post(
        reverse("analysis:register_import"), {"register-file": SimpleUploadedFile(name, content)}
    )


def read(answer):
    return load_workbook(io.BytesIO(b"".join(answer.streaming_content)))


def snapshot():
    """Every enterprise and contact person, field by field: what an import may not change."""
    return (
        list(Enterprise.objects.order_by("pk").values()),
        list(ContactPerson.objects.order_by("pk").values()),
    )


@pytest.fixture
def townships(county):
    minhe = Department.objects.create(name="民和镇", kind=Department.Kind.TOWNSHIP)
    park = Department.objects.create(
        name="进贤经济技术开发区", short_name="进贤经开区", kind=Department.Kind.PARK
    )
    return minhe, park


def good_rows(county):
    return [
        # row 2: the steel works, known by its code: moved to 民和镇, a contact added
        [
            county.steel.name,
            county.steel.credit_code,
            "钢结构与建材",
            "民和镇",
            "大型",
            "进贤县民和镇工业大道18号",
            "付登印",
            "138 0791 5678",
            "王芳（财务总监）13912345678；李强 13712345678",
        ],
        # row 3: a new enterprise in the park, named by its short name
        [
            "江西康瑞医疗器械有限公司",
            valid_credit_code(31),
            "医疗器械",
            "进贤经开区",
            "中型企业",
            "进贤经开区创业大道8号",
            "杨斌",
            "0791-85612345",
            None,
        ],
    ]


def test_a_good_file_creates_and_updates_matched_by_credit_code(county, townships, client):
    minhe, park = townships
    answer = upload(client, county.office, xlsx(good_rows(county)))

    job = ImportJob.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("analysis:import_job", args=[job.pk])
    assert (job.kind, job.status, job.total_rows) == ("register", "done", 2)
    assert (job.created_count, job.updated_count, job.skipped_count) == (1, 1, 0)
    assert Enterprise.objects.count() == 3
    steel = Enterprise.objects.get(pk=county.steel.pk)
    assert steel.industry == Enterprise.Industry.STEEL and steel.township == minhe
    assert steel.scale == Enterprise.Scale.LARGE and steel.address == "进贤县民和镇工业大道18号"
    assert (steel.contact_name, steel.contact_phone) == ("付登印", "13807915678")
    assert steel.is_key  # a field the register has no column for is left alone
    people = {p.mobile: (p.name, p.position, p.added_by) for p in steel.people.all()}
    assert people == {
        "13912345678": ("王芳", "财务总监", county.office),
        "13712345678": ("李强", "", county.office),
    }
    kangrui = Enterprise.objects.get(credit_code=valid_credit_code(31))
    assert (kangrui.name, kangrui.industry, kangrui.township, kangrui.scale) == (
        "江西康瑞医疗器械有限公司",
        Enterprise.Industry.MEDICAL,
        park,
        Enterprise.Scale.MEDIUM,
    )
    assert (kangrui.contact_name, kangrui.contact_phone) == ("杨斌", "0791-85612345")
    assert not kangrui.people.exists()
    page = client.get(answer["Location"]).content.decode()
    assert 'id="import-done"' in page and "新建企业 1 家，更新 1 家" in page


def test_a_bad_credit_code_refuses_the_whole_file_naming_row_and_column(county, townships, client):
    before = snapshot()
    good = valid_credit_code(32)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    rows = good_rows(county) + [
        ["江西洪达医疗器械集团有限公司", valid_credit_code(33), "医疗器械", "", "", "", "", "", ""],
        ["江西李渡酒业有限公司", wrong, "酒业", "", "", "", "", "", ""],
    ]
    answer = upload(client, county.office, xlsx(rows))

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "统一社会信用代码")]
    assert "校验位错误" in job.errors[0]["message"] and job.errors[0]["value"] == wrong
    assert snapshot() == before  # the three good rows were not written either
    page = client.get(answer["Location"]).content.decode()
    assert "未导入任何企业" in page
    assert 'data-row="5" data-column="统一社会信用代码"' in page


def test_every_bad_cell_is_named(county, townships, client):
    rows = [
        ["江西甲公司", valid_credit_code(40), "航天", "", "", "", "", "", ""],  # 2: industry
        ["江西乙公司", valid_credit_code(41), "", "", "巨型", "", "", "12345", ""],  # 3: two
        ["", valid_credit_code(42), "", "", "", "", "", "", ""],  # 4: no name
        ["江西丙公司", "", "", "", "", "", "", "", ""],  # 5: no code
        ["江西丁公司", 913601240000000000, "", "", "", "", "", "", ""],  # 6: a number
        ["江西戊公司", valid_credit_code(43), "", "", "", "", "", "", "王芳 1391234"],  # 7
        ["江西己公司", valid_credit_code(44), "", "", "", "", "", "", "总经理"],  # 8: no mobile
        [county.poultry.name, valid_credit_code(45), "", "", "", "", "", "", ""],  # 9: name taken
    ]
    upload(client, county.office, xlsx(rows))

    job = ImportJob.objects.get()
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (2, "行业"),
        (3, "企业规模"),
        (3, "联系电话"),
        (4, "企业名称"),
        (5, "统一社会信用代码"),
        (6, "统一社会信用代码"),
        (7, "其他联系人"),
        (8, "其他联系人"),
        (9, "企业名称"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "当成了数字" in messages[(6, "统一社会信用代码")]
    assert "不是有效的手机号码" in messages[(7, "其他联系人")]
    assert county.poultry.credit_code in messages[(9, "企业名称")]
    assert Enterprise.objects.count() == 2


def test_an_unknown_township_is_named(county, townships, client):
    rows = [[county.steel.name, county.steel.credit_code, "", "长山镇", "", "", "", "", ""]]
    upload(client, county.office, xlsx(rows))

    job = ImportJob.objects.get()
    assert job.status == "invalid"
    [error] = job.errors
    assert (error["row"], error["column"], error["value"]) == (2, "所属乡镇/园区", "长山镇")
    assert "没有名为“长山镇”的乡镇或园区" in error["message"]
    assert Enterprise.objects.get(pk=county.steel.pk).township is None


def test_a_bureau_is_no_township(county, townships, client):
    rows = [[county.steel.name, county.steel.credit_code, "", "县工信局", "", "", "", "", ""]]
    upload(client, county.office, xlsx(rows))
    assert [e["column"] for e in ImportJob.objects.get().errors] == ["所属乡镇/园区"]


def test_the_same_credit_code_twice_in_the_file_is_named(county, townships, client):
    code = valid_credit_code(50)
    rows = [
        ["江西甲公司", code, "", "", "", "", "", "", ""],
        ["江西乙公司", valid_credit_code(51), "", "", "", "", "", "", ""],
        ["江西甲公司（二厂）", code, "", "", "", "", "", "", ""],
        ["江西乙公司", valid_credit_code(52), "", "", "", "", "", "", ""],
    ]
    upload(client, county.office, xlsx(rows))

    job = ImportJob.objects.get()
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (4, "统一社会信用代码"),
        (5, "企业名称"),
    ]
    assert "与第 2 行的统一社会信用代码相同" in job.errors[0]["message"]
    assert "与第 3 行的企业名称相同" in job.errors[1]["message"]
    assert Enterprise.objects.count() == 2


def test_an_export_imported_back_changes_nothing(county, townships, client):
    upload(client, county.office, xlsx(good_rows(county)))
    steel = Enterprise.objects.get(pk=county.steel.pk)
    ContactPerson.objects.create(enterprise=steel, name="赵六", mobile="13600000000")
    Enterprise.objects.filter(pk=county.poultry.pk).update(contact_phone="0791-8561 2345 转 8")
    # Two names the import would call one if typed anew: already both there, they stay.
    Enterprise.objects.create(name="进贤县文港笔庄(总店)", credit_code=valid_credit_code(70))
    Enterprise.objects.create(name="进贤县文港笔庄（总店）", credit_code=valid_credit_code(71))
    before = snapshot()

    export = client.get(reverse("analysis:register_export"))
    assert export.status_code == 200
    content = b"".join(export.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 6
    answer = upload(client, county.office, content, name="导出的名录.xlsx")

    job = ImportJob.objects.order_by("-pk").first()
    assert answer.status_code == 302 and job.status == "done", job.errors
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 5)
    assert snapshot() == before


def test_an_edited_export_updates_only_what_was_edited(county, townships, client):
    upload(client, county.office, xlsx(good_rows(county)))
    workbook = read(client.get(reverse("analysis:register_export")))
    sheet = workbook.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == county.steel.name)
    row[4].value = "中型"
    row[8].value = "王芳（副总经理）13912345678"  # renamed in place; 李强 is not removed
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(client, county.office, buffer.getvalue())

    job = ImportJob.objects.order_by("-pk").first()
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 1, 2)
    steel = Enterprise.objects.get(pk=county.steel.pk)
    assert steel.scale == Enterprise.Scale.MEDIUM
    assert {(p.name, p.position) for p in steel.people.all()} == {
        ("王芳", "副总经理"),
        ("李强", ""),
    }


def test_columns_left_out_leave_their_fields_alone(county, townships, client):
    Enterprise.objects.filter(pk=county.steel.pk).update(address="民和镇1号", contact_name="付")
    headers = ["统一社会信用代码", "企业名称（必填）", "企业规模"]
    upload(
        client,
        county.office,
        xlsx([[county.steel.credit_code, "江西进贤荣信钢构有限公司", "小型"]], headers=headers),
    )

    steel = Enterprise.objects.get(pk=county.steel.pk)
    assert ImportJob.objects.get().updated_count == 1
    assert (steel.name, steel.scale) == ("江西进贤荣信钢构有限公司", Enterprise.Scale.SMALL)
    assert (steel.address, steel.contact_name) == ("民和镇1号", "付")


def test_a_missing_required_column_is_named_beside_the_field(county, client):
    answer = upload(client, county.office, xlsx([["江西甲公司"]], headers=["企业名称"]))
    assert answer.status_code == 400
    assert "缺少必填列“统一社会信用代码”" in answer.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_template_has_the_columns_the_choices_and_one_example_row(county, townships, client):
    client.force_login(county.office)
    workbook = read(client.get(reverse("analysis:register_template")))

    assert workbook.sheetnames == ["企业名录", "选项", "填写说明"]
    sheet = workbook["企业名录"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 2
    example = [c.value for c in sheet[2]]
    assert example[1] == register.EXAMPLE_CODE
    assert example[1] == example[1][:17] + credit_code_check_character(example[1][:17])
    assert sheet.data_validations.dataValidation
    options = workbook["选项"]
    assert {options.cell(row=r, column=2).value for r in (2, 3)} == {"民和镇", "进贤经济技术开发区"}


def test_the_template_uploaded_as_it_is_imports_nothing(county, townships, client):
    client.force_login(county.office)
    template = b"".join(client.get(reverse("analysis:register_template")).streaming_content)
    upload(client, county.office, template)

    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "统一社会信用代码")]
    assert "示例行" in job.errors[0]["message"]
    assert Enterprise.objects.count() == 2


def test_only_the_office_imports_and_exports(county, client):
    for user in (county.dan, county.li, county.eva):
        assert upload(client, user, xlsx(good_rows(county))).status_code == 403
        client.force_login(user)
        for name in ("analysis:register_export", "analysis:register_template"):
            assert client.get(reverse(name)).status_code == 403
    assert ImportJob.objects.count() == 0


def test_the_import_page_shows_both_sections_and_a_refused_upload_beside_its_field(county, client):
    client.force_login(county.office)
    page = client.get(reverse("analysis:import")).content.decode()
    assert 'id="import-form"' in page and 'id="register-form"' in page
    assert reverse("analysis:register_export") in page and "名录中现有 2 家企业" in page
    answer = upload(client, county.office, b"name,code\n", name="名录.csv")
    assert answer.status_code == 400
    assert answer.context["register_form"].errors["file"][0].startswith("“名录.csv”不是有效的")
    assert not answer.context["form"].errors


def test_a_large_register_is_imported_by_a_worker(
    county, client, settings, django_capture_on_commit_callbacks
):
    settings.ANALYSIS_IMPORT_INLINE_ROWS = 2
    from config.celery_app import app

    rows = [[f"江西第{i}号企业有限公司", valid_credit_code(100 + i)] for i in range(60)]
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            answer = upload(
                client, county.office, xlsx(rows, headers=HEADERS[:2]), name="名录.xlsx"
            )
        job = ImportJob.objects.get()
        assert job.status == "pending" and job.total_rows == 60
        assert (
            reverse("analysis:import_progress", args=[job.pk])
            in client.get(answer["Location"]).content.decode()
        )
        for callback in callbacks:
            callback()
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 60)
    assert Enterprise.objects.count() == 62


def test_a_worker_that_dies_marks_the_register_job_failed(county):
    from analysis import tasks

    job = ImportJob.objects.create(
        kind=ImportJob.Kind.REGISTER,
        created_by=county.office,
        file="analysis/imports/x.xlsx",
        filename="x.xlsx",
        sha256="0" * 64,
    )
    tasks.import_register.on_failure(TimeoutError("time limit"), "task-id", (job.pk,), {}, None)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "time limit" in job.errors[0]["message"]
