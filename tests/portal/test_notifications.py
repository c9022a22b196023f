"""What the enterprise is told (issue 7): in the portal's inbox — and by SMS / e-mail when those
are configured, through the same outbox rows — when its case is assigned, when the department
contacts it, when the reply is ready for rating and when an extension is granted."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import workflow
from notifications.inbox import notifications_for

pytestmark = pytest.mark.django_db


def inbox_of(user) -> list[str]:
    return [n.kind for n in notifications_for(user)]


def test_the_contact_is_told_the_reply_is_ready_for_rating(county):
    county.replied()
    assert "replied" in inbox_of(county.eva)
    assert inbox_of(county.bea) == []


def test_the_contact_is_told_when_an_extension_is_granted_and_not_when_refused(county):
    case = county.in_progress()
    later = case.resolve_due_at + dt.timedelta(days=10)
    workflow.case_request_extension(actor=county.dan, case=case, resolve_due_at=later, reason="x")
    workflow.case_decide_extension(actor=county.office, case=case, approve=False)
    assert "extension_decided" not in inbox_of(county.eva)
    workflow.case_request_extension(actor=county.dan, case=case, resolve_due_at=later, reason="y")
    workflow.case_decide_extension(actor=county.office, case=case, approve=True)
    assert "extension_decided" in inbox_of(county.eva)


def test_the_contact_is_told_when_the_case_is_assigned_and_when_the_department_calls(county):
    case = county.assigned()
    assert len(notifications_for(county.eva)) == 1
    workflow.case_accept(actor=county.dan, case=case, contact_note="电话联系付董")
    assert len(notifications_for(county.eva)) == 2
