"""交办函 (cases.letters): numbered once when first issued, the same number ever after; its 回执
signed once, and only by the staff of the department it is addressed to; that department told."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from cases.errors import ActionForbidden, InvalidState
from cases.letters import (
    department_letters,
    letter_contact_defaults,
    letter_issue,
    letter_sign,
    may_sign_letter,
    unsigned_letters,
)
from cases.models import AssignmentLetter, DocumentSequence, Meeting
from cases.roles import actor_for
from cases.workdays import CHINA
from enterprises.models import DepartmentStaff
from notifications.models import Notification

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2026, 4, 23, 10, tzinfo=CHINA)


def assignment_meeting(county, *cases, kind=Meeting.Kind.ASSIGNMENT) -> Meeting:
    meeting = Meeting.objects.create(
        kind=kind, title="“四进四问”第一批问题交办会", held_on=dt.date(2026, 4, 22)
    )
    meeting.cases.add(*cases)
    return meeting


def issue(county, meeting, department=None, **kwargs) -> AssignmentLetter:
    kwargs.setdefault("contact_name", "王督查")
    kwargs.setdefault("contact_phone", "0791-85661234")
    kwargs.setdefault("now", ISSUED)
    return letter_issue(
        actor=actor_for(county.office),
        meeting=meeting,
        department=department or county.gxj,
        **kwargs,
    )


def test_the_first_issue_takes_the_next_assignment_number(county):
    meeting = assignment_meeting(county, county.assigned(), county.assigned())
    letter = issue(county, meeting)
    assert (letter.year, letter.serial, letter.number) == (2026, 1, "进四问交〔2026〕1号")
    assert (letter.contact_name, letter.contact_phone) == ("王督查", "0791-85661234")
    assert (letter.issued_by, letter.issued_at) == (county.office, ISSUED)
    assert not letter.signed


def test_issuing_again_answers_the_first_letter_and_takes_no_number(county):
    meeting = assignment_meeting(
        county, county.assigned(), county.assigned(lead_department=county.rsj)
    )
    first = issue(county, meeting)
    again = issue(county, meeting, contact_name="另一人", now=ISSUED + dt.timedelta(days=3))
    assert again.pk == first.pk
    assert (again.number, again.contact_name, again.issued_at) == (first.number, "王督查", ISSUED)
    assert AssignmentLetter.objects.count() == 1
    # The next department's letter takes the next number: the re-issue used none.
    other = issue(county, meeting, county.rsj)
    assert other.number == "进四问交〔2026〕2号"
    sequence = DocumentSequence.objects.get(kind=DocumentSequence.Kind.ASSIGNMENT, year=2026)
    assert sequence.last == 2


def test_only_the_office_issues_a_letter(county):
    meeting = assignment_meeting(county, county.assigned())
    with pytest.raises(ActionForbidden):
        letter_issue(
            actor=actor_for(county.dan), meeting=meeting, department=county.gxj, contact_name="丹"
        )
    assert not AssignmentLetter.objects.exists()


def test_no_letter_to_a_department_the_meeting_hands_no_case(county):
    meeting = assignment_meeting(county, county.assigned())
    with pytest.raises(InvalidState):
        issue(county, meeting, county.rsj)
    dispatch = assignment_meeting(county, county.assigned(), kind=Meeting.Kind.DISPATCH)
    with pytest.raises(InvalidState):
        issue(county, dispatch)
    assert not DocumentSequence.objects.filter(last__gt=0).exists()


def test_a_letter_needs_a_contact_on_one_line(county):
    meeting = assignment_meeting(county, county.assigned())
    with pytest.raises(ValidationError) as blank:
        issue(county, meeting, contact_name="  ")
    assert "contact_name" in blank.value.message_dict
    with pytest.raises(ValidationError) as broken:
        issue(county, meeting, contact_phone="0791\n85661234")
    assert "contact_phone" in broken.value.message_dict
    assert not AssignmentLetter.objects.exists()


def test_the_departments_staff_sign_the_receipt_once(county):
    letter = issue(county, assignment_meeting(county, county.assigned()))
    dan, hu = actor_for(county.dan), actor_for(county.hu)
    assert may_sign_letter(dan, letter) and may_sign_letter(hu, letter)
    signed_at = ISSUED + dt.timedelta(hours=2)
    letter = letter_sign(actor=dan, letter=letter, note=" 已安排专人对接 ", now=signed_at)
    assert (letter.signed_by, letter.signed_at, letter.receipt_note) == (
        county.dan,
        signed_at,
        "已安排专人对接",
    )
    assert not may_sign_letter(hu, letter)
    with pytest.raises(InvalidState) as again:
        letter_sign(actor=hu, letter=letter)
    assert "2026-04-23 12:00" in again.value.message
    letter.refresh_from_db()
    assert (letter.signed_by, letter.signed_at) == (county.dan, signed_at)


@pytest.mark.parametrize("who", ["ren", "office", "eva", "li"])
def test_nobody_else_signs_the_receipt(county, who):
    letter = issue(county, assignment_meeting(county, county.assigned()))
    actor = actor_for(getattr(county, who))
    assert not may_sign_letter(actor, letter)
    with pytest.raises(ActionForbidden):
        letter_sign(actor=actor, letter=letter)
    letter.refresh_from_db()
    assert not letter.signed


def test_the_department_is_told_when_its_letter_is_issued(county):
    county.gxj.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=gxj"
    county.gxj.save()
    meeting = assignment_meeting(
        county, county.assigned(), county.assigned(), county.assigned(lead_department=county.rsj)
    )
    Notification.objects.all().delete()  # the assignments' own messages
    letter = issue(county, meeting)
    told = Notification.objects.filter(channel=Notification.Channel.IN_APP)
    assert {n.user for n in told} == {county.dan, county.hu}
    message = told.first()
    assert message.title == "【交办函】进四问交〔2026〕1号 “四进四问”第一批问题交办会"
    assert "交办 2 个企业问题" in message.body and "签收回执" in message.body
    assert "县委办联系人：王督查 0791-85661234" in message.body
    assert message.case_id is None
    robot = Notification.objects.get(channel=Notification.Channel.WEBHOOK)
    assert robot.department == county.gxj
    # Issuing again tells no one again.
    issue(county, meeting)
    assert Notification.objects.filter(title__contains=letter.number).count() == 3


def test_a_departments_letters_unsigned_first(county):
    first = assignment_meeting(county, county.assigned())
    second = assignment_meeting(county, county.assigned())
    third = assignment_meeting(
        county, county.assigned(), county.assigned(lead_department=county.rsj)
    )
    old = issue(county, first, now=ISSUED)
    signed = issue(county, second, now=ISSUED + dt.timedelta(days=1))
    newest = issue(county, third, now=ISSUED + dt.timedelta(days=2))
    theirs = issue(county, third, county.rsj)
    letter_sign(actor=actor_for(county.dan), letter=signed)
    assert list(department_letters(county.gxj.pk)) == [newest, old, signed]
    assert list(unsigned_letters(county.gxj.pk)) == [old, newest]
    assert list(department_letters(county.rsj.pk)) == [theirs]


def test_the_contact_offered_is_the_issuing_clerk_or_the_county_office(county, settings):
    county.office.first_name = "王督查"
    county.office.save()
    settings.OFFICE_CONTACT_PHONE = "0791-85660000"
    assert letter_contact_defaults(county.office) == {
        "contact_name": "王督查",
        "contact_phone": "0791-85660000",
    }
    county.office_dept.phone = "0791-85661111"
    county.office_dept.save()
    assert letter_contact_defaults(county.office)["contact_phone"] == "0791-85661111"
    DepartmentStaff.objects.filter(user=county.office).update(phone="13907910000")
    assert letter_contact_defaults(county.office)["contact_phone"] == "13907910000"


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_issuing_the_same_letter_at_once_get_one_letter_and_one_number():
    """Eight threads, each its own connection, issue the same meeting's letter together: they
    queue on the meeting, the first takes 1号, the others answer that letter."""
    from tests.conftest import make_county

    county = make_county()
    meeting = assignment_meeting(county, county.assigned())
    start = threading.Barrier(8)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def issue_once():
        try:
            start.wait()
            numbers.append(issue(county, meeting).number)
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert numbers == ["进四问交〔2026〕1号"] * 8
    assert AssignmentLetter.objects.count() == 1
    assert DocumentSequence.objects.get(kind=DocumentSequence.Kind.ASSIGNMENT).last == 1
