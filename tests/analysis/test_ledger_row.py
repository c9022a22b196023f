"""问题总台账's row, written in Python (analysis_tags.ledger_row, issue 23): the same cells the
template wrote, escaped, for each kind of case."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.templatetags.analysis_tags import ledger_row
from cases.deadlines import with_overdue
from cases.models import Case
from tests.conftest import CHINA

pytestmark = pytest.mark.django_db


def row_of(case: Case) -> str:
    case = (
        with_overdue(Case.objects.filter(pk=case.pk))
        .select_related("enterprise", "category", "lead_department")
        .get()
    )
    return str(ledger_row(case))


def test_a_submitted_case_has_no_lead_no_deadline_and_its_title_escaped(county):
    case = county.submitted(title="<script>alert(1)</script>电压不稳")
    row = row_of(case)
    assert row.startswith(f'<tr id="ledger-row-{case.pk}">') and row.endswith("</tr>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;电压不稳" in row and "<script>" not in row
    assert f'<a href="/cases/{case.pk}/">' in row
    assert '<div class="d-md-none">' not in row  # nothing runs yet: no standing on a phone
    assert row.count("<td") == 7 and row.count("—") == 3  # no lead, no deadline, not assigned
    assert "state-submitted" in row


def test_an_overdue_case_is_marked_with_its_lead_deadline_and_assignment_day(county):
    case = county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))
    row = row_of(case)
    assert f'<tr id="ledger-row-{case.pk}" class="row-overdue">' in row
    assert county.gxj.name in row and "2021-04-22" in row
    assert row.count('class="case-deadline text-danger fw-semibold"') == 2  # cell and phone line
    assert "state-overdue" in row
