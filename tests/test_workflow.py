"""Every transition of DESIGN §4, allowed and refused, against the real database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import intake, workflow
from cases.errors import ActionForbidden, InvalidState
from cases.models import CalendarOverride, Case, CaseEvent, Rating, Request
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


def count_rows(case):
    case.refresh_from_db()
    return (
        case.status,
        case.events.count(),
        case.requests.count(),
        case.ratings.count(),
        case.breakdown_items.count(),
        case.commitments.count(),
    )


# --- assign ----------------------------------------------------------------------------------------


def test_assigning_sets_the_lead_the_clock_and_a_public_event(county):
    case = county.submitted()
    at = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)
    case = workflow.case_assign(
        actor=county.office,
        case=case,
        lead_department=county.gxj,
        co_departments=[county.power],
        assigned_at=at,
        batch="第一批",
    )
    assert case.status == Case.Status.ASSIGNED
    assert case.contact_due_at == dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)
    # 用电用能 resolves in 10 working days: past the May Day holidays, onto the make-up Saturday 8 May.
    assert case.resolve_due_at == dt.datetime(2021, 5, 8, 23, 59, 59, tzinfo=CHINA)
    assert case.batch == "第一批"
    assert list(case.co_departments.all()) == [county.power]
    event = case.events.get(kind=CaseEvent.Kind.ASSIGNED)
    assert event.public and event.data["historical"] is True


def test_only_the_office_may_assign(county):
    case = county.submitted()
    for user in (county.dan, county.li, county.carl, county.eva):
        with pytest.raises(ActionForbidden):
            workflow.case_assign(actor=user, case=case, lead_department=county.gxj)
    assert count_rows(case)[:2] == (Case.Status.SUBMITTED, 1)


def test_assigning_twice_is_a_conflict_not_a_second_assignment(county):
    case = county.assigned()
    with pytest.raises(InvalidState) as refused:
        workflow.case_assign(actor=county.office, case=case, lead_department=county.rsj)
    assert refused.value.status == Case.Status.ASSIGNED
    assert kinds(case).count(CaseEvent.Kind.ASSIGNED) == 1


def test_assigning_without_a_lead_department_names_the_field(county):
    case = county.submitted()
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(actor=county.office, case=case, lead_department=None)
    assert "lead_department" in refused.value.message_dict
    assert count_rows(case)[:2] == (Case.Status.SUBMITTED, 1)


def test_a_resolve_deadline_before_the_contact_deadline_is_refused(county):
    case = county.submitted()
    at = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(
            actor=county.office,
            case=case,
            lead_department=county.gxj,
            assigned_at=at,
            resolve_due_at=dt.datetime(2021, 4, 23, 18, 0, tzinfo=CHINA),
        )
    assert "resolve_due_at" in refused.value.message_dict
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_an_assignment_in_the_future_is_refused(county):
    case = county.submitted()
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(
            actor=county.office,
            case=case,
            lead_department=county.gxj,
            assigned_at=timezone.now() + dt.timedelta(days=2),
        )
    assert "assigned_at" in refused.value.message_dict


def test_the_lead_department_cannot_also_be_a_co_department(county):
    case = county.submitted()
    with pytest.raises(ValidationError) as refused:
        workflow.case_assign(
            actor=county.office, case=case, lead_department=county.gxj, co_departments=[county.gxj]
        )
    assert "co_departments" in refused.value.message_dict


def test_the_office_itself_cannot_lead_a_case(county):
    case = county.submitted()
    with pytest.raises(ValidationError):
        workflow.case_assign(actor=county.office, case=case, lead_department=county.office_dept)


def test_a_deadline_in_an_unknown_year_is_computed_monday_to_friday_with_a_warning(county):
    case = county.submitted()
    at = dt.datetime(2031, 3, 6, 9, 0, tzinfo=CHINA)  # a Thursday, in a year nobody published yet
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workflow.steps, "_now", lambda now: dt.datetime(2031, 3, 7, tzinfo=CHINA))
        case = workflow.case_assign(
            actor=county.office, case=case, lead_department=county.gxj, assigned_at=at
        )
    assert case.contact_due_at == dt.datetime(2031, 3, 11, 23, 59, 59, tzinfo=CHINA)
    assert any("2031" in w for w in case.warnings)
    assert case.events.get(kind=CaseEvent.Kind.ASSIGNED).data["warnings"]


def test_an_override_row_fills_a_year_the_package_does_not_know(county):
    CalendarOverride.objects.create(date=dt.date(2031, 3, 7), kind=CalendarOverride.Kind.HOLIDAY)
    case = county.submitted()
    at = dt.datetime(2031, 3, 6, 9, 0, tzinfo=CHINA)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workflow.steps, "_now", lambda now: dt.datetime(2031, 3, 7, tzinfo=CHINA))
        case = workflow.case_assign(
            actor=county.office, case=case, lead_department=county.gxj, assigned_at=at
        )
    assert case.contact_due_at == dt.datetime(2031, 3, 12, 23, 59, 59, tzinfo=CHINA)
    assert case.warnings == []


# --- return and the office's refusal -----------------------------------------------------------


def test_the_lead_department_may_return_a_case_with_a_reason(county):
    case = county.assigned()
    case = workflow.case_return(actor=county.dan, case=case, reason="属于供电公司职责")
    assert case.status == Case.Status.SUBMITTED
    assert case.lead_department is None and case.contact_due_at is None
    assert case.returned_from == county.gxj and case.return_count == 1
    event = case.events.get(kind=CaseEvent.Kind.RETURNED)
    assert event.department == county.gxj and not event.public


def test_a_return_needs_a_reason(county):
    case = county.assigned()
    with pytest.raises(ValidationError) as refused:
        workflow.case_return(actor=county.dan, case=case, reason="  ")
    assert "reason" in refused.value.message_dict
    assert count_rows(case)[0] == Case.Status.ASSIGNED


def test_another_department_cannot_return_the_case(county):
    case = county.assigned()
    with pytest.raises(ActionForbidden):
        workflow.case_return(actor=county.ren, case=case, reason="不是我们的")


def test_an_accepted_case_can_no_longer_be_returned(county):
    case = county.in_progress()
    with pytest.raises(InvalidState):
        workflow.case_return(actor=county.dan, case=case, reason="太难了")


def test_the_office_can_refuse_a_return_and_keep_the_assignment_with_its_clock(county):
    at = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)
    case = county.assigned(assigned_at=at, co_departments=[county.rsj])
    workflow.case_return(actor=county.dan, case=case, reason="不归我们管")
    case = workflow.case_refuse_return(actor=county.office, case=case, note="指定由工信局办理")
    assert case.status == Case.Status.ASSIGNED
    assert case.lead_department == county.gxj and case.designated
    assert case.assigned_at == at
    assert case.contact_due_at == dt.datetime(2021, 4, 26, 23, 59, 59, tzinfo=CHINA)
    assert list(case.co_departments.all()) == [county.rsj]
    with pytest.raises(InvalidState):
        workflow.case_return(actor=county.dan, case=case, reason="再退一次")


def test_refusing_a_return_needs_a_pending_return(county):
    case = county.submitted()
    with pytest.raises(InvalidState):
        workflow.case_refuse_return(actor=county.office, case=case)


def test_a_returned_case_can_be_assigned_afresh(county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="属于供电公司职责")
    case = workflow.case_assign(actor=county.office, case=case, lead_department=county.power)
    assert case.lead_department == county.power and case.returned_from is None
    assert case.return_count == 1


# --- accept ----------------------------------------------------------------------------------------


def test_accepting_records_the_first_contact(county):
    case = county.assigned()
    case = workflow.case_accept(
        actor=county.dan, case=case, contact_note="上门对接，约定下周安装变压器"
    )
    assert case.status == Case.Status.IN_PROGRESS and case.contacted_at is not None
    event = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert event.public and event.data["on_time"] is True


def test_accepting_late_is_recorded_as_not_on_time(county):
    case = county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))
    case = workflow.case_accept(actor=county.dan, case=case, contact_note="电话")
    assert case.events.get(kind=CaseEvent.Kind.ACCEPTED).data["on_time"] is False


def test_accepting_without_a_contact_note_is_refused(county):
    case = county.assigned()
    with pytest.raises(ValidationError) as refused:
        workflow.case_accept(actor=county.dan, case=case, contact_note="")
    assert "contact_note" in refused.value.message_dict
    assert count_rows(case)[0] == Case.Status.ASSIGNED


def test_a_co_department_cannot_accept(county):
    case = county.assigned(co_departments=[county.rsj])
    with pytest.raises(ActionForbidden):
        workflow.case_accept(actor=county.ren, case=case, contact_note="电话")


def test_a_submitted_case_cannot_be_accepted(county):
    case = county.submitted()
    with pytest.raises((ActionForbidden, InvalidState)):
        workflow.case_accept(actor=county.dan, case=case, contact_note="电话")


# --- progress, breakdown, commitments -------------------------------------------------------------


def test_lead_and_co_departments_record_progress_public_or_internal(county):
    case = county.in_progress(co_departments=[county.rsj])
    workflow.case_add_progress(actor=county.dan, case=case, note="已联系设备厂家", public=True)
    workflow.case_add_progress(actor=county.ren, case=case, note="内部协调", public=False)
    notes = list(case.events.filter(kind=CaseEvent.Kind.PROGRESS).values_list("note", "public"))
    assert notes == [("已联系设备厂家", True), ("内部协调", False)]


def test_an_unrelated_department_cannot_record_progress(county):
    case = county.in_progress()
    with pytest.raises(ActionForbidden):
        workflow.case_add_progress(actor=county.ren, case=case, note="路过")


def test_progress_needs_text(county):
    case = county.in_progress()
    with pytest.raises(ValidationError):
        workflow.case_add_progress(actor=county.dan, case=case, note="")


def test_a_breakdown_item_is_added_and_completed_by_its_department(county):
    case = county.in_progress()
    due = timezone.localdate(case.resolve_due_at)
    item = workflow.case_add_breakdown_item(
        actor=county.dan,
        case=case,
        department=county.rsj,
        measure="联系职业学校安排实习",
        due_on=due,
    )
    item = workflow.breakdown_item_complete(actor=county.ren, item=item)
    assert item.done_at is not None
    assert kinds(case)[-2:] == [CaseEvent.Kind.BREAKDOWN, CaseEvent.Kind.BREAKDOWN_DONE]
    with pytest.raises(InvalidState):
        workflow.breakdown_item_complete(actor=county.ren, item=item)


def test_a_breakdown_item_due_after_the_case_deadline_is_refused(county):
    case = county.in_progress()
    late = timezone.localdate(case.resolve_due_at) + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_breakdown_item(
            actor=county.dan, case=case, department=county.rsj, measure="x", due_on=late
        )
    assert "due_on" in refused.value.message_dict
    assert case.breakdown_items.count() == 0


def test_a_co_department_cannot_break_down_the_case(county):
    case = county.in_progress(co_departments=[county.rsj])
    with pytest.raises(ActionForbidden):
        workflow.case_add_breakdown_item(
            actor=county.ren,
            case=case,
            department=county.rsj,
            measure="x",
            due_on=timezone.localdate(),
        )


def test_a_department_cannot_complete_another_departments_item(county):
    case = county.in_progress()
    item = workflow.case_add_breakdown_item(
        actor=county.dan,
        case=case,
        department=county.gxj,
        measure="x",
        due_on=timezone.localdate(case.resolve_due_at),
    )
    with pytest.raises(ActionForbidden):
        workflow.breakdown_item_complete(actor=county.ren, item=item)


def test_a_cadre_commits_publicly_and_keeps_the_commitment(county):
    case = county.in_progress()
    commitment = workflow.case_add_commitment(
        actor=county.carl,
        case=case,
        text="一周内协调安装变压器",
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    assert commitment.state_on(timezone.localdate()) == "open"
    assert commitment.state_on(commitment.due_on + dt.timedelta(days=1)) == "missed"
    commitment = workflow.commitment_keep(actor=county.carl, commitment=commitment)
    assert commitment.state_on(commitment.due_on + dt.timedelta(days=30)) == "kept"
    assert case.events.filter(kind=CaseEvent.Kind.COMMITMENT_KEPT, public=True).exists()


def test_a_commitment_in_the_past_is_refused(county):
    case = county.in_progress()
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_commitment(
            actor=county.dan,
            case=case,
            text="x",
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "due_on" in refused.value.message_dict


def test_the_enterprise_cannot_commit_on_its_own_case(county):
    case = county.in_progress()
    with pytest.raises(ActionForbidden):
        workflow.case_add_commitment(
            actor=county.eva, case=case, text="x", due_on=timezone.localdate()
        )


def test_someone_else_cannot_mark_a_commitment_kept(county):
    case = county.in_progress()
    commitment = workflow.case_add_commitment(
        actor=county.carl, case=case, text="x", due_on=timezone.localdate()
    )
    with pytest.raises(ActionForbidden):
        workflow.commitment_keep(actor=county.ren, commitment=commitment)


# --- extensions and suspensions ---------------------------------------------------------------------


def test_an_approved_extension_moves_the_resolve_deadline_and_is_public(county):
    case = county.in_progress()
    later = case.resolve_due_at + dt.timedelta(days=20)
    workflow.case_request_extension(
        actor=county.dan, case=case, resolve_due_at=later, reason="设备到货需时间"
    )
    with pytest.raises(InvalidState):
        workflow.case_request_extension(
            actor=county.dan, case=case, resolve_due_at=later, reason="再申请"
        )
    case = workflow.case_decide_extension(actor=county.office, case=case, approve=True, note="同意")
    assert case.resolve_due_at == later
    assert case.requests.get().state == Request.State.APPROVED
    assert case.events.get(kind=CaseEvent.Kind.EXTENSION_DECIDED).public


def test_a_refused_extension_keeps_the_deadline(county):
    case = county.in_progress()
    before = case.resolve_due_at
    workflow.case_request_extension(
        actor=county.dan, case=case, resolve_due_at=before + dt.timedelta(days=5), reason="忙"
    )
    case = workflow.case_decide_extension(
        actor=county.office, case=case, approve=False, note="理由不充分"
    )
    assert case.resolve_due_at == before
    assert case.requests.get().state == Request.State.REFUSED


def test_an_extension_cannot_be_asked_after_the_deadline(county):
    case = county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))
    case = workflow.case_accept(actor=county.dan, case=case, contact_note="电话")
    with pytest.raises(InvalidState):
        workflow.case_request_extension(
            actor=county.dan,
            case=case,
            resolve_due_at=timezone.now() + dt.timedelta(days=9),
            reason="晚了",
        )
    assert case.requests.count() == 0


def test_an_extension_must_move_the_deadline_later(county):
    case = county.in_progress()
    with pytest.raises(ValidationError) as refused:
        workflow.case_request_extension(
            actor=county.dan,
            case=case,
            resolve_due_at=case.resolve_due_at - dt.timedelta(days=1),
            reason="x",
        )
    assert "resolve_due_at" in refused.value.message_dict


def test_only_the_office_decides_an_extension_and_only_when_one_is_pending(county):
    case = county.in_progress()
    with pytest.raises(InvalidState):
        workflow.case_decide_extension(actor=county.office, case=case, approve=True)
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=3),
        reason="x",
    )
    with pytest.raises(ActionForbidden):
        workflow.case_decide_extension(actor=county.dan, case=case, approve=True)


def test_suspension_stops_the_clock_and_resume_adds_the_working_days(county):
    case = county.in_progress()
    before = case.resolve_due_at
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等待企业提交用电申请材料")
    monday = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CHINA)
    case = workflow.case_decide_suspension(actor=county.office, case=case, approve=True, now=monday)
    assert case.is_suspended
    with pytest.raises(InvalidState):
        workflow.case_reply(actor=county.dan, case=case, outcome="resolved", reply="x")
    # Suspended Monday 2 March, resumed Monday 9 March 2026: five working days stood still.
    case = workflow.case_resume(
        actor=county.dan, case=case, now=dt.datetime(2026, 3, 9, 9, 0, tzinfo=CHINA)
    )
    assert not case.is_suspended and case.suspended_days == 5
    assert case.resolve_due_at > before
    assert case.events.get(kind=CaseEvent.Kind.RESUMED).data["suspended_working_days"] == 5


def test_a_refused_suspension_leaves_the_case_running(county):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="x")
    case = workflow.case_decide_suspension(actor=county.office, case=case, approve=False)
    assert not case.is_suspended


def test_a_case_that_is_not_suspended_cannot_be_resumed(county):
    case = county.in_progress()
    with pytest.raises(InvalidState):
        workflow.case_resume(actor=county.dan, case=case)


# --- reply, rate, appeal ----------------------------------------------------------------------------


def test_replying_feeds_the_result_back_to_the_enterprise(county):
    case = county.in_progress()
    case = workflow.case_reply(
        actor=county.dan,
        case=case,
        outcome="explained",
        reply="电价执行国家目录电价，有惠企政策将第一时间告知",
    )
    assert case.status == Case.Status.REPLIED and case.outcome == "explained"
    assert case.replied_at is not None and case.reply_round == 1
    assert case.events.get(kind=CaseEvent.Kind.REPLIED).public


def test_replying_without_an_outcome_or_text_names_both_fields(county):
    case = county.in_progress()
    with pytest.raises(ValidationError) as refused:
        workflow.case_reply(actor=county.dan, case=case, outcome="", reply="")
    assert set(refused.value.message_dict) == {"outcome", "reply"}
    assert count_rows(case)[0] == Case.Status.IN_PROGRESS


def test_a_co_department_cannot_reply(county):
    case = county.in_progress(co_departments=[county.rsj])
    with pytest.raises(ActionForbidden):
        workflow.case_reply(actor=county.ren, case=case, outcome="resolved", reply="x")


def test_the_enterprise_rates_a_reply_once(county):
    case = county.replied()
    case = workflow.case_rate(
        actor=county.eva, case=case, rating="very_satisfied", comment="办了实事"
    )
    assert case.status == Case.Status.REPLIED and case.rating == "very_satisfied"
    rating = case.ratings.get()
    assert not rating.recorded_by_cadre and rating.department == county.gxj
    with pytest.raises(InvalidState):
        workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    assert case.ratings.count() == 1


def test_a_dissatisfied_rating_reopens_the_case_with_a_fresh_deadline(county):
    case = county.replied()
    case = workflow.case_rate(
        actor=county.eva, case=case, rating="dissatisfied", comment="电压仍不稳"
    )
    assert case.status == Case.Status.IN_PROGRESS and case.reopen_count == 1
    assert case.replied_at is None
    assert kinds(case)[-2:] == [CaseEvent.Kind.RATED, CaseEvent.Kind.REOPENED]
    case = workflow.case_reply(
        actor=county.dan, case=case, outcome="resolved", reply="已更换稳压设备"
    )
    case = workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    assert case.ratings.count() == 2 and case.reply_round == 2


def test_a_cadre_records_a_rating_on_a_return_visit(county):
    case = county.replied()
    case = workflow.case_rate(
        actor=county.carl, case=case, rating="satisfied", comment="回访时企业表示满意"
    )
    assert case.ratings.get().recorded_by_cadre


def test_another_enterprise_or_a_department_cannot_rate(county):
    case = county.replied()
    for user in (county.bea, county.dan, county.office):
        with pytest.raises(ActionForbidden):
            workflow.case_rate(actor=user, case=case, rating="very_dissatisfied")


def test_a_case_that_is_not_replied_cannot_be_rated(county):
    case = county.in_progress()
    with pytest.raises(InvalidState):
        workflow.case_rate(actor=county.eva, case=case, rating="satisfied")


def test_an_unknown_rating_level_is_refused(county):
    case = county.replied()
    with pytest.raises(ValidationError) as refused:
        workflow.case_rate(actor=county.eva, case=case, rating="meh")
    assert "rating" in refused.value.message_dict
    assert case.ratings.count() == 0


def test_an_upheld_appeal_excludes_the_rating_but_keeps_it(county):
    case = county.replied()
    workflow.case_rate(
        actor=county.eva, case=case, rating="very_dissatisfied", comment="不满意电价"
    )
    rating = workflow.case_appeal_rating(
        actor=county.dan, case=case, reason="电价为国家政策，已解释到位"
    )
    assert rating.appeal == Rating.Appeal.PENDING
    with pytest.raises(InvalidState):
        workflow.case_appeal_rating(actor=county.dan, case=case, reason="再申诉")
    rating = workflow.case_decide_appeal(
        actor=county.office, case=case, uphold=True, note="属政策障碍"
    )
    assert rating.appeal == Rating.Appeal.UPHELD and not rating.counts
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert kinds(case)[-2:] == [CaseEvent.Kind.APPEALED, CaseEvent.Kind.APPEAL_DECIDED]


def test_a_rejected_appeal_keeps_the_rating_counted(county):
    case = county.replied()
    workflow.case_rate(actor=county.eva, case=case, rating="dissatisfied")
    workflow.case_appeal_rating(actor=county.dan, case=case, reason="x")
    rating = workflow.case_decide_appeal(actor=county.office, case=case, uphold=False)
    assert rating.counts


def test_there_is_nothing_to_appeal_before_a_rating(county):
    case = county.replied()
    with pytest.raises(InvalidState):
        workflow.case_appeal_rating(actor=county.dan, case=case, reason="x")
    with pytest.raises(InvalidState):
        workflow.case_decide_appeal(actor=county.office, case=case, uphold=True)


# --- close, reopen, merge -------------------------------------------------------------------------


def test_the_office_closes_a_rated_case(county):
    case = county.replied()
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied")
    case = workflow.case_close(actor=county.office, case=case, note="函告销号")
    assert case.status == Case.Status.CLOSED and case.closed_at is not None
    assert case.events.get(kind=CaseEvent.Kind.CLOSED).note == "函告销号"


def test_an_unrated_reply_is_closed_only_after_it_has_waited_its_working_days(county):
    """销号 as 未评价 (cases.closeout) is the workflow's rule, not only the office page's."""
    case = county.replied()
    with pytest.raises(InvalidState) as refused:
        workflow.case_close(actor=county.office, case=case, note="函告销号")
    assert "还差 10 个工作日" in refused.value.message
    assert Case.objects.get(pk=case.pk).status == Case.Status.REPLIED
    later = case.replied_at + dt.timedelta(days=15)  # ≥ 10 working days, whatever the holidays
    case = workflow.case_close(actor=county.office, case=case, note="函告销号", now=later)
    assert case.status == Case.Status.CLOSED
    note = case.events.get(kind=CaseEvent.Kind.CLOSED).note
    assert note.startswith("未评价：反馈后") and note.endswith("函告销号")


def test_a_case_that_was_never_replied_cannot_be_closed(county):
    case = county.in_progress()
    with pytest.raises(InvalidState) as refused:
        workflow.case_close(actor=county.office, case=case)
    assert refused.value.status == Case.Status.IN_PROGRESS


def test_a_department_cannot_close_its_own_case(county):
    case = county.replied()
    with pytest.raises(ActionForbidden):
        workflow.case_close(actor=county.dan, case=case)


def test_the_office_reopens_a_closed_case_with_a_reason(county):
    case = county.closed()
    with pytest.raises(ValidationError):
        workflow.case_reopen(actor=county.office, case=case, reason="")
    case = workflow.case_reopen(actor=county.office, case=case, reason="企业反映问题复发")
    assert (
        case.status == Case.Status.IN_PROGRESS and case.closed_at is None and case.reopen_count == 1
    )


def test_an_open_case_cannot_be_reopened(county):
    case = county.in_progress()
    with pytest.raises(InvalidState):
        workflow.case_reopen(actor=county.office, case=case, reason="x")


def test_a_duplicate_is_merged_into_the_surviving_case(county):
    survivor = county.submitted(title="园区道路缺失")
    duplicate = county.submitted(
        title="园区道路没修通"
    )  # one enterprise's (tests/test_joint_handling)
    duplicate = workflow.case_merge(actor=county.office, case=duplicate, into=survivor)
    assert duplicate.status == Case.Status.MERGED and duplicate.merged_into == survivor
    with pytest.raises(InvalidState):
        workflow.case_assign(actor=county.office, case=duplicate, lead_department=county.gxj)


def test_merging_into_itself_or_a_merged_case_is_refused(county):
    a, b, c = county.submitted(), county.submitted(), county.submitted()
    with pytest.raises(ValidationError):
        workflow.case_merge(actor=county.office, case=a, into=a)
    workflow.case_merge(actor=county.office, case=b, into=c)
    with pytest.raises(ValidationError):
        workflow.case_merge(actor=county.office, case=a, into=b)
    with pytest.raises(ValidationError):
        workflow.case_merge(actor=county.office, case=a, into=999999)


def test_an_assigned_case_cannot_be_merged(county):
    a, b = county.assigned(), county.submitted()
    with pytest.raises(InvalidState):
        workflow.case_merge(actor=county.office, case=a, into=b)


# --- the table itself ------------------------------------------------------------------------------


def test_allowed_actions_offer_each_role_exactly_what_it_may_do_now(county):
    case = county.assigned()
    assert workflow.allowed_actions(county.dan, case) == [
        "return",
        "accept",
        "progress",
        "breakdown",
        "commit",
        "request_extension",
    ]
    assert workflow.allowed_actions(county.office, case) == [
        "progress",
        "breakdown",
        "urge",
        "list",  # 挂牌督办: the office's decision (tests/test_listing.py)
    ]
    assert workflow.allowed_actions(county.eva, case) == []  # 催办 once a deadline has passed
    case = county.replied()
    assert workflow.allowed_actions(county.eva, case) == ["rate"]
    assert workflow.allowed_actions(county.office, case) == ["list", "close"]


def test_every_transition_writes_exactly_one_event(county):
    case = county.submitted()
    assert kinds(case) == [CaseEvent.Kind.CREATED]
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    workflow.case_accept(actor=county.dan, case=case, contact_note="电话")
    workflow.case_reply(actor=county.dan, case=case, outcome="resolved", reply="好了")
    later = timezone.now() + dt.timedelta(days=30)  # unrated: closed once the reply has waited
    workflow.case_close(actor=county.office, case=case, now=later)
    assert kinds(case) == ["created", "assigned", "accepted", "replied", "closed"]


def test_events_are_append_only(county):
    case = county.submitted()
    event = case.events.get()
    event.note = "改写历史"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


# --- intake ------------------------------------------------------------------------------------------


def test_case_numbers_run_per_year(county):
    a = intake.case_create(
        actor=county.office,
        enterprise=county.steel,
        title="a",
        category=county.power_category,
        now=dt.datetime(2021, 12, 31, 23, 0, tzinfo=CHINA),
    )
    b = intake.case_create(
        actor=county.office,
        enterprise=county.steel,
        title="b",
        category=county.power_category,
        now=dt.datetime(2022, 1, 1, 0, 30, tzinfo=CHINA),
    )
    c = intake.case_create(
        actor=county.office,
        enterprise=county.steel,
        title="c",
        category=county.power_category,
        now=dt.datetime(2022, 1, 2, tzinfo=CHINA),
    )
    assert (a.number, b.number, c.number) == ("2021-00001", "2022-00001", "2022-00002")


def test_an_enterprise_raises_a_problem_only_for_itself(county):
    case = intake.case_create(
        actor=county.eva, enterprise=county.steel, title="缺电焊工", category=county.labour_category
    )
    assert case.status == Case.Status.SUBMITTED and case.source == Case.Source.SELF_REPORT
    with pytest.raises(ActionForbidden):
        intake.case_create(
            actor=county.eva, enterprise=county.poultry, title="x", category=county.labour_category
        )


def test_an_empty_problem_names_its_fields(county):
    with pytest.raises(ValidationError) as refused:
        intake.case_create(actor=county.eva, enterprise=county.steel, title=" ", category=None)
    assert set(refused.value.message_dict) == {"title", "category"}
    assert Case.objects.count() == 0


def test_a_visit_and_its_problems_are_saved_together(county):
    visit, cases = intake.visit_create(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=timezone.localdate(),
        kind="inspect",
        notes="付董反映三个问题",
        problems=[
            intake.Problem("电压不稳", "无法满负荷生产", county.power_category),
            intake.Problem("缺电焊工", "", county.labour_category),
        ],
    )
    assert visit.task_force == county.task_force
    assert [c.source for c in cases] == ["visit", "visit"]
    assert all(c.visit == visit for c in cases)


def test_a_visit_with_no_problem_is_valid(county):
    visit, cases = intake.visit_create(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=timezone.localdate(),
        kind="publicize",
    )
    assert visit.pk and cases == []


def test_a_visit_with_one_bad_problem_saves_nothing(county):
    with pytest.raises(ValidationError) as refused:
        intake.visit_create(
            actor=county.carl,
            enterprise=county.steel,
            visited_on=timezone.localdate() + dt.timedelta(days=1),
            kind="inspect",
            problems=[
                intake.Problem("好问题", "", county.power_category),
                intake.Problem("", "", None),
            ],
        )
    assert set(refused.value.message_dict) == {
        "visited_on",
        "problems[1].title",
        "problems[1].category",
    }
    assert Case.objects.count() == 0
    assert county.steel.visits.count() == 0


def test_a_cadre_cannot_log_a_visit_outside_their_task_forces(county):
    with pytest.raises(ActionForbidden):
        intake.visit_create(
            actor=county.carl,
            enterprise=county.poultry,
            visited_on=timezone.localdate(),
            kind="inspect",
        )
