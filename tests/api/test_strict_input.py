"""Issue 25: the API reads JSON bodies only, every query parameter strictly, every action's
required fields in every content type — and the schema says exactly that."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cases import workflow
from cases.models import Case, CaseEvent
from tests.api.conftest import case_url

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from api.schema import contract

    with django_db_blocker.unblock():
        return contract()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


# --- JSON bodies only ----------------------------------------------------------------------------


def test_the_schema_declares_json_request_bodies_only(schema):
    bodies = [
        (path, op["requestBody"]) for path, _m, op in operations(schema) if "requestBody" in op
    ]
    assert len(bodies) > 25
    for path, body in bodies:
        assert set(body["content"]) == {"application/json"}, path


def test_every_operation_with_a_body_declares_415_and_every_one_500(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        assert "500" in codes, (method, path)
        if "requestBody" in operation:
            assert "415" in codes, (method, path)


def test_a_decision_sent_as_a_form_is_a_415_and_decides_nothing(county, as_user):
    """The bug: a form with only `note` was read as approve=false (a refusal)."""
    case = county.in_progress()
    workflow.case_request_extension(
        actor=county.dan,
        case=case,
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=7),
        reason="需要更多时间",
    )
    events = CaseEvent.objects.filter(case=case).count()
    office = as_user(county.office)
    for fmt in ("multipart", None):
        extra = {"format": fmt} if fmt else {"content_type": "application/x-www-form-urlencoded"}
        body = {"note": "同意"} if fmt else "note=%E5%90%8C%E6%84%8F"
        answer = office.client.post(f"/api/v1/{case_url(case, 'decide-extension')}", body, **extra)
        assert answer.status_code == 415, answer.content
        assert "detail" in answer.json()
    answer = office.post(case_url(case, "decide-extension"), {"note": "同意"})
    assert answer.status_code == 400 and "approve" in answer.json()
    assert CaseEvent.objects.filter(case=case).count() == events


def test_a_token_request_sent_as_a_form_is_a_415(county, as_user):
    answer = as_user(None).client.post(
        "/api/v1/auth/token/", {"username": "dan", "password": "pw-for-tests-only"}
    )
    assert answer.status_code == 415 and "detail" in answer.json()


ACTION_PATHS = [
    path.removeprefix("/api/v1/cases/{id}/").rstrip("/")
    for path in (
        "/api/v1/cases/{id}/" + name + "/"
        for name in (
            "accept appeal assign breakdown close commitment complete-breakdown decide-appeal "
            "decide-extension decide-suspension join keep-commitment leave-joint merge progress "
            "rate refuse-return reopen reply request-extension request-suspension resume return "
            "urge list delist escalate-to-city"
        ).split()
    )
]


def required_fields(schema, path: str) -> set[str]:
    operation = schema["paths"][f"/api/v1/cases/{{id}}/{path}/"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return set(component.get("required", []))


def test_the_schema_lists_every_action(schema):
    actions = {
        path.removeprefix("/api/v1/cases/{id}/").rstrip("/")
        for path, method, _op in operations(schema)
        if method == "post" and path.startswith("/api/v1/cases/{id}/")
    }
    assert actions == set(ACTION_PATHS)


@pytest.mark.parametrize("path", ACTION_PATHS)
def test_each_action_refuses_an_empty_body_naming_exactly_its_required_fields(
    county, as_user, schema, path
):
    """What the schema marks required is what the API requires: nothing is defaulted to a
    decision. An action with no required field goes on to its workflow rule (no field error)."""
    case = county.in_progress()
    events = CaseEvent.objects.filter(case=case).count()
    required = required_fields(schema, path)
    answer = as_user(county.office).post(case_url(case, path), {})
    if required:
        assert answer.status_code == 400, (path, answer.json())
        assert set(answer.json()) == required, path
        assert CaseEvent.objects.filter(case=case).count() == events
    else:
        assert answer.status_code in (200, 403, 409), (path, answer.json())


@pytest.mark.parametrize(
    "path, field", [("decide-extension", "approve"), ("decide-suspension", "approve"),
                    ("decide-appeal", "uphold"), ("rate", "rating"), ("reply", "outcome")],
)  # fmt: skip
def test_a_decision_is_required_never_taken_as_no(schema, path, field):
    assert field in required_fields(schema, path)


# --- strict query strings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, params, name",
    [
        ("cases/", {"overdue": "maybe"}, "overdue"),
        ("cases/", {"overdue": "yes"}, "overdue"),
        ("cases/", {"status": "open"}, "status"),
        ("cases/", {"lead_department": "0"}, "lead_department"),
        ("cases/", {"enterprise": "1.5"}, "enterprise"),
        ("cases/", {"page_size": "abc"}, "page_size"),
        ("cases/", {"page_size": "0"}, "page_size"),
        ("cases/", {"page_size": "201"}, "page_size"),
        ("cases/", {"page": "abc"}, "page"),
        ("cases/", {"page": "0"}, "page"),
        ("notifications/", {"unread": "maybe"}, "unread"),
        ("notifications/", {"unread": "1"}, "unread"),
        ("enterprises/", {"is_key": "maybe"}, "is_key"),
        ("departments/", {"kind": "ministry"}, "kind"),
        ("visits/", {"kind": "chat"}, "kind"),
        ("visits/", {"page_size": "-1"}, "page_size"),
    ],
)
def test_an_unknown_query_value_is_a_400_naming_the_parameter(county, as_user, path, params, name):
    answer = as_user(county.office).get(path, params)
    assert answer.status_code == 400, (params, answer.content)
    assert list(answer.json()) == [name]


def test_the_strict_values_still_filter(county, as_user):
    office = as_user(county.office)
    key = office.get("enterprises/", {"is_key": "true"}).json()["results"]
    others = office.get("enterprises/", {"is_key": "false"}).json()["results"]
    assert [e["id"] for e in key] == [county.steel.pk]
    assert [e["id"] for e in others] == [county.poultry.pk]
    for _ in range(3):
        county.submitted()
    page = office.get("cases/", {"page_size": "200", "page": "1", "overdue": "false"}).json()
    assert page["count"] == 3 and len(page["results"]) == 3
    assert office.get("cases/", {"page_size": "2", "page": "3"}).status_code == 404
    assert office.get("notifications/", {"unread": "false"}).status_code == 200
    assert office.get("notifications/", {"unread": ""}).status_code == 200


def parameter(schema, path: str, name: str) -> dict:
    (found,) = [p for p in schema["paths"][path]["get"].get("parameters", []) if p["name"] == name]
    return found["schema"]


def test_the_schema_carries_the_same_bounds(schema):
    cases = "/api/v1/cases/"
    for name in ("enterprise", "lead_department"):
        assert parameter(schema, cases, name)["minimum"] == 1
    assert parameter(schema, "/api/v1/visits/", "enterprise")["minimum"] == 1
    assert parameter(schema, cases, "page_size") == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
    }
    assert parameter(schema, cases, "page") == {"type": "integer", "minimum": 1}
    assert parameter(schema, cases, "overdue")["type"] == "boolean"
    assert parameter(schema, "/api/v1/enterprises/", "is_key")["type"] == "boolean"
    assert parameter(schema, "/api/v1/notifications/", "unread")["type"] == "boolean"
    assert set(parameter(schema, cases, "status")["enum"]) == set(Case.Status.values)


# --- every answer under /api/ is JSON ----------------------------------------------------------------


@pytest.fixture(params=[False, True], ids=["DEBUG-off", "DEBUG-on"])
def mode(request, settings):
    settings.DEBUG = request.param


def assert_json_error(answer, status: int):
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"] == "application/json", answer.content[:300]
    body = json.loads(answer.content)
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize(
    "path", ["/api/nothing/", "/api/v1/nothing/", "/api/v1/cases/1.5/", "/api/v1/cases/abc/",
             "/api/v2/cases/"],
)  # fmt: skip
def test_a_path_no_api_url_matches_is_a_json_404(mode, county, as_user, path):
    assert_json_error(as_user(county.office).client.get(path), 404)
    assert_json_error(as_user(None).client.get(path), 404)


def test_a_method_not_allowed_is_a_json_405_with_allow(mode, county, as_user):
    answer = as_user(county.office).client.delete("/api/v1/cases/")
    assert_json_error(answer, 405)
    assert "GET" in answer["Allow"]


def test_a_browser_asking_for_html_still_gets_json(county, as_user):
    answer = as_user(county.office).client.get("/api/v1/cases/", HTTP_ACCEPT="text/html,*/*")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert_json_error(
        as_user(county.office).client.get("/api/v1/cases/", HTTP_ACCEPT="text/html"), 406
    )


def test_a_server_error_is_a_json_500_and_the_traceback_goes_to_the_log(
    mode, county, as_user, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database said no")

    monkeypatch.setattr("api.views.cases.cases_visible_to", broken)
    client = as_user(county.office).client
    client.raise_request_exception = False
    answer = client.get("/api/v1/cases/")
    body = assert_json_error(answer, 500)
    assert "the database said no" not in answer.content.decode()
    assert body == {"detail": body["detail"]}
    assert any("the database said no" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_throttled_answer_is_json_with_retry_after(county, as_user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1/min", "ip": None, "auth": None},
    }
    dan = as_user(county.dan)
    dan.get("me/")
    answer = dan.client.get("/api/v1/me/")
    assert_json_error(answer, 429)
    assert int(answer["Retry-After"]) > 0


def test_pages_outside_the_api_keep_their_html(county, client):
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("text/html")


def test_a_developer_who_asked_for_djangos_debug_pages_keeps_them(county, client, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    answer = client.get("/api/nothing/")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("text/html")
