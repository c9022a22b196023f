"""The 月报/季报 and the 工作简报 as Word files: opened again with python-docx, they carry the title,
the period, the very figures the analysis computes for it, the charts as pictures (or, with no
Chinese font on the machine, the charts' numbers as tables) and the office's own text."""

import io
import time

import pytest
from django.urls import reverse
from docx import Document

from analysis import drawing, evaluation, periods
from analysis.charts import Chart
from analysis.templatetags.analysis_tags import pct, score
from cases.models import Case, Rating
from taskforces.models import CountyLeader
from tests.analysis.conftest import NOW, frozen
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAY = periods.month(2021, 5)


def download(client, user, name, params=None, *, post=False):
    client.force_login(user)
    with frozen(NOW):
        send = client.post if post else client.get
        return send(reverse(name), params or {})


def opened(answer):
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"] == DOCX
    assert "attachment" in answer["Content-Disposition"]
    return Document(io.BytesIO(answer.content))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def table_with(document, first_header: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_header)


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


# --- the period report ---------------------------------------------------------------------------


def test_the_report_downloads_as_word_with_the_title_the_period_and_the_pages_figures(
    spring, client, settings
):
    settings.COUNTY_NAME = "别的县"  # the office's own county heads it (issue 22), not the setting
    answer = download(client, spring.county.office, "analysis:report_word", {"period": "2021-05"})
    assert "2021%E5%B9%B45%E6%9C%88.docx" in answer["Content-Disposition"]  # …_2021年5月.docx
    document = opened(answer)
    lines = texts(document)
    assert lines[0] == "进贤县“四进四问”企业问题办理情况报告"
    assert lines[1] == "2021年5月"
    # The page's own sentences (tests/analysis/test_pages.py checks the same on the page).
    assert "本期新发现问题 3 件，交办 3 件，销号 1 件。" in "".join(lines)
    assert "一、总体情况" in lines and "五、久拖未决的问题" in lines

    # The departments' table holds what the evaluation computes for May, row by row.
    with frozen(NOW):
        ranking = evaluation.department_evaluation(Case.objects.all(), MAY, now=NOW)
    expected = {
        r.department.name: [
            r.stats.assigned,
            pct(r.contact_rate),
            pct(r.reply_rate),
            r.stats.overdue,
            r.stats.returns,
            r.reopens,
            pct(r.satisfaction_rate),
            score(r.score),
        ]
        for r in ranking.rows
        if r.rank or r.stats.assigned or r.stats.overdue
    }
    shown = {row[1]: row[2:] for row in rows_of(table_with(document, "排名"))}
    assert shown == {name: [str(value) for value in values] for name, values in expected.items()}
    # By hand (tests/analysis/conftest.py): in May 工信局 was assigned C and E; C and D are
    # overdue now (overdue is counted at this moment, whatever the period).
    assert shown["县工信局"][0] == "2" and shown["县工信局"][3] == "2"
    assert shown["县人社局"][0] == "1"  # G (E went back and on to 工信局)

    # The comparison with April, as on the page.
    compared = {row[0]: row[1:] for row in rows_of(table_with(document, ""))}
    assert compared["新发现问题"] == ["3", "2", "+1"]


def test_the_reports_charts_are_pictures_in_the_document(spring, client):
    if not drawing.can_draw():
        pytest.skip("no Chinese font on this machine (fonts-wqy-microhei)")
    document = opened(
        download(client, spring.county.office, "analysis:report_word", {"period": "2021-05"})
    )
    # The departments, then May's new problems by category, industry and township.
    assert len(document.inline_shapes) == 4
    captions = [line for line in texts(document) if line.startswith("图")]
    assert captions == [
        "图1　各部门交办、按时办结与逾期",
        "图2　本期新发现问题（按类别）",
        "图3　本期新发现问题（按行业）",
        "图4　本期新发现问题（按乡镇/园区）",
    ]
    pictures = [
        part for part in document.part.package.parts if part.partname.startswith("/word/media/")
    ]
    assert len(pictures) == 4
    assert all(
        p.content_type == "image/png" and p.blob[:8] == b"\x89PNG\r\n\x1a\n" for p in pictures
    )


def test_without_a_chinese_font_each_chart_is_a_table_of_its_numbers_with_a_note(
    spring, client, monkeypatch
):
    monkeypatch.setattr(drawing, "cjk_font", lambda: None)
    document = opened(
        download(client, spring.county.office, "analysis:report_word", {"period": "2021-05"})
    )
    assert len(document.inline_shapes) == 0
    lines = texts(document)
    assert sum("本机未安装中文字体" in line for line in lines) == 1  # said once
    assert "图2　本期新发现问题（按类别）" in lines
    by_township = rows_of(table_with(document, "乡镇/园区"))
    # May's new problems: C (李渡镇), E and G (民和镇); April's were A and B (民和镇).
    assert sorted(by_township) == [["李渡镇", "1", "0", "1"], ["民和镇", "2", "2", "0"]]


def test_a_chart_is_drawn_as_a_png_with_a_chinese_font(monkeypatch):
    if not drawing.can_draw():
        pytest.skip("no Chinese font on this machine (fonts-wqy-microhei)")
    chart = Chart(
        id="t",
        title="测试",
        kind="hbar",
        categories=["用电用能", "用工人才"],
        series=[{"name": "本期", "data": [3, 1], "state": "submitted"}],
        headers=["类别", "本期"],
        rows=[["用电用能", 3], ["用工人才", 1]],
    )
    picture = drawing.png(chart)
    assert picture[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(drawing, "cjk_font", lambda: None)
    with pytest.raises(LookupError):
        drawing.png(chart)


def test_the_font_finder_prefers_the_known_chinese_fonts():
    assert drawing._rank("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc") == 0
    assert drawing._rank("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") == 2
    assert drawing._rank("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") == len(
        drawing.PREFERRED_FONTS
    )
    assert not drawing._covers("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    assert not drawing._covers("/no/such/font.ttf")


def test_a_quarters_report_with_its_charts_is_written_in_seconds(spring, client):
    client.force_login(spring.county.office)
    download(client, spring.county.office, "analysis:report_word", {"period": "2021Q2"})  # warm
    started = time.perf_counter()
    opened(download(client, spring.county.office, "analysis:report_word", {"period": "2021Q2"}))
    assert time.perf_counter() - started < 10  # about 1.5 s on a quiet 2-core machine


def test_the_report_page_links_its_word_file_and_the_bulletin(spring, client):
    body = download(
        client, spring.county.office, "analysis:report", {"period": "2021Q2"}
    ).content.decode()
    word_url = reverse("analysis:report_word") + "?date_from=2021-04-01&amp;date_to=2021-06-30"
    assert f'href="{word_url}"' in body
    assert f'href="{reverse("analysis:bulletin")}?period=2021Q2"' in body


@pytest.mark.parametrize("name", ["analysis:report_word", "analysis:bulletin_word"])
def test_the_word_files_are_refused_to_everyone_but_the_office(spring, client, name):
    for user in (
        spring.county.li,
        spring.county.dan,
        spring.county.carl,
        spring.county.eva,
        spring.county.sam,
    ):
        assert download(client, user, name, {"period": "2021-05"}).status_code == 403, user


def test_a_period_that_cannot_be_read_is_a_400(spring, client):
    answer = download(client, spring.county.office, "analysis:report_word", {"period": "2021-13"})
    assert answer.status_code == 400


# --- the work bulletin ---------------------------------------------------------------------------


@pytest.fixture
def praised(spring):
    """A (closed 11 May) was rated 非常满意; its enterprise said why."""
    Rating.objects.filter(case=spring.A, level=Case.Rating.VERY_SATISFIED).update(
        comment="供电部门上门服务，三天解决了电压问题。"
    )
    return spring


def test_the_bulletin_carries_the_offices_text_the_figures_the_praised_case_and_the_ranking(
    praised, client, settings
):
    settings.ANALYSIS_RANK_MIN_ASSIGNED = 1
    settings.COUNTY_NAME = "别的县"  # the office's own county heads it (issue 22), not the setting
    answer = download(
        client,
        praised.county.office,
        "analysis:bulletin_word",
        {
            "period": "2021-05",
            "issue": "5",
            "text": "五月，各专班走访企业12家。\n\n下步将开展回访。",
        },
        post=True,
    )
    assert "2021%E5%B9%B45%E6%9C%88.docx" in answer["Content-Disposition"]
    lines = texts(opened(answer))
    assert lines[0] == "“四进四问”工作简报" and lines[1] == "第5期"
    assert lines[2].startswith("进贤县“四进四问”工作领导小组办公室")
    assert lines[2].endswith("2021年6月15日")
    assert lines[3] == "2021年5月企业问题办理情况"
    assert lines[4:6] == ["五月，各专班走访企业12家。", "下步将开展回访。"]
    body = "\n".join(lines)
    assert "本期新发现问题 3 件，交办 3 件，销号 1 件。" in body
    assert (
        f"（1）电压不稳，无法满负荷生产（{praised.county.steel.name}，{praised.A.number}）："
        "县工信局牵头办理，"
        "2021年5月11日销号。企业评价：“供电部门上门服务，三天解决了电压问题。”"
    ) in body
    with frozen(NOW):
        ranking = evaluation.department_evaluation(Case.objects.all(), MAY, now=NOW)
    best, worst = ranking.red[0], ranking.black[0]
    assert (
        f"综合得分靠前的部门（红榜）：{best.department.name}（得分 {score(best.score)}）。" in body
    )
    assert f"综合得分靠后的部门（黑榜）：{worst.department.name}" in body


def test_a_bulletin_without_praise_or_ranking_says_so(spring, client):
    lines = texts(
        opened(
            download(client, spring.county.office, "analysis:bulletin_word", {"period": "2021-04"})
        )
    )
    assert "第" not in lines[1]  # no issue number asked for: none printed
    assert "本期没有企业评价为“非常满意”的销号问题。" in lines
    assert "本期参与排名的部门不足，暂不列出红黑榜。" in lines


def test_the_bulletin_page_shows_the_same_bulletin_before_the_download(praised, client):
    answer = download(
        client,
        praised.county.office,
        "analysis:bulletin",
        {"period": "2021-05", "issue": "5", "text": "五月，各专班走访企业12家。"},
        post=True,
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'id="bulletin-issue">第5期<' in body
    assert '<p class="indent">五月，各专班走访企业12家。</p>' in body
    assert "供电部门上门服务，三天解决了电压问题。" in body
    assert 'formaction="/analysis/bulletin/word/"' in body
    # A first look from the report's link: the period chosen, no text yet.
    answer = download(client, praised.county.office, "analysis:bulletin", {"period": "2021Q2"})
    assert answer.status_code == 200
    assert '<option value="2021Q2" selected>2021年第2季度</option>' in answer.content.decode()


def test_a_bulletin_form_that_cannot_be_read_is_shown_again_with_its_errors(spring, client):
    too_long = "字" * 3001
    for name in ("analysis:bulletin", "analysis:bulletin_word"):
        answer = download(
            client,
            spring.county.office,
            name,
            {"period": "2021-05", "text": too_long, "issue": "0"},
            post=True,
        )
        assert answer.status_code == 400
        body = answer.content.decode()
        assert 'id="bulletin-form"' in body and "invalid-feedback" in body


def test_the_bulletin_is_the_offices_alone(spring, client):
    for user in (spring.county.li, spring.county.dan, spring.county.eva, spring.county.sam):
        assert download(client, user, "analysis:bulletin").status_code == 403, user


def test_the_county_leadership_reads_the_report_and_its_word_file_but_writes_no_bulletin(
    spring, client
):
    magistrate = make_user("magistrate")
    CountyLeader.objects.create(user=magistrate, title=CountyLeader.Title.MAGISTRATE)
    page = download(client, magistrate, "analysis:report", {"period": "2021-05"})
    assert page.status_code == 200 and 'id="report-word"' in page.content.decode()
    assert 'id="report-bulletin"' not in page.content.decode()
    document = opened(download(client, magistrate, "analysis:report_word", {"period": "2021-05"}))
    assert texts(document)[1] == "2021年5月"
    assert download(client, magistrate, "analysis:bulletin").status_code == 403
