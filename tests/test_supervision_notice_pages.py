"""督办单 pages: the office picks a department's cases on the 督办 board, issues the notice and
finds it in its list, printed on A4 and as a Word file; the department finds it in its workspace,
prints it and answers it once; any other department gets 404; the case page lists it.

荣信钢构's problems go to 县工信局 (Dan, its head Hu); Ren is 县人社局's clerk; Ou is the office
(tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cases import supervision_notices as notices
from cases.models import SupervisionNotice

pytestmark = pytest.mark.django_db

LONG_AGO = dict(assigned_at=timezone.now() - dt.timedelta(days=60))
TEXT = "请于五个工作日内上门对接企业，报送整改方案。"


def signed_in(client, user):
    client.force_login(user)
    return client


def issued(county, cases=None):
    return notices.supervision_notice_issue(
        actor=county.office,
        department=county.gxj,
        cases=cases or [county.assigned(**LONG_AGO)],
        text=TEXT,
    )


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- the office ----------------------------------------------------------------------------------


def test_the_board_of_one_department_lets_the_office_pick_cases(client, county):
    late = county.assigned(**LONG_AGO)
    office = signed_in(client, county.office)
    body = office.get(reverse("office:board")).content.decode()
    assert 'id="supervise-hint"' in body and 'id="supervise-form"' not in body

    body = office.get(reverse("office:board"), {"department": county.gxj.pk}).content.decode()
    assert f'action="{reverse("office:supervision_new")}"' in body
    assert f'name="department" value="{county.gxj.pk}"' in body
    assert f'name="case" value="{late.pk}" form="supervise-form"' in body


def test_the_office_issues_a_notice_from_the_cases_picked(client, county):
    picked, other = county.assigned(**LONG_AGO), county.assigned()
    county.assigned(lead_department=county.rsj)  # another department's: not offered
    office = signed_in(client, county.office)
    url = reverse("office:supervision_new") + f"?department={county.gxj.pk}&case={picked.pk}"

    form = office.get(url)
    assert form.status_code == 200
    offered = [row.case for row in form.context["offered"]]
    assert offered == [picked, other]  # the picked first, then the department's others
    assert f'value="{picked.pk}" checked' in form.content.decode()

    response = office.post(url, {"cases": [picked.pk], "text": TEXT, "reply_working_days": 5})
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("office:supervision_notice", args=[notice.pk])
    assert list(notice.cases.all()) == [picked] and notice.department == county.gxj

    page = office.get(response["Location"], follow=True).content.decode()
    number = notices.notice_number(notice)
    assert number in page and "已通知县工信局" in page and picked.number in page
    assert TEXT in page and 'data-state="waiting"' in page


def test_a_notice_without_cases_or_text_is_shown_again_with_the_errors(client, county):
    county.assigned()
    office = signed_in(client, county.office)
    url = reverse("office:supervision_new") + f"?department={county.gxj.pk}"
    response = office.post(url, {"text": "", "reply_working_days": 40})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请至少选择一件问题。" in body and 'id="notice-cases-error"' in body
    assert not SupervisionNotice.objects.exists()


def test_a_case_of_another_department_cannot_be_slipped_in(client, county):
    theirs = county.assigned(lead_department=county.rsj)
    county.assigned()
    office = signed_in(client, county.office)
    url = reverse("office:supervision_new") + f"?department={county.gxj.pk}"
    response = office.post(url, {"cases": [theirs.pk], "text": TEXT, "reply_working_days": 5})
    assert response.status_code == 400
    assert not SupervisionNotice.objects.exists()


def test_without_a_department_the_office_picks_one_first(client, county):
    body = signed_in(client, county.office).get(reverse("office:supervision_new")).content
    body = body.decode()
    assert 'id="notice-department-form"' in body and county.gxj.name in body
    assert county.office_dept.name not in body.split('id="notice-department-select"')[1]


def test_the_list_says_which_notices_are_answered_and_which_are_overdue(client, county):
    waiting = issued(county)
    late = issued(county)
    SupervisionNotice.objects.filter(pk=late.pk).update(reply_by=dt.date(2021, 5, 6))
    answered = issued(county)
    notices.supervision_notice_answer(actor=county.dan, notice=answered, answer="已办结")
    office = signed_in(client, county.office)

    body = office.get(reverse("office:supervision_notices")).content.decode()
    for notice, state in ((waiting, "waiting"), (late, "overdue"), (answered, "answered")):
        row = body.split(f'id="notice-{notice.pk}"')[1].split("</a>")[0]
        assert notices.notice_number(notice) in row and f'data-state="{state}"' in row
        assert county.gxj.name in row
    overdue = office.get(reverse("office:supervision_notices"), {"state": "overdue"})
    assert list(overdue.context["page"].object_list) == [late]
    assert f'href="{reverse("office:supervision_notices")}"' in body  # in the navigation


def test_the_printed_notice_carries_the_letterhead_number_and_cases(client, county):
    first, second = county.assigned(**LONG_AGO), county.in_progress()
    notice = issued(county, [first, second])
    body = (
        signed_in(client, county.office)
        .get(reverse("office:supervision_print", args=[notice.pk]))
        .content.decode()
    )
    assert f"{settings.COUNTY_NAME}“四进四问”工作领导小组办公室" in body
    assert notices.notice_number(notice) in body and "县工信局：" in body
    for case in (first, second):
        assert case.number in body and case.title in body and case.enterprise.name in body
    assert "已逾期" in body and "对接期限" in body  # the first case's deadline as it stands
    assert TEXT in body and "书面回复" in body and "site/print.css" in body


def test_the_word_file_reads_back_with_the_number_and_every_case(client, county):
    first, second = county.assigned(**LONG_AGO), county.assigned()
    notice = issued(county, [first, second])
    response = signed_in(client, county.office).get(
        reverse("office:supervision_download", args=[notice.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert notices.notice_number(notice) in text
    assert first.number in text and second.number in text
    assert TEXT in text and "县工信局：" in text


@pytest.mark.parametrize("who", ["dan", "li", "eva"])
def test_the_office_pages_are_the_offices(client, county, who):
    notice = issued(county)
    visitor = signed_in(client, getattr(county, who))
    for name, args in [
        ("office:supervision_notices", []),
        ("office:supervision_new", []),
        ("office:supervision_notice", [notice.pk]),
        ("office:supervision_print", [notice.pk]),
        ("office:supervision_download", [notice.pk]),
    ]:
        assert visitor.get(reverse(name, args=args)).status_code == 403, name


# --- the department ------------------------------------------------------------------------------


def test_the_department_finds_the_notice_in_its_workspace_and_answers_it(client, county):
    notice = issued(county)
    dan = signed_in(client, county.dan)
    number = notices.notice_number(notice)

    inbox = dan.get(reverse("workspace:inbox")).content.decode()
    assert 'id="notices"' in inbox and number in inbox
    listed = dan.get(reverse("workspace:notices")).content.decode()
    assert number in listed and 'data-state="waiting"' in listed

    url = reverse("workspace:notice", args=[notice.pk])
    page = dan.get(url).content.decode()
    assert 'id="notice-answer-form"' in page and TEXT in page

    response = dan.post(url, {"answer": "已上门对接，整改方案见附件。"}, follow=True)
    assert response.redirect_chain[-1][0] == url
    body = response.content.decode()
    assert "书面回复已提交" in body and "已上门对接，整改方案见附件。" in body
    assert 'id="notice-answer-form"' not in body
    notice.refresh_from_db()
    assert notice.answered_by == county.dan
    assert 'id="notices"' not in dan.get(reverse("workspace:inbox")).content.decode()

    again = dan.post(url, {"answer": "改一下"}, follow=True).content.decode()
    assert "这份督办单已经回复。" in again
    notice.refresh_from_db()
    assert notice.answer == "已上门对接，整改方案见附件。"


def test_an_empty_answer_is_shown_again_naming_the_field(client, county):
    notice = issued(county)
    response = signed_in(client, county.dan).post(
        reverse("workspace:notice", args=[notice.pk]), {"answer": "   "}
    )
    assert response.status_code == 400
    assert "请填写书面回复：说明督办事项的落实情况。" in response.content.decode()
    notice.refresh_from_db()
    assert not notice.answered


def test_the_department_prints_and_downloads_its_notice(client, county):
    notice = issued(county)
    dan = signed_in(client, county.dan)
    printed = dan.get(reverse("workspace:notice_print", args=[notice.pk])).content.decode()
    assert notices.notice_number(notice) in printed and 'id="notice-paper"' in printed
    download = dan.get(reverse("workspace:notice_download", args=[notice.pk]))
    assert notices.notice_number(notice) in docx_text(download.content)


def test_another_department_gets_404(client, county):
    notice = issued(county)
    ren = signed_in(client, county.ren)
    for name in ("workspace:notice", "workspace:notice_print", "workspace:notice_download"):
        assert ren.get(reverse(name, args=[notice.pk])).status_code == 404, name
    assert (
        ren.post(reverse("workspace:notice", args=[notice.pk]), {"answer": "x"}).status_code == 404
    )
    assert (
        notices.notice_number(notice) not in ren.get(reverse("workspace:notices")).content.decode()
    )
    notice.refresh_from_db()
    assert not notice.answered


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_lists_the_notices_for_the_office_and_the_department(client, county):
    case = county.assigned(**LONG_AGO)
    notice = issued(county, [case])
    number = notices.notice_number(notice)
    url = reverse("case_detail", args=[case.pk])

    office = signed_in(client, county.office).get(url).content.decode()
    assert 'id="supervision-notices"' in office
    assert f'href="{reverse("office:supervision_notice", args=[notice.pk])}">{number}' in office
    dan = signed_in(client, county.dan).get(url).content.decode()
    assert f'href="{reverse("workspace:notice", args=[notice.pk])}">{number}' in dan
    eva = signed_in(client, county.eva).get(url).content.decode()
    assert number not in eva  # the enterprise never sees the notice, nor its timeline event


HOSTILE = ["\x00", "第一行\r\nBcc: evil@example.org", "x" * 10_000, "", "abc", "-1", "0"]
HOSTILE += ["99999999999999999999999", "2026-02-30"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_is_never_a_500_and_a_refusal_changes_nothing(client, county, value):
    case = county.assigned(**LONG_AGO)
    notice = issued(county, [case])
    office = signed_in(client, county.office)
    new = reverse("office:supervision_new")
    for params in ({"department": value}, {"department": county.gxj.pk, "case": value}):
        assert office.get(new, params).status_code in (200, 400, 404)
    url = f"{new}?department={county.gxj.pk}"
    for data in (
        {"cases": [value], "text": TEXT, "reply_working_days": 5},
        {"cases": [case.pk], "text": value, "reply_working_days": 5},
        {"cases": [case.pk], "text": TEXT, "reply_working_days": value},
    ):
        before = SupervisionNotice.objects.count()
        status = office.post(url, data).status_code
        assert status in (302, 400), data
        assert SupervisionNotice.objects.count() == before + (status == 302), data
    response = signed_in(client, county.dan).post(
        reverse("workspace:notice", args=[notice.pk]), {"answer": value}
    )
    notice.refresh_from_db()
    assert response.status_code in (302, 400)
    assert notice.answered == (response.status_code == 302)
