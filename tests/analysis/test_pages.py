"""The analysis pages: who may open them, what they show, and what each costs in queries."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from analysis.models import ExportJob
from tests.analysis.conftest import NOW, frozen

pytestmark = pytest.mark.django_db

OFFICE_ONLY = [
    "analysis:rules",
    "analysis:teams",
    "analysis:report",
    "analysis:import",
    "analysis:evaluation_export",
    "analysis:import_template",
]
RANKING = ["analysis:evaluation"]  # the county's ranking: leaders read it too
OVERVIEW = [
    "analysis:dashboard",
    "analysis:painpoints",
    "analysis:ledger",
    "analysis:painpoints_export",
]


def get(client, user, name, params=None):
    client.force_login(user)
    with frozen(NOW):
        return client.get(reverse(name), params or {})


@pytest.mark.parametrize("name", OFFICE_ONLY + RANKING + OVERVIEW)
def test_the_office_opens_every_analysis_page(spring, client, name):
    assert get(client, spring.county.office, name).status_code == 200


@pytest.mark.parametrize("name", OFFICE_ONLY)
def test_the_office_only_pages_refuse_everyone_else(spring, client, name):
    for user in (
        spring.county.li,
        spring.county.dan,
        spring.county.carl,
        spring.county.eva,
        spring.county.sam,
    ):
        assert get(client, user, name).status_code == 403, user


@pytest.mark.parametrize("name", RANKING + OVERVIEW)
def test_county_leaders_open_the_overview_and_others_are_refused(spring, client, name):
    assert get(client, spring.county.li, name).status_code == 200
    for user in (spring.county.dan, spring.county.carl, spring.county.eva, spring.county.sam):
        assert get(client, user, name).status_code == 403, user


def test_signed_out_visitors_are_sent_to_sign_in(client):
    answer = client.get(reverse("analysis:dashboard"))
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_navbar_links_the_dashboard_and_the_evaluation_for_the_office(spring, client):
    body = get(client, spring.county.office, "analysis:dashboard").content.decode()
    assert f'href="{reverse("analysis:dashboard")}"' in body
    assert f'href="{reverse("analysis:evaluation")}"' in body
    assert f'href="{reverse("office:bulletins")}"' in body
    # A task force's leader reads the ranking, but the rules and the 奖惩 are the office's.
    body = get(client, spring.county.li, "analysis:dashboard").content.decode()
    assert f'href="{reverse("analysis:evaluation")}"' in body
    assert f'href="{reverse("analysis:rules")}"' not in body
    assert f'href="{reverse("office:bulletins")}"' not in body


def test_the_dashboard_shows_each_figure_and_a_table_beside_each_chart(spring, client):
    body = get(client, spring.county.office, "analysis:dashboard").content.decode()
    for figure, value in (
        ("total", 7),
        ("open", 6),
        ("overdue", 2),
        ("listed", 0),  # the ladder proposes two (C, D); the office listed none
        ("replied", 1),
        ("closed", 1),
    ):
        assert f'id="figure-{figure}">{value}<' in body
    for chart in (
        "trend",
        "by-category",
        "by-industry",
        "by-township",
        "by-taskforce",
        "contact-time",
        "reply-time",
    ):
        assert f'id="table-{chart}"' in body and f'data-chart="spec-{chart}"' in body
    assert "/static/vendor/echarts.min.js" in body and "cdn" not in body.lower()
    assert 'class="fs-5 timing-median">2<' in body  # contact: median 2 working days


def test_a_leader_sees_the_task_forces_share_on_the_dashboard(spring, client):
    body = get(client, spring.county.li, "analysis:dashboard").content.decode()
    assert 'id="figure-total">4<' in body and "桂柳家禽" not in body


@pytest.mark.parametrize(
    "name, user",
    [
        ("analysis:dashboard", "office"),
        ("analysis:dashboard", "li"),
        ("analysis:evaluation", "office"),
        ("analysis:teams", "office"),
        ("analysis:painpoints", "office"),
        ("analysis:report", "office"),
        ("analysis:ledger", "office"),
    ],
)
def test_each_page_costs_the_same_queries_for_few_and_many_cases(
    spring, client, django_assert_num_queries, name, user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    who = getattr(spring.county, user)
    params = {"period": "2021Q2"}
    get(client, who, name, params)  # warm up (session, sites)
    cache.clear()  # the dashboard computes its figures rather than read them from the snapshot
    with CaptureQueriesContext(connection) as few:
        assert get(client, who, name, params).status_code == 200
    for _ in range(6):
        with frozen(NOW):
            spring.county.replied(enterprise=spring.county.steel)
    cache.clear()
    with django_assert_num_queries(len(few)):
        get(client, who, name, params)


def test_the_evaluation_writes_the_definition_of_every_figure_under_the_table(
    spring, client, settings
):
    settings.ANALYSIS_RANK_MIN_ASSIGNED = 1
    body = get(
        client, spring.county.office, "analysis:evaluation", {"period": "2021Q2"}
    ).content.decode()
    assert 'id="definitions"' in body
    for term in ("按时对接率", "满意率", "申诉", "践诺率", "综合得分"):
        assert term in body
    assert (
        body.index('id="red-list"')
        < body.index('id="evaluation-table"')
        < body.index('id="definitions"')
    )


def test_a_bad_period_is_explained_next_to_the_field_and_the_default_is_shown(spring, client):
    answer = get(
        client,
        spring.county.office,
        "analysis:evaluation",
        {"date_from": "2021-06-30", "date_to": "2021-04-01"},
    )
    assert answer.status_code == 400
    assert "结束日期不能早于开始日期" in answer.content.decode()
    answer = get(client, spring.county.office, "analysis:evaluation", {"period": "soon"})
    assert "无法识别的期间" in answer.content.decode()


def test_the_evaluation_exports_to_excel_with_chinese_headers(spring, client):
    answer = get(client, spring.county.office, "analysis:evaluation_export", {"period": "2021Q2"})
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert workbook.sheetnames == ["部门考核", "专班", "结对干部"]
    sheet = workbook["部门考核"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["排名", "部门/单位", "交办"] and "满意率" in headers
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]}
    gxj = rows["县工信局"]
    assert gxj[headers.index("交办")] == 5
    assert gxj[headers.index("满意率")] == pytest.approx(2 / 3)
    assert gxj[headers.index("申诉成立（不计入）")] == 1


def test_the_pain_points_export_to_excel(spring, client):
    answer = get(client, spring.county.office, "analysis:painpoints_export", {"period": "2021Q2"})
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert workbook.sheetnames == ["高发领域", "类别×行业", "共性问题", "久拖未决", "环比变化"]
    assert [c.value for c in workbook["高发领域"][2]] == [
        "用电用能",
        "钢结构与建材",
        "民和镇",
        3,
        2,
    ]


def test_the_pain_points_page_shows_the_recurring_problem_and_the_change(spring, client):
    body = get(
        client, spring.county.office, "analysis:painpoints", {"period": "2021Q2"}
    ).content.decode()
    assert body.count('class="recurring-group"') == 2 and "电压不稳" in body
    body = get(
        client, spring.county.office, "analysis:painpoints", {"period": "2021-05"}
    ).content.decode()
    assert 'id="changes"' in body and "2021年4月" in body  # compared with the month before


def test_the_report_is_a_printable_page_for_the_chosen_month(spring, client):
    body = get(
        client, spring.county.office, "analysis:report", {"period": "2021-05"}
    ).content.decode()
    assert "2021年5月" in body and "@page" not in body  # the A4 rule lives in analysis.css
    assert "本期新发现问题 3 件，交办 3 件，销号 1 件" in body
    assert "analysis/analysis.css" in body


# --- the ledger ---------------------------------------------------------------------------------


def test_the_ledger_filters_the_visible_cases(spring, client):
    answer = get(client, spring.county.office, "analysis:ledger", {"overdue": "on"})
    shown = {c.pk for c in answer.context["page"].object_list}
    assert shown == {spring.C.pk, spring.D.pk}
    answer = get(client, spring.county.li, "analysis:ledger", {"q": "电"})
    assert {c.pk for c in answer.context["page"].object_list} == {
        spring.A.pk,
        spring.B.pk,
        spring.E.pk,
    }


def test_a_short_ledger_downloads_at_once_with_chinese_headers(spring, client):
    answer = get(client, spring.county.office, "analysis:ledger_export", {"status": "in_progress"})
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    sheet = workbook["问题台账"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["编号", "标题", "问题描述", "企业"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in rows) == sorted([spring.C.number, spring.E.number, spring.G.number])
    e = next(r for r in rows if r[0] == spring.E.number)
    assert e[headers.index("牵头部门")] == "县工信局" and e[headers.index("退回次数")] == 1
    assert e[headers.index("状态")] == "办理中"
    c = next(r for r in rows if r[0] == spring.C.number)
    assert c[headers.index("是否逾期")] == "是"


def test_a_long_ledger_becomes_a_background_job_only_its_owner_downloads(
    spring, client, settings, django_capture_on_commit_callbacks
):
    settings.ANALYSIS_EXPORT_INLINE_ROWS = 2
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery_app import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            answer = get(client, spring.county.li, "analysis:ledger_export")
    finally:
        app.conf.task_always_eager = False
    job = ExportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "analysis:export_job", args=[job.pk]
    )
    assert job.status == ExportJob.Status.DONE and job.total_rows == 4  # the leader's share
    page = client.get(answer["Location"]).content.decode()
    assert reverse("analysis:export_download", args=[job.pk]) in page
    download = client.get(reverse("analysis:export_download", args=[job.pk]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(download.streaming_content)))["问题台账"].iter_rows(
            min_row=2
        )
    )
    assert len(rows) == 4
    client.force_login(spring.county.office)
    assert client.get(reverse("analysis:export_download", args=[job.pk])).status_code == 404


def test_the_progress_of_a_running_export_is_polled_until_it_is_done(spring, client):
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.CASES,
        created_by=spring.county.office,
        total_rows=10,
        processed_rows=4,
        status=ExportJob.Status.RUNNING,
    )
    client.force_login(spring.county.office)
    fragment = client.get(reverse("analysis:export_progress", args=[job.pk]))
    assert (
        'hx-trigger="every 1s"' in fragment.content.decode() and "40%" in fragment.content.decode()
    )
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE)
    done = client.get(reverse("analysis:export_progress", args=[job.pk]))
    assert done["HX-Refresh"] == "true"


def test_a_title_that_looks_like_a_formula_stays_text_in_excel(county, client):
    from cases import intake

    intake.case_create(
        actor=county.office,
        enterprise=county.steel,
        title='=HYPERLINK("http://x","点我")',
        category=county.power_category,
    )
    client.force_login(county.office)
    answer = client.get(reverse("analysis:ledger_export"))
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    cell = workbook["问题台账"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_a_long_ledger_asked_for_while_the_broker_is_down_says_so_on_its_job(
    spring, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The broker (Redis) is outside the project: its refusal is what kombu raises."""
    from kombu.exceptions import OperationalError

    from analysis import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.ANALYSIS_EXPORT_INLINE_ROWS = 2
    monkeypatch.setattr(tasks.export_cases, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        answer = get(client, spring.county.li, "analysis:ledger_export")

    assert answer.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert "稍后重新提交" in job.error
    assert "稍后重新提交" in client.get(answer["Location"]).content.decode()
