"""考核 and 奖惩 (issue 19), walked in Chromium on the spring of 2021 (tests/analysis/conftest.py):
the office, on a 1,024 px laptop, reads Q2's ranking within each group, saves a new version of the
rules (an unrated reply counts as satisfied after five working days), issues a bulletin praising
县工信局 and finds it on this year's evaluation; Dan of 县工信局 finds it on his page; Li, a task
force's leader, reads the ranking on a 390 px phone, and the office reads both pages there too.
axe-core checks each page as it is shown, and every page must fit its width."""

from __future__ import annotations

from analysis.evaluation import department_evaluation
from analysis.models import EvaluationRules
from analysis.periods import quarter
from cases.bulletins import bulletin_number
from cases.models import Bulletin, Case
from tests.analysis.conftest import spring  # noqa: F401  (the story the pages show)
from tests.browser.conftest import PHONE_390, fits, login, screenshot
from tests.browser.test_accessibility import axe_violations, with_axe

LAPTOP = {"width": 1024, "height": 800}
TITLE = "关于表扬县工信局一周内解决企业用电难题的通报"


def page_for(open_browser, viewport):
    page = open_browser(viewport=viewport)
    with_axe(page.context)
    return page


def checked(page, name: str) -> None:
    """The page fits its width, axe finds nothing serious, and a screenshot is kept."""
    assert fits(page), page.url
    assert axe_violations(page) == [], (page.url, axe_violations(page))
    screenshot(page, name)


def test_the_office_scores_by_its_rules_and_issues_a_bulletin(spring, open_browser):  # noqa: F811
    county = spring.county
    office = page_for(open_browser, LAPTOP)
    login(office, "office")

    # --- Q2 2021, ranked within each group by the default rules -----------------------------
    office.goto("/analysis/evaluation/?period=2021Q2")
    gxj = office.locator(f"#dept-{county.gxj.pk}")
    assert gxj.locator('[data-figure="rank"]').inner_text() == "1"
    # The live server counts at the real present: what the evaluation itself scores now.
    rows = {
        r.department: r for r in department_evaluation(Case.objects.all(), quarter(2021, 2)).rows
    }
    assert gxj.locator('[data-figure="score"]').inner_text() == f"{rows[county.gxj].score:.1f}"
    assert gxj.locator('[data-figure="resolve_rate"]').inner_text() == "2/2 100.0%"
    rsj = office.locator(f"#dept-{county.rsj.pk}")
    assert "不足5件" in rsj.locator('[data-figure="rank"]').inner_text()
    assert office.locator("#group-township").is_visible()
    assert office.locator("#group-vertical").is_visible()
    assert "按系统默认的考核规则计分" in office.locator("#rules-in-use").inner_text()
    checked(office, "evaluation-office-laptop")

    # --- a new version of the rules ----------------------------------------------------------
    office.locator("#rules-link").click()
    office.wait_for_url("**/analysis/evaluation/rules/")
    assert office.locator("#no-rules").is_visible()
    checked(office, "evaluation-rules-laptop")
    office.select_option("#id_unrated", "satisfied")
    office.fill("#id_unrated_days", "5")
    office.fill("#id_weight_contact", "30")  # 110 in all: refused
    office.fill("#id_note", "试行：未评价满5个工作日视为满意")
    office.locator("#save-rules").click()
    assert "五项权重之和须为 100（现为 110）" in office.locator("#rules-form").inner_text()
    assert not EvaluationRules.objects.exists()
    office.fill("#id_weight_contact", "20")
    office.locator("#save-rules").click()
    office.wait_for_load_state("networkidle")
    saved = EvaluationRules.objects.get()
    assert (saved.unrated, saved.unrated_days) == ("satisfied", 5)
    history = office.locator("#rules-history").inner_text()
    assert "现行" in history and "试行：未评价满5个工作日视为满意" in history
    checked(office, "evaluation-rules-saved-laptop")

    # --- 奖惩: a bulletin praising 县工信局 --------------------------------------------------
    office.goto("/office/bulletins/")
    assert office.locator("#no-bulletins").is_visible()
    office.locator("#new-bulletin").click()
    office.wait_for_url("**/office/bulletins/new/")
    office.select_option("#id_kind", "praise")
    office.select_option("#id_department", str(county.gxj.pk))
    office.fill("#id_title", TITLE)
    office.fill(
        "#id_text", "县工信局接到交办后当即上门对接，一周内协调增设变压器。\n特予通报表扬。"
    )
    office.fill("#id_numbers", spring.A.number)
    checked(office, "rewards-bulletin-form-laptop")
    office.locator("#issue-bulletin").click()
    office.wait_for_url("**/office/bulletins/*/")
    bulletin = Bulletin.objects.get()
    number = bulletin_number(bulletin)
    assert number in office.locator("#bulletin-number").inner_text()
    assert spring.A.number in office.locator("#bulletin-cases").inner_text()
    checked(office, "rewards-bulletin-paper-laptop")
    office.goto("/analysis/evaluation/")  # this year's: the bulletin was issued today
    section = office.locator("#period-bulletins").inner_text()
    assert TITLE in section and number in section
    assert "按 " in office.locator("#rules-in-use").inner_text()

    # --- Dan of 县工信局 finds it on his own page ----------------------------------------------
    dan = page_for(open_browser, LAPTOP)
    login(dan, "dan")
    dan.goto("/dept/")
    assert TITLE in dan.locator("#bulletins").inner_text()
    checked(dan, "rewards-bulletin-department-laptop")


def test_the_ranking_reads_on_a_phone(spring, open_browser):  # noqa: F811
    li = page_for(open_browser, PHONE_390)
    login(li, "li")
    li.goto("/analysis/evaluation/?period=2021Q2")
    assert li.locator(f"#dept-{spring.county.gxj.pk}").count() == 1
    assert li.locator("#export-evaluation").count() == 0 and li.locator("#rules-link").count() == 0
    checked(li, "evaluation-leader-phone")

    office = page_for(open_browser, PHONE_390)
    login(office, "office")
    office.goto("/analysis/evaluation/?period=2021Q2")
    checked(office, "evaluation-office-phone")
    office.goto("/analysis/evaluation/rules/")
    checked(office, "evaluation-rules-phone")
    office.goto("/office/bulletins/new/")
    checked(office, "rewards-bulletin-form-phone")
