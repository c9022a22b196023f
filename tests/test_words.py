"""Issue 17: the offices' own words — 问题总台账, 月报/季报 (not 期报), 标记已研究 (a button, not a
status), 同类问题, 审核 for returns and extensions — no developer words on user pages, and the
county's name in every letterhead (settings.COUNTY_NAME)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.models import Meeting
from cases.workdays import CHINA

pytestmark = pytest.mark.django_db

DEVELOPER_WORDS = re.compile(r"/api/|\bAPI\b|接口")


def nav(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def test_the_office_reads_its_own_words_in_the_navigation(client, county):
    client.force_login(county.office)
    html = client.get(reverse("office:decisions")).content.decode()
    assert "问题总台账" in nav(html) and ">审核<" in nav(html) and "审批" not in nav(html)
    assert "退回审核" in html and "延期审核" in html and "挂起审核" in html
    tabs = client.get(reverse("analysis:dashboard")).content.decode()
    tabs = tabs[tabs.index('id="analysis-tabs"') :].split("</nav>")[0]
    assert "月报/季报" in tabs and "期报" not in tabs.replace("月报/季报", "")


def test_no_user_page_template_speaks_of_the_api():
    offenders = []
    base = Path(settings.BASE_DIR)
    roots = [d for d in base.iterdir() if d.is_dir() and not d.name.startswith((".", "var"))]
    for template in (t for root in roots for t in root.rglob("templates/**/*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if DEVELOPER_WORDS.search(line):
                offenders.append(f"{template.relative_to(settings.BASE_DIR)}:{number}")
    assert not offenders, offenders


def test_the_evaluation_page_has_no_developer_text(client, county):
    client.force_login(county.office)
    html = client.get(reverse("analysis:evaluation")).content.decode()
    assert not DEVELOPER_WORDS.search(html[html.index("<main") :])


def rename_county(county, name: str) -> None:
    """The county's own name (issue 22) heads its papers, whatever COUNTY_NAME says."""
    place = county.steel.county
    place.name = name
    place.save()


def test_the_assignment_letter_carries_the_countys_name(client, county, settings):
    settings.COUNTY_NAME = "别的县"
    rename_county(county, "安义县")
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT,
        created_by=county.office,
        title="第一批问题交办会",
        held_on=dt.date(2021, 4, 22),
    )
    meeting.cases.add(county.assigned(assigned_at=dt.datetime(2021, 4, 22, 9, tzinfo=CHINA)))
    client.force_login(county.office)

    html = client.get(reverse("office:letter", args=[meeting.pk, county.gxj.pk])).content.decode()

    head = html[html.index('id="letter-head"') :].split("</h1>")[0]
    assert "安义县“四进四问”工作领导小组办公室" in head
    assert "安义县“四进四问”工作领导小组办公室" in html.split('id="letter-signed"')[1][:80]


def test_the_report_carries_the_countys_name(client, county, settings):
    settings.COUNTY_NAME = "别的县"
    rename_county(county, "安义县")
    client.force_login(county.office)
    html = client.get(reverse("analysis:report"), {"period": "2021-04"}).content.decode()
    assert "安义县“四进四问”企业问题办理情况报告" in html
    assert "安义县“四进四问”工作领导小组办公室 · 生成于" in html


def test_the_county_defaults_to_the_demo_county():
    from config import settings as project_settings

    assert project_settings.COUNTY_NAME == "进贤县"
