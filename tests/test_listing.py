"""挂牌督办 as the office's decision (issue 19): the escalation ladder's top level only proposes
listing (建议挂牌); the office lists a case (挂牌) with a reason and delists it (摘牌) with one;
closing a listed case delists it on its own. The lead department and the task force's county
leader are told of a listing; the reminders say 建议挂牌 until the case is listed.

荣信钢构 (Eva) is covered by Li's task force; 县工信局 (Dan, Hu its head) leads its cases; Ou is
the office (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases import deadlines, workflow
from cases.errors import ActionForbidden, InvalidState
from cases.models import Case, CaseEvent
from cases.selectors import case_events_visible_to, work_calendar
from notifications import messages
from notifications.models import Notification
from notifications.reminders import reminders_sweep
from tests.api.conftest import Caller, case_url, token_for
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
N = Notification
LONG_AGO = timezone.now() - dt.timedelta(days=60)
BOARD = reverse("office:board")
REASON = "逾期三个工作日以上，企业多次反映，列入挂牌督办"


def flagged(county, **kwargs) -> Case:
    """Assigned two months ago and never contacted: at the ladder's top level now."""
    return county.assigned(assigned_at=LONG_AGO, **kwargs)


@pytest.fixture
def office_client(client, county):
    client.force_login(county.office)
    return client


def told(event) -> set[str]:
    return set(
        N.objects.filter(
            channel=N.Channel.IN_APP, dedup_key__startswith=f"event:{event.pk}:"
        ).values_list("user__username", flat=True)
    )


# --- the ladder proposes, the office decides ----------------------------------------------------


def test_the_top_level_only_proposes_listing(county):
    case = flagged(county)
    now = timezone.now()
    assert deadlines.standing(case, now, work_calendar()).level == deadlines.FLAGGED
    assert workflow.proposed_for_listing(case, now, work_calendar())
    assert not case.is_listed and case.listed_at is None
    assert deadlines.level_label(deadlines.FLAGGED, listed=False) == "建议挂牌"
    assert deadlines.level_label(deadlines.FLAGGED, listed=True) == "挂牌督办"
    assert deadlines.level_label(deadlines.ESCALATED, listed=False) == "督办"
    # A case not yet on the top level is not proposed.
    assert not workflow.proposed_for_listing(county.assigned(), now, work_calendar())


def test_the_office_lists_a_case_with_a_reason(county):
    case = flagged(county)
    event = workflow.case_list(actor=county.office, case=case, reason=REASON)
    case.refresh_from_db()
    assert case.is_listed and case.listed_by == county.office and case.listing_reason == REASON
    assert event.kind == K.LISTED and not event.public and event.note == REASON
    assert event.department_id == county.gxj.pk
    assert event.data == {"level": deadlines.FLAGGED, "proposed": True}
    assert not workflow.proposed_for_listing(case, timezone.now(), work_calendar())
    assert "list" not in workflow.allowed_actions(county.office, case)
    assert "delist" in workflow.allowed_actions(county.office, case)


def test_the_office_may_list_before_the_ladder_proposes_it(county):
    case = county.in_progress()
    event = workflow.case_list(actor=county.office, case=case, reason="县领导批示要求挂牌")
    assert event.data == {"level": None, "proposed": False}
    assert Case.objects.get(pk=case.pk).is_listed


def test_listing_needs_a_reason(county):
    case = flagged(county)
    with pytest.raises(ValidationError) as refused:
        workflow.case_list(actor=county.office, case=case, reason="  ")
    assert "reason" in refused.value.message_dict
    assert not Case.objects.get(pk=case.pk).is_listed


@pytest.mark.parametrize("who", ["dan", "hu", "li", "carl", "eva", "mayor"])
def test_only_the_office_lists_and_delists(county, who):
    case = flagged(county)
    with pytest.raises(ActionForbidden):
        workflow.case_list(actor=getattr(county, who), case=case, reason=REASON)
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    with pytest.raises(ActionForbidden):
        workflow.case_delist(actor=getattr(county, who), case=case, reason="已对接")
    assert Case.objects.get(pk=case.pk).is_listed


def test_a_case_is_listed_once_and_delisted_only_when_listed(county):
    case = flagged(county)
    with pytest.raises(InvalidState):
        workflow.case_delist(actor=county.office, case=case, reason="没有挂牌")
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    with pytest.raises(InvalidState):
        workflow.case_list(actor=county.office, case=case, reason="再挂一次")


def test_a_submitted_or_closed_case_cannot_be_listed(county):
    for case in (county.submitted(), county.closed()):
        with pytest.raises(InvalidState):
            workflow.case_list(actor=county.office, case=case, reason=REASON)


def test_the_office_delists_with_a_reason_and_the_fields_are_cleared(county):
    case = flagged(county)
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    with pytest.raises(ValidationError):
        workflow.case_delist(actor=county.office, case=case, reason="")
    event = workflow.case_delist(actor=county.office, case=case, reason="部门已对接，限期办结")
    case.refresh_from_db()
    assert (case.listed_at, case.listed_by, case.listing_reason) == (None, None, "")
    assert event.kind == K.DELISTED and not event.public
    assert event.data["automatic"] is False and event.data["listed_at"]
    # The ladder proposes it again: it is still three working days late.
    assert workflow.proposed_for_listing(case, timezone.now(), work_calendar())


def test_closing_a_listed_case_delists_it_and_says_so(county):
    case = county.replied()
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    workflow.case_rate(actor=county.eva, case=case, rating=Case.Rating.SATISFIED)
    workflow.case_close(actor=county.office, case=case)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and not case.is_listed
    kinds = list(case.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds[-2:] == [K.CLOSED, K.DELISTED]
    delisted = case.events.get(kind=K.DELISTED)
    assert delisted.data["automatic"] is True and delisted.note == "问题已销号，自动摘牌。"
    assert not told(delisted)  # the close-out tells whom it tells; the delisting adds nobody


def test_closing_a_case_that_is_not_listed_writes_no_delisting(county):
    case = county.closed()
    assert not case.events.filter(kind=K.DELISTED).exists()


def test_a_listed_case_merged_after_a_return_is_delisted(county):
    case = county.assigned()
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    workflow.case_return(actor=county.dan, case=case, reason="不属于本单位职责")
    survivor = county.submitted(title="园区道路缺失")
    workflow.case_merge(actor=county.office, case=case, into=survivor)
    case.refresh_from_db()
    assert case.status == Case.Status.MERGED and not case.is_listed
    assert case.events.get(kind=K.DELISTED).data["automatic"] is True


def test_the_listing_stays_off_the_enterprises_timeline(county):
    case = flagged(county)
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    assert not case_events_visible_to(county.eva, case).filter(kind=K.LISTED).exists()
    assert case_events_visible_to(county.dan, case).filter(kind=K.LISTED).exists()


# --- who is told ---------------------------------------------------------------------------------


def test_the_department_and_the_task_force_leader_are_told_of_a_listing(county):
    case = flagged(county)
    event = workflow.case_list(actor=county.office, case=case, reason=REASON)
    assert told(event) == {"dan", "hu", "li"}  # 工信局's clerk and head, the task force's leader
    message = N.objects.filter(user=county.li, kind=N.Kind.LISTED).get()
    assert message.title == f"【挂牌督办】{case.number} {case.title}"
    assert REASON in message.body and "县工信局" in message.body


def test_the_department_is_told_of_a_delisting(county):
    case = flagged(county)
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    event = workflow.case_delist(actor=county.office, case=case, reason="已对接，限期办结")
    assert told(event) == {"dan", "hu"}
    assert (
        "摘牌" in N.objects.get(dedup_key__startswith=f"event:{event.pk}:", user=county.dan).title
    )


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


def reminders_for(user) -> list[str]:
    rows = N.objects.filter(user=user, channel=N.Channel.IN_APP, kind=N.Kind.REMINDER)
    return list(rows.order_by("id").values_list("title", flat=True))


def test_the_top_reminder_proposes_listing_until_the_case_is_listed(county):
    proposed = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))  # contact due 06-03
    listed = county.assigned(enterprise=county.poultry, assigned_at=at(2021, 5, 31, 10, 0))
    workflow.case_list(actor=county.office, case=listed, reason=REASON)
    reminders_sweep(now=at(2021, 6, 9, 8, 0))  # three working days late: the top level
    heads = {title.split(" ")[0] for title in reminders_for(county.office_head)}
    assert heads == {f"【建议挂牌】{proposed.number}", f"【挂牌督办】{listed.number}"}
    body = N.objects.filter(user=county.office_head, case=proposed, kind=N.Kind.REMINDER).get().body
    assert "建议县委办挂牌督办" in body and "已列入挂牌督办" not in body
    body = N.objects.filter(user=county.office_head, case=listed, kind=N.Kind.REMINDER).get().body
    assert "已列入挂牌督办" in body


def test_the_lower_levels_read_as_before(county):
    case = county.assigned()
    deadline = deadlines.current_deadline(case)
    assert messages.reminder(case, deadline, deadlines.ESCALATED).title.startswith("【督办】")
    assert messages.reminder(case, deadline, deadlines.WARNING).title.startswith("【预警】")


# --- the board and the case page ----------------------------------------------------------------


def test_the_board_shows_a_proposal_with_a_button_and_a_listed_case_with_its_badge(
    office_client, county
):
    proposed = flagged(county)
    listed = flagged(county, enterprise=county.poultry)
    workflow.case_list(actor=county.office, case=listed, reason=REASON)
    response = office_client.get(BOARD)
    assert response.context["proposed_count"] == 1 and response.context["listed_count"] == 1
    body = response.content.decode()
    proposed_row = body.split(f'id="board-case-{proposed.pk}"')[1].split("</tr>")[0]
    listed_row = body.split(f'id="board-case-{listed.pk}"')[1].split("</tr>")[0]
    assert "建议挂牌" in proposed_row and "proposed-badge" in proposed_row
    assert f"/cases/{proposed.pk}/#action-list" in proposed_row
    assert "listed-badge" not in proposed_row
    assert "listed-badge" in listed_row and "⚑ 挂牌督办" in listed_row
    assert "建议挂牌" not in listed_row and "#action-list" not in listed_row


def test_the_listed_filter_shows_every_listed_open_case_on_or_off_the_ladder(office_client, county):
    on_ladder = flagged(county)
    off_ladder = county.in_progress(enterprise=county.poultry)  # its deadline is weeks away
    workflow.case_list(actor=county.office, case=on_ladder, reason=REASON)
    workflow.case_list(actor=county.office, case=off_ladder, reason="县领导批示，挂牌督办")
    flagged(county)  # proposed, not listed: not on the list
    response = office_client.get(BOARD, {"listed": "1"})
    assert [c for c, _s in response.context["rows"]] == [off_ladder, on_ladder]  # latest first
    body = response.content.decode()
    assert 'id="listed-list"' in body and "县领导批示，挂牌督办" in body
    assert 'id="board-listed" checked' in body
    # … by department too.
    response = office_client.get(BOARD, {"listed": "1", "department": county.rsj.pk})
    assert response.context["rows"] == []
    assert 'id="listed-empty"' in response.content.decode()


def test_the_case_page_offers_listing_open_beside_the_proposal(office_client, county):
    case = flagged(county)
    body = office_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="listing-proposed"' in body and 'id="action-list"' in body
    assert 'class="collapse show" id="form-list"' in body
    response = office_client.post(
        reverse("case_act", args=[case.pk, "list"]), {"list-reason": REASON}
    )
    assert response.status_code == 302
    body = office_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="listing"' in body and REASON in body and 'id="listing-proposed"' not in body
    assert 'id="action-delist"' in body and 'id="action-list"' not in body


def test_the_department_sees_the_listing_and_no_button(client, county):
    case = flagged(county)
    workflow.case_list(actor=county.office, case=case, reason=REASON)
    client.force_login(county.dan)
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="listing"' in body and 'id="action-list"' not in body
    assert 'id="action-delist"' not in body
    client.force_login(county.eva)
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="listing"' not in body and REASON not in body


# --- the API -------------------------------------------------------------------------------------


def as_user(user) -> Caller:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return Caller(client)


def test_the_api_lists_and_delists(county):
    case = flagged(county)
    office = as_user(county.office)
    assert office.post(case_url(case, "list"), {}).status_code == 400
    answer = office.post(case_url(case, "list"), {"reason": REASON})
    assert answer.status_code == 200 and answer.json()["listed_at"]
    assert office.post(case_url(case, "list"), {"reason": REASON}).status_code == 409
    assert as_user(county.dan).post(case_url(case, "delist"), {"reason": "x"}).status_code == 403
    assert as_user(county.eva).get(case_url(case)).json()["listed_at"] is None  # internal
    answer = office.post(case_url(case, "delist"), {"reason": "已对接"})
    assert answer.status_code == 200 and answer.json()["listed_at"] is None
    assert reverse("api:case-list-case", args=[case.pk]).endswith(f"/cases/{case.pk}/list/")
