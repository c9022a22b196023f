"""督办单 (cases.supervision_notices): the office presses one department, in writing, about cases
it leads or co-handles; the notice is numbered, its reply-by day counted in working days, each
case's timeline records it, the department's people are told at once and answer it once.

荣信钢构's problems go to 县工信局 (Dan, its head Hu); Ren is 县人社局's clerk; Ou is the office
(tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from cases import supervision_notices as notices
from cases.errors import ActionForbidden, InvalidState
from cases.models import CaseEvent, DocumentSequence, SupervisionNotice
from cases.workdays import CHINA
from notifications.models import Notification

pytestmark = pytest.mark.django_db

# The Thursday before the 2026 Labour Day holiday (1–5 May off, Saturday 9 May worked).
BEFORE_MAY_DAY = dt.datetime(2026, 4, 30, 10, 0, tzinfo=CHINA)
TEXT = "请于五个工作日内上门对接企业，报送整改方案。"


def issue(county, cases, **kwargs):
    kwargs.setdefault("actor", county.office)
    kwargs.setdefault("department", county.gxj)
    kwargs.setdefault("text", TEXT)
    return notices.supervision_notice_issue(cases=cases, **kwargs)


# --- issuing -----------------------------------------------------------------------------------


def test_the_office_issues_a_numbered_notice_on_the_departments_cases(county):
    first, second = county.assigned(), county.in_progress()
    notice = issue(county, [second, first], now=BEFORE_MAY_DAY)

    assert notices.notice_number(notice) == "进四问督〔2026〕1号"
    assert (notice.kind, notice.year, notice.serial) == ("supervision", 2026, 1)
    assert notice.department == county.gxj and notice.text == TEXT
    assert set(notice.cases.all()) == {first, second}
    assert notice.issued_by == county.office and notice.issued_at == BEFORE_MAY_DAY
    assert not notice.answered
    again = issue(county, [first], now=BEFORE_MAY_DAY)
    assert notices.notice_number(again) == "进四问督〔2026〕2号"


def test_the_reply_by_day_is_counted_in_working_days_across_the_holiday(county):
    case = county.assigned()
    # Thu 30 April + 5 working days: 6, 7, 8 May, Saturday 9 May (调休) and Monday 11 May.
    default = issue(county, [case], now=BEFORE_MAY_DAY)
    assert default.reply_working_days == 5 and default.reply_by == dt.date(2026, 5, 11)
    one = issue(county, [case], reply_working_days=1, now=BEFORE_MAY_DAY)
    assert one.reply_by == dt.date(2026, 5, 6)


@override_settings(SUPERVISION_REPLY_WORKING_DAYS=3)
def test_the_default_reply_time_is_a_setting(county):
    notice = issue(county, [county.assigned()], now=BEFORE_MAY_DAY)
    assert (notice.reply_working_days, notice.reply_by) == (3, dt.date(2026, 5, 8))


def test_each_case_records_the_notice_on_its_internal_timeline(county):
    first, second = county.assigned(), county.assigned()
    notice = issue(county, [first, second], now=BEFORE_MAY_DAY)
    for case in (first, second):
        [event] = case.events.filter(kind=CaseEvent.Kind.SUPERVISED)
        assert not event.public and event.note == TEXT
        assert event.department == county.gxj and event.actor == county.office
        assert (event.unit_kind, event.unit_name) == ("office", "县委办")
        assert event.data == {
            "notice": notice.pk,
            "number": "进四问督〔2026〕1号",
            "reply_by": "2026-05-11",
        }
        assert event.addressed_to == county.gxj


def test_the_departments_people_are_told_once_for_the_whole_notice(county):
    first, second = county.assigned(), county.assigned()
    Notification.objects.all().delete()
    notice = issue(county, [first, second], now=BEFORE_MAY_DAY)

    told = Notification.objects.filter(
        kind=Notification.Kind.SUPERVISED, channel=Notification.Channel.IN_APP
    )
    assert sorted(told.values_list("user__username", flat=True)) == ["dan", "hu"]
    message = told.get(user=county.dan)
    assert message.title == "【督办单】进四问督〔2026〕1号 请于 2026-05-11 前书面回复"
    assert first.number in message.body and second.number in message.body
    assert TEXT in message.body and message.case_id == min(first.pk, second.pk)
    assert notices.notice_number(notice) in message.body


@pytest.mark.parametrize("who", ["dan", "hu", "li", "carl", "eva", "sam"])
def test_only_the_office_issues_one(county, who):
    case = county.assigned()
    with pytest.raises(ActionForbidden):
        issue(county, [case], actor=getattr(county, who))
    assert not SupervisionNotice.objects.exists()
    assert not DocumentSequence.objects.exists()  # no number was taken
    assert not notices.may_issue(getattr(county, who)) and notices.may_issue(county.office)


def test_a_case_the_department_co_handles_may_be_on_its_notice(county):
    case = county.assigned(co_departments=[county.rsj])
    notice = issue(county, [case], department=county.rsj)
    assert list(notice.cases.all()) == [case]


def test_another_departments_case_is_refused_and_no_number_is_spent(county):
    theirs = county.assigned()
    with pytest.raises(ValidationError) as refused:
        issue(county, [theirs], department=county.rsj)
    assert refused.value.message_dict["cases"] == [
        f"{theirs.number} 不是县人社局牵头或协办的问题，不能写入发给它的督办单。"
    ]
    assert not SupervisionNotice.objects.exists()
    assert notices.notice_number(issue(county, [theirs])) == (
        f"进四问督〔{timezone.localdate().year}〕1号"
    )


@pytest.mark.parametrize(
    "state, why",
    [
        ("closed", "不在办理中（已销号、已合并或待交办），不能督办。"),
        ("submitted", "不是县工信局牵头或协办的问题"),  # not assigned: nobody's yet
    ],
)
def test_a_case_not_in_hand_is_refused(county, state, why):
    case = getattr(county, state)()
    with pytest.raises(ValidationError) as refused:
        issue(county, [case])
    [message] = refused.value.message_dict["cases"]
    assert message.startswith(case.number) and why in message
    assert not SupervisionNotice.objects.exists()


def test_a_replied_case_is_still_open_and_may_be_pressed(county):
    notice = issue(county, [county.replied()])
    assert notice.cases.count() == 1


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"text": "   "}, "text"),
        ({"reply_working_days": 0}, "reply_working_days"),
        ({"reply_working_days": 31}, "reply_working_days"),
        ({"text": "a\x00b"}, "text"),
    ],
)
def test_bad_input_is_refused_by_field(county, kwargs, field):
    with pytest.raises(ValidationError) as refused:
        issue(county, [county.assigned()], **kwargs)
    assert field in refused.value.message_dict
    assert not SupervisionNotice.objects.exists()


def test_no_case_or_a_missing_one_is_refused(county):
    with pytest.raises(ValidationError) as refused:
        issue(county, [])
    assert refused.value.message_dict["cases"] == ["请至少选择一件问题。"]
    with pytest.raises(ValidationError) as refused:
        issue(county, [county.assigned().pk, 987654])
    assert refused.value.message_dict["cases"] == ["所选问题有的不存在，请重新选择。"]


# --- answering -----------------------------------------------------------------------------------


def test_the_department_answers_once(county):
    notice = issue(county, [county.assigned()])
    assert notices.may_answer(county.dan, notice) and notices.may_answer(county.hu, notice)
    answered = notices.supervision_notice_answer(
        actor=county.dan, notice=notice, answer="  已上门对接，整改方案已报送。 "
    )
    assert answered.answer == "已上门对接，整改方案已报送。"
    assert answered.answered_by == county.dan and answered.answered_at is not None
    assert not notices.may_answer(county.hu, answered)
    with pytest.raises(InvalidState) as refused:
        notices.supervision_notice_answer(actor=county.hu, notice=notice, answer="再补充一句")
    assert "已于" in refused.value.message and "不能再次回复" in refused.value.message
    notice.refresh_from_db()
    assert notice.answer == "已上门对接，整改方案已报送。"


@pytest.mark.parametrize("who", ["ren", "office", "li", "eva", "sam"])
def test_nobody_outside_the_department_answers(county, who):
    notice = issue(county, [county.assigned()])
    with pytest.raises(ActionForbidden) as refused:
        notices.supervision_notice_answer(actor=getattr(county, who), notice=notice, answer="好")
    assert refused.value.message == "只有县工信局的工作人员可以回复这份督办单。"
    assert not SupervisionNotice.objects.get().answered


def test_an_empty_answer_is_refused_naming_the_field(county):
    notice = issue(county, [county.assigned()])
    with pytest.raises(ValidationError) as refused:
        notices.supervision_notice_answer(actor=county.dan, notice=notice, answer=" \n ")
    assert refused.value.message_dict == {"answer": ["请填写书面回复：说明督办事项的落实情况。"]}
    assert not SupervisionNotice.objects.get().answered


# --- selectors -----------------------------------------------------------------------------------


def test_the_office_sees_every_notice_a_department_its_own(county):
    gxj = issue(county, [county.assigned()])
    rsj = issue(county, [county.assigned(co_departments=[county.rsj])], department=county.rsj)
    assert list(notices.office_notices(county.office)) == [rsj, gxj]
    assert list(notices.notices_visible_to(county.office)) == [rsj, gxj]
    assert list(notices.notices_visible_to(county.dan)) == [gxj]
    assert list(notices.notices_visible_to(county.ren)) == [rsj]
    assert list(notices.notices_visible_to(county.eva)) == []
    assert list(notices.department_notices(county.gxj)) == [gxj]


def test_overdue_means_the_reply_by_day_passed_without_an_answer(county):
    case = county.assigned()
    late = issue(county, [case], now=BEFORE_MAY_DAY)
    answered = issue(county, [case], now=BEFORE_MAY_DAY)
    notices.supervision_notice_answer(actor=county.dan, notice=answered, answer="已办理")
    waiting = issue(county, [case], reply_working_days=30)

    after = dt.date(2026, 5, 12)
    assert list(notices.overdue_notices(county.office, after)) == [late]
    assert list(notices.overdue_notices(county.office, dt.date(2026, 5, 11))) == []  # due: not late
    assert notices.notice_state(late, after) == notices.OVERDUE
    assert notices.notice_state(SupervisionNotice.objects.get(pk=answered.pk)) == notices.ANSWERED
    assert notices.notice_state(waiting) == notices.WAITING


def test_a_case_lists_the_notices_it_is_in(county):
    case = county.assigned(co_departments=[county.rsj])
    gxj = issue(county, [case])
    rsj = issue(county, [case], department=county.rsj)
    issue(county, [county.assigned()])
    assert set(notices.notices_of_case(county.office, case)) == {gxj, rsj}
    assert list(notices.notices_of_case(county.dan, case)) == [gxj]
    assert list(notices.notices_of_case(county.ren, case)) == [rsj]


def test_the_cases_a_notice_may_name_are_the_departments_open_ones(county):
    lead, co = county.assigned(), county.assigned(co_departments=[county.rsj])
    county.closed()
    county.submitted()
    assert set(notices.cases_to_supervise(county.gxj)) == {lead, co}
    assert list(notices.cases_to_supervise(county.rsj)) == [co]
