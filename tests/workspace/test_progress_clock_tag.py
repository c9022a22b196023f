"""{% progress_clock case %}: the case page's reminder that a long-term problem owes a progress note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from cases import workflow
from workspace.selectors import with_last_progress

pytestmark = pytest.mark.django_db
TAG = Template("{% load workspace_clocks %}{% progress_clock case %}")


def render(case, request=None) -> str:
    return TAG.render(Context({"case": case, "request": request}))


def accepted_weeks_ago(county):
    case = county.assigned(assigned_at=timezone.now() - dt.timedelta(days=30))
    return workflow.case_accept(
        actor=county.dan, case=case, contact_note="上门", now=timezone.now() - dt.timedelta(days=28)
    )


def test_a_case_accepted_weeks_ago_without_a_note_is_asked_for_one(county):
    html = render(accepted_weeks_ago(county))
    assert "签收以来尚未记录进展" in html and "请现在记录" in html


def test_after_a_note_the_tag_says_when_it_was_written_and_asks_for_nothing(county):
    case = accepted_weeks_ago(county)
    note = workflow.case_add_progress(actor=county.dan, case=case, note="变压器到货")
    html = render(case)
    assert timezone.localtime(note.created_at).strftime("%Y-%m-%d %H:%M") in html
    assert "请现在记录" not in html


def test_an_annotated_case_and_a_request_calendar_cost_no_query(county, django_assert_num_queries):
    case = accepted_weeks_ago(county)
    annotated = with_last_progress(type(case).objects.filter(pk=case.pk)).get()
    request = RequestFactory().get("/")
    render(annotated, request)  # loads the calendar once for the request
    with django_assert_num_queries(0):
        assert "请现在记录" in render(annotated, request)


def test_a_case_not_being_handled_shows_nothing(county):
    assert render(county.assigned()).strip() == ""
