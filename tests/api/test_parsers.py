"""JSON bodies nested deeper than api.parsers.MAX_DEPTH are a 400 that says so, on every POST."""

from __future__ import annotations

import pytest

from api.parsers import MAX_DEPTH
from cases.models import Case, CaseEvent
from tests.api.conftest import case_url

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    """`depth` objects, one inside the other: {"a": {"a": … "x" …}}."""
    return '{"a": ' * depth + '"x"' + "}" * depth


def post_raw(caller, path: str, body: str, **extra):
    return caller.client.post(f"/api/v1/{path}", body, content_type="application/json", **extra)


@pytest.mark.parametrize("body", ["[" * 1000 + "]" * 1000, nested(1000), nested(MAX_DEPTH + 1)])
def test_deeply_nested_json_on_the_token_endpoint_is_a_400_not_a_crash(county, as_user, body):
    answer = post_raw(as_user(None), "auth/token/", body)
    assert answer.status_code == 400
    assert "JSON" in answer.json()["detail"] and str(MAX_DEPTH) in answer.json()["detail"]


def test_the_refusal_speaks_english_too(county, as_user):
    answer = post_raw(as_user(None), "auth/token/", nested(1000), HTTP_ACCEPT_LANGUAGE="en")
    assert "nested too deeply" in answer.json()["detail"]


def test_deeply_nested_json_on_a_case_action_changes_nothing(county, as_user):
    case = county.submitted()
    events = CaseEvent.objects.filter(case=case).count()
    lists = "[" * 999 + "]" * 999
    body = f'{{"lead_department": {county.gxj.pk}, "co_departments": {lists}}}'
    answer = post_raw(as_user(county.office), case_url(case, "assign"), body)
    assert answer.status_code == 400 and "JSON" in answer.json()["detail"]
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED
    assert CaseEvent.objects.filter(case=case).count() == events


def test_json_as_deep_as_the_limit_reaches_the_view(county, as_user):
    body = f'{{"password": "x", "username": {nested(MAX_DEPTH - 1)}}}'
    answer = post_raw(as_user(None), "auth/token/", body)
    assert answer.status_code == 400 and "username" in answer.json()  # the field's own error
