"""Importing a batch of problems from Excel: all rows or none, every error by row and column,
and never twice the same problem."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from analysis import imports
from analysis.models import ImportedRow, ImportJob
from cases import workflow
from cases.models import Case, CaseEvent
from tests.analysis.conftest import CHINA
from tests.crafted import with_shared_strings

pytestmark = pytest.mark.django_db

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "问题标题",
    "问题描述",
    "问题类别",
    "牵头部门",
    "交办日期",
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


def upload(client, user, content: bytes, name="第一批问题.xlsx", batch="第一批"):
    client.force_login(user)
    return client.post(
        reverse("analysis:import"),
        {"file": SimpleUploadedFile(name, content), "batch": batch},
    )


def good_rows(county):
    return [
        [
            county.steel.name,
            "",
            "电压不稳，无法满负荷生产",
            "用电高峰设备跳闸",
            "用电用能",
            "国网进贤县供电公司",
            dt.date(2021, 4, 22),
        ],
        ["", county.poultry.credit_code, "电费偏高", "", "用电用能", "", None],
        [
            county.poultry.name,
            county.poultry.credit_code,
            "缺少熟练工人",
            "",
            "用工人才",
            "县人社局",
            "2021-05-06",
        ],
    ]


def test_a_good_file_is_imported_whole_through_the_workflow(county, client):
    answer = upload(client, county.office, xlsx(good_rows(county)))
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "analysis:import_job", args=[job.pk]
    )
    assert (job.status, job.created_count, job.skipped_count, job.total_rows) == ("done", 3, 0, 3)
    cases = {c.title: c for c in Case.objects.all()}
    voltage = cases["电压不稳，无法满负荷生产"]
    assert voltage.source == Case.Source.IMPORT and voltage.batch == "第一批"
    assert voltage.status == Case.Status.ASSIGNED and voltage.lead_department == county.power
    # assigned Thursday 22 April 2021: contact due Monday 26th, Sunday 25th being a working day.
    assert voltage.contact_due_at == dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)
    assert voltage.assigned_at.date() == dt.date(2021, 4, 22)
    assert (
        cases["电费偏高"].status == Case.Status.SUBMITTED
        and cases["电费偏高"].enterprise == county.poultry
    )
    assert cases["缺少熟练工人"].lead_department == county.rsj
    assert CaseEvent.objects.filter(case=voltage, kind=CaseEvent.Kind.ASSIGNED).exists()
    page = client.get(answer["Location"]).content.decode()
    assert 'id="import-done"' in page and voltage.number in page


def test_the_same_file_imported_twice_creates_nothing_the_second_time(county, client):
    content = xlsx(good_rows(county))
    upload(client, county.office, content)
    upload(client, county.office, content, batch="第二批")
    first, second = ImportJob.objects.order_by("pk")
    assert (second.status, second.created_count, second.skipped_count) == ("done", 0, 3)
    assert Case.objects.count() == 3 and ImportedRow.objects.count() == 3
    assert set(Case.objects.values_list("batch", flat=True)) == {"第一批"}


def test_a_later_file_repeating_some_rows_imports_only_the_new_ones(county, client):
    upload(client, county.office, xlsx(good_rows(county)[:1]))
    upload(client, county.office, xlsx(good_rows(county)))
    latest = ImportJob.objects.order_by("-pk").first()
    assert (latest.created_count, latest.skipped_count) == (2, 1)
    assert Case.objects.count() == 3


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(county, client):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    rows = good_rows(county) + [
        ["不存在的公司", "", "道路不通", "", "道路交通", "", None],  # row 5: enterprise, category
        [county.steel.name, "", "", "", "用电用能", "", None],  # row 6: no title
        [county.steel.name, "", "要电", "", "用电用能", "县工信局", tomorrow],  # row 7: future
        [county.steel.name, "", "要人", "", "用工人才", "", "2021-04-22"],  # row 8: date, no dept
        ["", "123", "要钱", "", "用电用能", "", None],  # row 9: malformed code
        [county.steel.name, county.poultry.credit_code, "要地", "", "用电用能", "", None],  # row 10
        [county.steel.name, "", "要路", "", "用电用能", "县委办", None],  # row 11: office leads
        [county.steel.name, "", "要水", "", "用电用能", "县水利局", "四月"],  # row 12: two errors
    ]
    answer = upload(client, county.office, xlsx(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (5, "企业名称"),
        (5, "问题类别"),
        (6, "问题标题"),
        (7, "交办日期"),
        (8, "交办日期"),
        (9, "统一社会信用代码"),
        (10, "统一社会信用代码"),
        (11, "牵头部门"),
        (12, "牵头部门"),
        (12, "交办日期"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "不能晚于今天" in messages[(7, "交办日期")]
    assert "不存在的公司" in messages[(5, "企业名称")]
    assert Case.objects.count() == 0 and ImportedRow.objects.count() == 0
    page = client.get(answer["Location"]).content.decode()
    assert "未导入任何问题" in page and page.count('class="import-error"') == len(found)
    assert 'data-row="12" data-column="交办日期"' in page


def test_the_errors_download_as_a_workbook(county, client):
    upload(
        client, county.office, xlsx([["不存在的公司", "", "道路不通", "", "用电用能", "", None]])
    )
    job = ImportJob.objects.get()
    answer = client.get(reverse("analysis:import_errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["行号", "列", "填写的内容", "问题"]
    assert sheet["A2"].value == 2 and sheet["B2"].value == "企业名称"


def test_the_same_problem_twice_in_one_file_is_an_error(county, client):
    row = good_rows(county)[1]
    upload(client, county.office, xlsx([row, row]))
    job = ImportJob.objects.get()
    assert job.status == "invalid" and [(e["row"], e["column"]) for e in job.errors] == [
        (3, "问题标题")
    ]
    assert "第 2 行" in job.errors[0]["message"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name,title\n\xe8\x8d\xa3\xe4\xbf\xa1,\xe7\x94\xb5\n", "不是有效的 Excel"),
        (b"PK\x03\x04 not really a zip", "不是有效的 Excel"),
        (b"", "不是有效的 Excel"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused_next_to_the_field(county, client, content, message):
    answer = upload(client, county.office, content or b" ", name="问题.xlsx")
    assert answer.status_code == 400 and message in answer.content.decode()
    assert ImportJob.objects.count() == 0 and Case.objects.count() == 0


def test_a_zip_that_is_no_workbook_is_refused(county, client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    answer = upload(client, county.office, buffer.getvalue())
    assert answer.status_code == 400 and "不是有效的 Excel" in answer.content.decode()


def test_a_missing_column_is_named(county, client):
    headers = ["企业名称", "问题描述", "问题类别"]
    answer = upload(
        client, county.office, xlsx([[county.steel.name, "x", "用电用能"]], headers=headers)
    )
    assert answer.status_code == 400
    assert "缺少必填列“问题标题”" in answer.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_50_mb_file_is_refused_before_anything_is_read_into_the_database(county, client):
    answer = upload(client, county.office, b"PK\x03\x04" + b"0" * (50 * 1024 * 1024))
    assert answer.status_code == 400
    assert "超过了 10 MB 的上限" in answer.content.decode()
    assert ImportJob.objects.count() == 0


def test_headers_may_carry_notes_and_the_optional_columns_may_be_left_out(county, client):
    headers = ["统一社会信用代码（必填其一）", "问题标题*", "问题类别（必填）"]
    upload(
        client,
        county.office,
        xlsx([[county.steel.credit_code, "用地指标不足", "用电用能"]], headers=headers),
    )
    assert (
        ImportJob.objects.get().status == "done" and Case.objects.get().enterprise == county.steel
    )


def test_only_the_office_imports(county, client):
    for user in (county.dan, county.li, county.eva):
        assert upload(client, user, xlsx(good_rows(county))).status_code == 403
    assert ImportJob.objects.count() == 0


def test_a_failure_while_writing_rolls_every_row_back(county, client, monkeypatch):
    real = workflow.case_assign
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError({"lead_department": "该部门已撤销。"})
        return real(**kwargs)

    monkeypatch.setattr(workflow, "case_assign", flaky)
    upload(client, county.office, xlsx(good_rows(county)))
    job = ImportJob.objects.get()
    assert job.status == "invalid" and job.errors[0]["row"] == 4
    assert "该部门已撤销" in job.errors[0]["message"]
    assert Case.objects.count() == 0 and ImportedRow.objects.count() == 0


def test_a_large_file_is_imported_by_a_worker_with_progress(
    county, client, settings, django_capture_on_commit_callbacks
):
    settings.ANALYSIS_IMPORT_INLINE_ROWS = 2
    from config.celery_app import app

    rows = [[county.steel.name, "", f"问题{i}", "", "用电用能", "", None] for i in range(120)]
    content = xlsx(rows)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            answer = upload(client, county.office, content)
        job = ImportJob.objects.get()
        assert job.status == "pending" and job.total_rows == 120
        page = client.get(answer["Location"]).content.decode()
        assert reverse("analysis:import_progress", args=[job.pk]) in page
        assert 'hx-trigger="every 1s"' in page
        for callback in callbacks:
            callback()
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 120)
    assert client.get(reverse("analysis:import_progress", args=[job.pk]))["HX-Refresh"] == "true"


def test_progress_is_reported_while_rows_are_checked_and_written(county):
    reports = []
    rows = [
        (i + 2, {"enterprise_name": county.steel.name, "title": f"问题{i}", "category": "用电用能"})
        for i in range(120)
    ]

    class Sheet:
        headers = {}

    sheet = Sheet()
    sheet.rows = iter(rows)
    from django.utils import timezone

    plan = imports.import_plan(
        sheet,
        now=timezone.now(),
        county_id=county.steel.county_id,
        progress=lambda d, t: reports.append((d, t)),
    )
    assert not plan.errors and len(plan.rows) == 120
    assert reports == [(50, 120), (100, 120)]


def test_a_job_is_run_once_even_if_its_task_is_delivered_twice(county, client):
    upload(client, county.office, xlsx(good_rows(county)))
    job = ImportJob.objects.get()
    again = imports.import_job_run(job_id=job.pk)
    assert again.status == "done" and Case.objects.count() == 3


def test_the_template_offers_the_columns_and_the_choices(county, client):
    client.force_login(county.office)
    answer = client.get(reverse("analysis:import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert workbook.sheetnames == ["问题清单", "选项", "填写说明"]
    assert [c.value for c in workbook["问题清单"][1]] == HEADERS
    options = workbook["选项"]
    assert {options.cell(row=r, column=1).value for r in range(2, 4)} == {"用电用能", "用工人才"}
    assert "县委办" not in {options.cell(row=r, column=2).value for r in range(2, 10)}
    assert workbook["问题清单"].data_validations.dataValidation
    assert workbook["问题清单"].max_row == 1  # no example row to import by mistake


def test_a_worker_that_dies_marks_the_job_failed_so_the_page_stops_waiting(county, client):
    from analysis import tasks

    job = ImportJob.objects.create(
        created_by=county.office, file="analysis/imports/x.xlsx", filename="x.xlsx", sha256="0" * 64
    )
    tasks.import_problems.on_failure(TimeoutError("time limit"), "task-id", (job.pk,), {}, None)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "time limit" in job.errors[0]["message"]


# --- files that unpack to far more than they weigh ------------------------------------------------


def test_a_small_file_that_unpacks_to_60_mb_is_refused_before_openpyxl_reads_it(
    county, client, monkeypatch
):
    from analysis import excel

    opened = []
    monkeypatch.setattr(excel, "load_workbook", lambda *a, **k: opened.append(a))
    content = with_shared_strings(xlsx(good_rows(county)), 60 * 1024 * 1024)
    assert len(content) < 200 * 1024

    answer = upload(client, county.office, content)

    assert answer.status_code == 400
    [error] = answer.context["form"].errors["file"]
    assert error.startswith("“第一批问题.xlsx”解压后有 60.")
    assert "超过了 50 MB 的上限" in error
    assert opened == []
    assert ImportJob.objects.count() == 0 and Case.objects.count() == 0


def test_the_unpacked_cap_is_a_setting_and_a_file_within_it_imports(county, client, settings):
    settings.ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    answer = upload(client, county.office, with_shared_strings(xlsx(good_rows(county)), 2 << 20))
    assert "超过了 1 MB 的上限" in answer.content.decode()
    answer = upload(client, county.office, with_shared_strings(xlsx(good_rows(county)), 512 << 10))
    assert answer.status_code == 302 and Case.objects.count() == 3


def test_the_worker_checks_the_stored_file_again_and_names_it(county, settings):
    from cases.roles import actor_for

    job = imports.import_job_create(
        actor=actor_for(county.office),
        upload=SimpleUploadedFile("四月问题.xlsx", xlsx(good_rows(county))),
    )
    settings.ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024  # lowered while the job waited
    job = imports.import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.INVALID and Case.objects.count() == 0
    assert job.errors[0]["message"].startswith("“四月问题.xlsx”解压后有 ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,title\n", "“问题.xlsx”不是有效的 Excel 工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "“问题.xlsx”是旧版 Excel 文件（.xls）"),
    ],
    ids=["text", "an old .xls or a password-protected workbook"],
)
def test_a_file_that_is_no_zip_at_all_is_refused_by_name(county, client, content, message):
    answer = upload(client, county.office, content, name="问题.xlsx")
    assert answer.status_code == 400 and message in answer.context["form"].errors["file"][0]
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    "value", [dt.datetime(1900, 5, 1, 9, 30), dt.date(1999, 12, 31), "1900-05-01"]
)
def test_an_assignment_date_outside_the_product_range_is_refused_at_the_check(value):
    from analysis.imports import _parse_day
    from cases.workdays import CHINA

    moment, message = _parse_day(value, dt.datetime(2026, 12, 3, 12, tzinfo=CHINA))

    assert moment is None
    assert "2000" in message and "2099" in message
