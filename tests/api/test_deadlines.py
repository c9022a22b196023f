"""cases.deadlines: the one definition of "overdue", against the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import workflow
from cases.deadlines import overdue_q, with_overdue
from cases.models import Case
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)


def overdue(case) -> bool:
    return with_overdue(Case.objects.filter(pk=case.pk)).get().overdue


def test_an_assigned_case_not_contacted_by_its_contact_deadline_is_overdue(county):
    assert overdue(county.assigned(assigned_at=LONG_AGO))
    assert not overdue(county.assigned())


def test_a_contacted_case_is_held_to_its_resolve_deadline_instead(county):
    case = county.assigned(assigned_at=LONG_AGO)
    workflow.case_accept(actor=county.dan, case=case, contact_note="迟到的对接")
    assert overdue(case)  # its resolve date of May 2021 has passed too
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() + dt.timedelta(days=3))
    assert not overdue(case)


def test_a_replied_closed_merged_or_submitted_case_is_never_overdue(county):
    replied = county.replied(assigned_at=LONG_AGO)
    closed = county.closed(assigned_at=LONG_AGO)
    submitted = county.submitted()
    merged = workflow.case_merge(actor=county.office, case=county.submitted(), into=submitted)
    for case in (replied, closed, submitted, merged):
        assert not overdue(case), case.status


def test_a_suspended_case_is_not_overdue_while_its_clocks_stop(county):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供材料")
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True)
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() - dt.timedelta(days=1))
    assert not overdue(case)
    workflow.case_resume(actor=county.office, case=case)
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() - dt.timedelta(days=1))
    assert overdue(case)


def test_overdue_is_judged_at_the_moment_given(county):
    case = county.assigned()
    later = case.contact_due_at + dt.timedelta(seconds=1)
    assert not Case.objects.filter(overdue_q()).exists()
    assert Case.objects.filter(overdue_q(later)).get() == case
    assert with_overdue(Case.objects.all(), later).get().overdue is True
