"""审批: extension and suspension requests, returned cases and rating appeals, each decided with a
note through the workflow."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent, Rating, Request
from tests.office.helpers import messages_of

pytestmark = pytest.mark.django_db


def decide(client, queue, case, decision, note=""):
    return client.post(
        reverse("office:decide", args=[queue, case.pk]), {"decision": decision, "note": note}
    )


def extension_asked(county):
    case = county.in_progress()
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=20),
        reason="设备到货需要时间",
    )
    return case


def appealed(county):
    case = county.replied(enterprise=county.steel)
    workflow.case_rate(actor=county.eva, case=case, rating="basically_satisfied", comment="慢")
    workflow.case_appeal_rating(actor=county.dan, case=case, reason="企业误解了政策")
    return case


def test_each_queue_lists_what_waits_for_the_office(office_client, county):
    extension = extension_asked(county)
    suspended = county.in_progress(enterprise=county.poultry)
    workflow.case_request_suspension(actor=county.dan, case=suspended, reason="等待企业提供材料")
    returned = county.assigned()
    workflow.case_return(actor=county.dan, case=returned, reason="不属于本单位职责")
    appeal = appealed(county)
    response = office_client.get(reverse("office:decisions"))
    pages = {q["name"]: list(q["page"].object_list) for q in response.context["queues"]}
    assert [r.case for r in pages["extension"]] == [extension]
    assert [r.case for r in pages["suspension"]] == [suspended]
    assert pages["return"] == [returned]
    assert [r.case for r in pages["appeal"]] == [appeal]
    body = response.content.decode()
    for text in ["设备到货需要时间", "等待企业提供材料", "不属于本单位职责", "企业误解了政策"]:
        assert text in body


def test_approving_an_extension_moves_the_resolve_deadline(office_client, county):
    case = extension_asked(county)
    asked = Request.objects.get(case=case).resolve_due_at
    response = decide(office_client, "extension", case, "approve", "同意延期")
    assert messages_of(response) == [f"已同意问题 {case.number} 的延期申请。"]
    case.refresh_from_db()
    assert case.resolve_due_at == asked
    request = Request.objects.get(case=case)
    assert (request.state, request.decision_note) == (Request.State.APPROVED, "同意延期")


def test_refusing_an_extension_keeps_the_deadline(office_client, county):
    case = extension_asked(county)
    before = case.resolve_due_at
    decide(office_client, "extension", case, "refuse", "理由不充分")
    case.refresh_from_db()
    assert case.resolve_due_at == before
    assert Request.objects.get(case=case).state == Request.State.REFUSED


def test_deciding_twice_is_a_message_not_an_error_page(office_client, county):
    case = extension_asked(county)
    decide(office_client, "extension", case, "approve")
    response = decide(office_client, "extension", case, "refuse")
    assert response.status_code == 302
    assert messages_of(response) == ["没有待审批的延期申请。"]
    assert Request.objects.get(case=case).state == Request.State.APPROVED


def test_approving_a_suspension_stops_the_clocks(office_client, county):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等待企业提供材料")
    decide(office_client, "suspension", case, "approve")
    case.refresh_from_db()
    assert case.suspended_at is not None


def test_refusing_a_return_gives_the_case_back_to_the_department_for_good(office_client, county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="不属于本单位职责")
    decide(office_client, "return", case, "refuse", "属于工信局职责，请继续办理")
    case.refresh_from_db()
    assert (case.status, case.lead_department, case.designated) == (
        Case.Status.ASSIGNED,
        county.gxj,
        True,
    )
    event = case.events.get(kind=CaseEvent.Kind.RETURN_REFUSED)
    assert event.note == "属于工信局职责，请继续办理"


def test_accepting_a_return_sends_the_office_to_assign_it_again(office_client, county):
    case = county.assigned()
    workflow.case_return(actor=county.dan, case=case, reason="不属于本单位职责")
    response = decide(office_client, "return", case, "approve")
    assert response["Location"] == f"{reverse('office:assign')}?case={case.pk}"
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and case.returned_from == county.gxj
    body = office_client.get(reverse("office:decisions")).content.decode()
    assert f'href="{reverse("office:assign")}?case={case.pk}"' in body


def test_an_upheld_appeal_excludes_the_rating_from_the_statistics(office_client, county):
    case = appealed(county)
    decide(office_client, "appeal", case, "approve", "企业评价与事实不符")
    rating = Rating.objects.get(case=case)
    assert (rating.appeal, rating.appeal_note, rating.counts) == (
        Rating.Appeal.UPHELD,
        "企业评价与事实不符",
        False,
    )


def test_a_rejected_appeal_keeps_the_rating(office_client, county):
    case = appealed(county)
    decide(office_client, "appeal", case, "refuse")
    assert Rating.objects.get(case=case).appeal == Rating.Appeal.REJECTED


def test_a_decision_that_is_neither_yes_nor_no_changes_nothing(office_client, county):
    case = extension_asked(county)
    response = decide(office_client, "extension", case, "maybe")
    assert messages_of(response) == ["请选择同意或不同意。"]
    assert Request.objects.get(case=case).state == Request.State.PENDING


def test_an_unknown_queue_is_not_found(office_client, county):
    case = county.submitted()
    assert decide(office_client, "bribe", case, "approve").status_code == 404


def test_each_queue_is_paginated_on_its_own(office_client, county):
    for _ in range(26):
        case = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=1))
        workflow.case_return(actor=county.dan, case=case, reason="不属于本单位职责")
    response = office_client.get(reverse("office:decisions"), {"return": 2})
    pages = {q["name"]: q["page"] for q in response.context["queues"]}
    assert (pages["return"].number, len(pages["return"].object_list)) == (2, 1)
    assert pages["extension"].number == 1
