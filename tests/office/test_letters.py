"""The office's 交办函: issued from its page with a contact, numbered once; the meeting page shows
each letter's number and 回执; the letter downloads as a Word file with the same number and cases."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from cases.letters import letter_sign
from cases.models import AssignmentLetter, Meeting
from cases.roles import actor_for
from cases.workdays import CHINA
from notifications.models import Notification

pytestmark = pytest.mark.django_db

ASSIGNED = dt.datetime(2021, 4, 22, 9, 30, tzinfo=CHINA)


@pytest.fixture
def meeting(county):
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT,
        title="“四进四问”第一批问题交办会",
        held_on=dt.date(2021, 4, 22),
        created_by=county.office,
    )
    meeting.cases.add(
        county.assigned(assigned_at=ASSIGNED, co_departments=[county.power]),
        county.assigned(enterprise=county.poultry, assigned_at=ASSIGNED),
        county.assigned(lead_department=county.rsj, assigned_at=ASSIGNED),
    )
    return meeting


def letter_url(meeting, department) -> str:
    return reverse("office:letter", args=[meeting.pk, department.pk])


def issue(office_client, meeting, department, **data):
    data.setdefault("contact_name", "王督查")
    data.setdefault("contact_phone", "0791-85661234")
    return office_client.post(letter_url(meeting, department), data)


def test_a_draft_offers_to_issue_with_the_clerks_contact_and_has_no_number(
    office_client, county, meeting
):
    county.office.first_name = "王督查"
    county.office.save()
    response = office_client.get(letter_url(meeting, county.gxj))
    body = response.content.decode()
    assert response.context["form"].initial["contact_name"] == "王督查"
    assert 'id="issue-letter"' in body and "出具交办函" in body
    assert "文号在出具时生成" in body and "进四问交" not in body
    assert 'id="receipt"' not in body  # no 回执 before there is a letter to sign for
    assert reverse("office:letter_docx", args=[meeting.pk, county.gxj.pk]) not in body
    docx = office_client.get(reverse("office:letter_docx", args=[meeting.pk, county.gxj.pk]))
    assert docx.status_code == 404


def test_issuing_numbers_the_letter_once_and_tells_the_department(office_client, county, meeting):
    response = issue(office_client, meeting, county.gxj)
    assert response.status_code == 302
    assert response["Location"] == letter_url(meeting, county.gxj)
    letter = AssignmentLetter.objects.get()
    year = letter.issued_at.year
    assert letter.number == f"进四问交〔{year}〕1号"
    body = office_client.get(letter_url(meeting, county.gxj)).content.decode()
    assert f'<p class="letter-number" id="letter-number">{letter.number}</p>' in body
    assert "县委办联系人：王督查　联系电话：0791-85661234" in body
    assert 'id="issue-letter"' not in body and "回执未签收" in body
    slip = body[body.index('id="receipt"') :]
    assert (
        f"县工信局已收到进贤县“四进四问”工作领导小组办公室交办函 {letter.number}（2 个问题）。"
        in slip
    )
    assert Notification.objects.filter(user=county.dan, title__contains=letter.number).exists()

    again = issue(office_client, meeting, county.gxj, contact_name="别人")
    assert again.status_code == 302
    assert AssignmentLetter.objects.get().contact_name == "王督查"
    page = office_client.get(letter_url(meeting, county.gxj))
    assert f"交办函 {letter.number} 已出具过。" in page.content.decode()


def test_a_contact_with_a_line_break_is_refused_beside_its_field(office_client, county, meeting):
    response = issue(office_client, meeting, county.gxj, contact_name="")
    assert response.status_code == 400
    assert response.context["form"].errors["contact_name"] == ["请填写县委办联系人。"]
    response = issue(office_client, meeting, county.gxj, contact_phone="0791\r\n1234")
    assert response.status_code == 400 and "contact_phone" in response.context["form"].errors
    assert not AssignmentLetter.objects.exists()


def test_no_letter_is_issued_to_a_department_without_a_case_at_the_meeting(
    office_client, county, meeting
):
    assert issue(office_client, meeting, county.power).status_code == 404
    assert not AssignmentLetter.objects.exists()


def test_the_letter_carries_the_countys_name_in_its_head_and_footer(
    office_client, county, meeting, settings
):
    # The department's county's name (issue 22), whatever COUNTY_NAME says.
    settings.COUNTY_NAME = "别的县"
    place = county.gxj.county
    place.name = "安义县"
    place.save()
    issue(office_client, meeting, county.gxj)
    body = office_client.get(letter_url(meeting, county.gxj)).content.decode()
    number = AssignmentLetter.objects.get().number
    head = body[body.index('id="letter-head"') :].split("</h1>")[0]
    assert "安义县“四进四问”工作领导小组办公室" in head
    footer = body[body.index('id="letter-footer"') :].split("</p>")[0]
    assert f"安义县“四进四问”工作领导小组办公室 · {number}" in footer


def test_the_meeting_page_shows_each_letters_number_and_receipt(office_client, county, meeting):
    url = reverse("office:meeting", args=[meeting.pk])
    rows = office_client.get(url).content.decode()
    assert rows.count("未出具") == 2
    issue(office_client, meeting, county.gxj)
    letter = AssignmentLetter.objects.get()
    body = office_client.get(url).content.decode()
    row = body[body.index(f'id="letter-{county.gxj.pk}"') :].split("</a>")[0]
    assert letter.number in row and "未签收" in row
    county.dan.first_name = "丹"
    county.dan.save()
    letter_sign(
        actor=actor_for(county.dan),
        letter=letter,
        now=dt.datetime(2021, 4, 23, 9, 5, tzinfo=CHINA),
    )
    body = office_client.get(url).content.decode()
    row = body[body.index(f'id="letter-{county.gxj.pk}"') :].split("</a>")[0]
    assert "已签收（丹，2021-04-23 09:05）" in row
    other = body[body.index(f'id="letter-{county.rsj.pk}"') :].split("</a>")[0]
    assert "未出具" in other
    page = office_client.get(letter_url(meeting, county.gxj)).content.decode()
    assert "回执已签收" in page and "丹 于 2021-04-23 09:05 签收" in page
    assert "签收人：丹　　签收日期：2021年4月23日" in page


def read_docx(response) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    footer = document.sections[0].footer.paragraphs[0].text
    return f"{text}\n{footer}", table


def test_the_word_file_reads_back_the_number_and_the_cases(office_client, county, meeting):
    issue(office_client, meeting, county.gxj)
    letter = AssignmentLetter.objects.get()
    response = office_client.get(reverse("office:letter_docx", args=[meeting.pk, county.gxj.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response["Content-Disposition"]
    text, table = read_docx(response)
    assert letter.number in text
    assert "进贤县“四进四问”工作领导小组办公室" in text and "县工信局：" in text
    assert "县委办联系人：王督查　联系电话：0791-85661234" in text
    assert "回执" in text and "（沿此线剪下）" in text
    numbers = sorted(c.number for c in meeting.cases.filter(lead_department=county.gxj))
    assert table[0][:3] == ["序号", "编号", "企业"]
    assert sorted(row[1] for row in table[1:]) == numbers
    assert any("国网进贤县供电公司" in row[4] for row in table[1:])
    assert "2021-04-26" in table[1][5]  # the contact deadline of a 22 April 2021 assignment
