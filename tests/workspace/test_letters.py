"""交办函 in the department's workspace: its own letters with their state, each letter's page and
Word file, and the 回执 signed there once; another department's letter is a 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from cases.letters import letter_issue
from cases.models import AssignmentLetter, Meeting
from cases.roles import actor_for
from cases.workdays import CHINA

pytestmark = pytest.mark.django_db


def issued_letter(county, department=None, title="“四进四问”第一批问题交办会") -> AssignmentLetter:
    department = department or county.gxj
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT, title=title, held_on=dt.date(2021, 4, 22)
    )
    meeting.cases.add(county.assigned(lead_department=department))
    return letter_issue(
        actor=actor_for(county.office),
        meeting=meeting,
        department=department,
        contact_name="王督查",
        contact_phone="0791-85661234",
        now=dt.datetime(2021, 4, 22, 15, tzinfo=CHINA),
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_department_lists_its_own_letters_unsigned_first(client, county):
    mine = issued_letter(county)
    theirs = issued_letter(county, county.rsj)
    body = signed_in(client, county.dan).get(reverse("workspace:letters")).content.decode()
    assert mine.number in body and theirs.number not in body
    assert "待签收" in body and "1 份待签收" in body
    assert "“四进四问”第一批问题交办会" in body
    assert reverse("workspace:letter", args=[mine.pk]) in body


def test_the_navbar_links_the_letters_for_the_departments_staff(client, county):
    body = signed_in(client, county.dan).get(reverse("workspace:inbox")).content.decode()
    assert f'href="{reverse("workspace:letters")}"' in body


def test_no_letter_yet_says_so(client, county):
    body = signed_in(client, county.dan).get(reverse("workspace:letters")).content.decode()
    assert 'id="no-letters"' in body and "还没有交办函。" in body


def test_the_letter_page_shows_the_letter_and_the_sign_button(client, county):
    letter = issued_letter(county)
    body = signed_in(client, county.dan).get(reverse("workspace:letter", args=[letter.pk]))
    html = body.content.decode()
    assert letter.number in html and "县工信局：" in html
    assert "县委办联系人：王督查　联系电话：0791-85661234" in html
    assert 'id="sign-receipt"' in html and "签收回执" in html
    assert "site/print.css" in html


def test_signing_records_who_and_when_once(client, county):
    letter = issued_letter(county)
    county.dan.first_name = "丹"
    county.dan.save()
    dan = signed_in(client, county.dan)
    url = reverse("workspace:letter_sign", args=[letter.pk])
    response = dan.post(url, {"note": "已安排专人对接"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:letter", args=[letter.pk])
    letter.refresh_from_db()
    assert letter.signed_by == county.dan and letter.signed_at is not None
    assert letter.receipt_note == "已安排专人对接"
    page = dan.get(response["Location"]).content.decode()
    assert f"已签收交办函 {letter.number} 的回执。" in page
    assert 'id="sign-receipt"' not in page and "回执已签收" in page
    assert "签收人：丹" in page and "说明：已安排专人对接" in page

    signed_at = letter.signed_at
    hu = signed_in(client, county.hu)
    hu.post(url, {"note": "再签一次"})
    letter.refresh_from_db()
    assert (letter.signed_by, letter.signed_at, letter.receipt_note) == (
        county.dan,
        signed_at,
        "已安排专人对接",
    )
    assert "回执已由丹于" in hu.get(reverse("workspace:letter", args=[letter.pk])).content.decode()


def test_signing_is_a_post(client, county):
    letter = issued_letter(county)
    response = signed_in(client, county.dan).get(reverse("workspace:letter_sign", args=[letter.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["workspace:letter", "workspace:letter_docx"])
def test_another_departments_letter_is_not_found(client, county, name):
    letter = issued_letter(county)
    ren = signed_in(client, county.ren)
    assert ren.get(reverse(name, args=[letter.pk])).status_code == 404


def test_another_department_cannot_sign(client, county):
    letter = issued_letter(county)
    response = signed_in(client, county.ren).post(
        reverse("workspace:letter_sign", args=[letter.pk])
    )
    assert response.status_code == 404
    letter.refresh_from_db()
    assert not letter.signed


@pytest.mark.parametrize("who", ["eva", "carl", "office"])
def test_the_letters_are_the_departments_pages(client, county, who):
    letter = issued_letter(county)
    user = signed_in(client, getattr(county, who))
    assert user.get(reverse("workspace:letters")).status_code == 403
    assert user.get(reverse("workspace:letter", args=[letter.pk])).status_code == 403
    assert user.post(reverse("workspace:letter_sign", args=[letter.pk])).status_code == 403
    letter.refresh_from_db()
    assert not letter.signed


def test_the_department_downloads_its_letter_as_word(client, county):
    letter = issued_letter(county)
    response = signed_in(client, county.dan).get(reverse("workspace:letter_docx", args=[letter.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert letter.number in text
    case = letter.meeting.cases.get()
    assert case.number in [row.cells[1].text for row in document.tables[0].rows]
