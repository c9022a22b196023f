"""The API contract of DESIGN §9: each endpoint and action, its success shape and each error code.

The county of tests/conftest.py: the office assigns, Dan (县工信局) leads the steel plant's cases,
Eva is the steel plant's contact, Bea the poultry firm's, Carl the steel plant's paired cadre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from cases import workflow
from cases.models import Case, CaseEvent, Visit
from tests.api.conftest import case_url
from tests.conftest import CHINA, make_user

pytestmark = pytest.mark.django_db

CASE_FIELDS = {
    "id", "number", "title", "description", "category", "enterprise", "status", "source", "batch",
    "lead_department", "co_departments", "assigned_at", "contact_due_at", "contacted_at",
    "resolve_due_at", "replied_at", "outcome", "reply", "rating", "closed_at", "overdue",
    "escalation_level", "estimated",
}  # fmt: skip


def local_day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


# --- authentication ----------------------------------------------------------------------------


def test_a_username_and_password_get_a_token_that_opens_the_api(county, as_user):
    answer = as_user(None).post("auth/token/", {"username": "dan", "password": "pw-for-tests-only"})
    assert answer.status_code == 200
    token = answer.json()["token"]
    me = as_user(None).get("me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "dan"


def test_asking_twice_gives_the_same_token(county, as_user):
    body = {"username": "dan", "password": "pw-for-tests-only"}
    first = as_user(None).post("auth/token/", body).json()["token"]
    assert as_user(None).post("auth/token/", body).json()["token"] == first


def test_a_wrong_password_is_a_400_that_gives_no_token(county, as_user):
    answer = as_user(None).post("auth/token/", {"username": "dan", "password": "guess"})
    assert answer.status_code == 400
    assert "token" not in answer.json() and "non_field_errors" in answer.json()


def test_a_token_request_without_a_password_names_the_field(county, as_user):
    answer = as_user(None).post("auth/token/", {"username": "dan"})
    assert answer.status_code == 400 and "password" in answer.json()


def test_without_credentials_the_api_answers_401_with_a_challenge(county, as_user):
    answer = as_user(None).get("cases/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Token")
    assert "detail" in answer.json()


def test_a_bad_token_is_a_401(county, as_user):
    answer = as_user(None).get("me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert answer.status_code == 401


def test_a_browser_session_works_too(county, client):
    client.force_login(county.dan)
    assert client.get("/api/v1/me/").json()["username"] == "dan"


# --- me and the directories ----------------------------------------------------------------------


def test_me_tells_each_persona_their_roles_and_links(county, as_user):
    dan = as_user(county.dan).get("me/").json()
    assert dan["roles"] == ["department"] and dan["department"] == county.gxj.pk
    assert dan["enterprise"] is None and dan["task_forces"] == []
    eva = as_user(county.eva).get("me/").json()
    assert eva["roles"] == ["enterprise"] and eva["enterprise"] == county.steel.pk
    carl = as_user(county.carl).get("me/").json()
    assert carl["roles"] == ["cadre"]
    assert carl["task_forces"] == [
        {"id": county.task_force.pk, "name": county.task_force.name, "roles": ["cadre"]}
    ]
    assert as_user(county.office).get("me/").json()["roles"] == ["office"]
    assert as_user(county.sam).get("me/").json()["roles"] == []


def test_me_names_the_users_county_and_city_or_the_city_alone(county, as_user):
    from counties.models import CityOfficeMember

    home = county.steel.county
    place = {"id": home.pk, "name": "进贤县"}
    city = {"id": home.city_id, "name": "南昌市"}
    for persona in (county.dan, county.eva, county.carl, county.office, county.mayor):
        me = as_user(persona).get("me/").json()
        assert (me["county"], me["city"]) == (place, city), persona.username
    nobody = as_user(county.sam).get("me/").json()
    assert (nobody["county"], nobody["city"]) == (None, None)
    reader = make_user("city_reader")
    CityOfficeMember.objects.create(user=reader, city=home.city)
    me = as_user(reader).get("me/").json()
    assert (me["roles"], me["county"], me["city"]) == (["city"], None, city)


def test_departments_are_listed_paginated_for_every_role(county, as_user):
    answer = as_user(county.eva).get("departments/")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"count", "next", "previous", "results"}
    names = {d["name"] for d in body["results"]}
    assert {"县工信局", "县人社局", "县委办"} <= names
    assert set(body["results"][0]) == {"id", "name", "short_name", "kind"}


def test_departments_filter_by_kind_and_refuse_an_unknown_kind(county, as_user):
    office = as_user(county.office)
    utilities = office.get("departments/", {"kind": "utility"}).json()["results"]
    assert [d["name"] for d in utilities] == ["国网进贤县供电公司"]
    answer = office.get("departments/", {"kind": "ministry"})
    assert answer.status_code == 400 and "kind" in answer.json()


def test_a_department_is_read_by_id_and_an_unknown_id_is_404(county, as_user):
    dan = as_user(county.dan)
    assert dan.get(f"departments/{county.rsj.pk}/").json()["name"] == "县人社局"
    assert dan.get("departments/999999/").status_code == 404


def test_enterprises_are_the_ones_the_user_may_see(county, as_user):
    eva = as_user(county.eva).get("enterprises/").json()
    assert [e["id"] for e in eva["results"]] == [county.steel.pk]
    assert eva["results"][0]["credit_code"] == county.steel.credit_code
    office = as_user(county.office).get("enterprises/").json()
    assert office["count"] == 2
    assert as_user(county.sam).get("enterprises/").json()["count"] == 0


def test_enterprises_filter_by_key_and_by_words(county, as_user):
    office = as_user(county.office)
    assert [e["id"] for e in office.get("enterprises/", {"is_key": "true"}).json()["results"]] == [
        county.steel.pk
    ]
    assert [e["id"] for e in office.get("enterprises/", {"search": "家禽"}).json()["results"]] == [
        county.poultry.pk
    ]


def test_task_forces_show_their_enterprises_and_members(county, as_user):
    answer = as_user(county.li).get("taskforces/")
    assert answer.status_code == 200
    (task_force,) = answer.json()["results"]
    assert task_force["enterprises"] == [county.steel.pk]
    roles = sorted(m["role"] for m in task_force["members"])
    assert roles == ["cadre", "head", "head", "leader"]
    assert as_user(county.li).get(f"taskforces/{county.task_force.pk}/").status_code == 200
    assert as_user(county.dan).get("taskforces/").json()["count"] == 0


# --- visits --------------------------------------------------------------------------------------


def visit_body(county, **overrides) -> dict:
    body = {
        "enterprise": county.steel.pk,
        "visited_on": timezone.localdate().isoformat(),
        "kind": "inspect",
        "notes": "与付董座谈",
        "problems": [
            {"title": "电压不稳", "description": "无法满负荷生产", "category": "power"},
            {"title": "招不到焊工", "category": "labour"},
        ],
    }
    return {**body, **overrides}


def test_a_cadre_logs_a_visit_and_gets_the_new_cases_ids(county, as_user):
    answer = as_user(county.carl).post("visits/", visit_body(county))
    assert answer.status_code == 201
    body = answer.json()
    visit = Visit.objects.get(pk=body["id"])
    assert body["kind"] == "inspect" and body["enterprise"] == county.steel.pk
    assert sorted(body["cases"]) == sorted(visit.cases.values_list("pk", flat=True))
    assert len(body["cases"]) == 2
    titles = set(Case.objects.filter(pk__in=body["cases"]).values_list("title", flat=True))
    assert titles == {"电压不稳", "招不到焊工"}


@pytest.mark.parametrize("kind", ["publicize", "inspect", "resolve", "advise"])
def test_each_of_the_four_kinds_of_visit_is_accepted(county, as_user, kind):
    answer = as_user(county.carl).post("visits/", visit_body(county, kind=kind, problems=[]))
    assert answer.status_code == 201 and answer.json()["cases"] == []


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "chat"}, "kind"),
        ({"visited_on": "yesterday"}, "visited_on"),
        ({"enterprise": 999999}, "enterprise"),
        ({"enterprise": "steel"}, "enterprise"),
        ({"problems": [{"title": "", "category": "power"}]}, "problems"),
        ({"problems": [{"title": "电压", "category": "weather"}]}, "problems"),
        ({"problems": "电压不稳"}, "problems"),
        ({"notes": "长" * 20_000}, "notes"),
    ],
)
def test_a_bad_visit_names_the_field_and_saves_nothing(county, as_user, overrides, field):
    answer = as_user(county.carl).post("visits/", visit_body(county, **overrides))
    assert answer.status_code == 400 and field in answer.json()
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_a_visit_dated_tomorrow_is_refused_by_the_intake_rule(county, as_user):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    answer = as_user(county.carl).post("visits/", visit_body(county, visited_on=tomorrow))
    assert answer.status_code == 400 and "visited_on" in answer.json()


def test_a_visit_to_an_enterprise_outside_ones_task_forces_is_forbidden(county, as_user):
    county.in_progress()  # Dan now sees the steel plant, but visits belong to its task force
    answer = as_user(county.dan).post("visits/", visit_body(county))
    assert answer.status_code == 403 and not Visit.objects.exists()


def test_a_visit_to_an_enterprise_one_cannot_see_reads_as_unknown(county, as_user):
    answer = as_user(county.carl).post("visits/", visit_body(county, enterprise=county.poultry.pk))
    assert answer.status_code == 400 and "enterprise" in answer.json()


def test_visits_are_listed_and_read_in_scope(county, as_user):
    visit_id = as_user(county.carl).post("visits/", visit_body(county)).json()["id"]
    listed = as_user(county.li).get("visits/").json()
    assert [v["id"] for v in listed["results"]] == [visit_id]
    assert as_user(county.office).get(f"visits/{visit_id}/").status_code == 200
    assert as_user(county.carl).get("visits/", {"kind": "advise"}).json()["count"] == 0
    assert as_user(county.eva).get(f"visits/{visit_id}/").status_code == 404


# --- cases: list, create, read -------------------------------------------------------------------


def test_the_case_list_is_paginated_with_every_field(county, as_user):
    county.assigned(co_departments=[county.rsj], batch="第一批")
    body = as_user(county.office).get("cases/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    (case,) = body["results"]
    assert CASE_FIELDS <= set(case)
    assert case["category"] == "power" and case["co_departments"] == [county.rsj.pk]
    assert case["status"] == "assigned" and case["batch"] == "第一批"
    assert case["overdue"] is False and case["escalation_level"] is None


def test_the_page_size_can_be_chosen_and_pages_link_to_each_other(county, as_user):
    for _ in range(3):
        county.submitted()
    body = as_user(county.office).get("cases/", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    second = as_user(county.office).get("cases/", {"page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1 and second["previous"]


def test_datetimes_are_iso_8601_with_the_beijing_offset(county, as_user):
    at = dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA)
    case = county.assigned(assigned_at=at)
    body = as_user(county.office).get(case_url(case)).json()
    assert body["assigned_at"] == "2021-04-22T10:00:00+08:00"
    assert body["contact_due_at"] == "2021-04-26T23:59:59+08:00"


def test_a_case_past_its_contact_deadline_is_overdue(county, as_user):
    late = county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))
    fresh = county.assigned()
    office = as_user(county.office)
    assert office.get(case_url(late)).json()["overdue"] is True
    assert office.get(case_url(fresh)).json()["overdue"] is False
    overdue = office.get("cases/", {"overdue": "true"}).json()["results"]
    assert [c["id"] for c in overdue] == [late.pk]
    on_time = office.get("cases/", {"overdue": "false"}).json()["results"]
    assert [c["id"] for c in on_time] == [fresh.pk]


def test_a_suspended_case_is_not_overdue(county, as_user):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供材料")
    workflow.case_decide_suspension(actor=county.office, case=case, approve=True)
    Case.objects.filter(pk=case.pk).update(resolve_due_at=timezone.now() - dt.timedelta(days=1))
    assert as_user(county.office).get(case_url(case)).json()["overdue"] is False


def test_the_list_filters_by_each_field_of_the_contract(county, as_user):
    steel = county.assigned(batch="第一批")
    poultry = county.submitted(enterprise=county.poultry, title="电费太高")
    labour = county.submitted(title="招工难")
    Case.objects.filter(pk=labour.pk).update(category=county.labour_category)
    office = as_user(county.office)

    def ids(**params):
        answer = office.get("cases/", params)
        assert answer.status_code == 200, answer.json()
        return {c["id"] for c in answer.json()["results"]}

    assert ids(status="assigned") == {steel.pk}
    assert ids(category="labour") == {labour.pk}
    assert ids(lead_department=county.gxj.pk) == {steel.pk}
    assert ids(enterprise=county.poultry.pk) == {poultry.pk}
    assert ids(batch="第一批") == {steel.pk}
    assert ids(search="电费") == {poultry.pk}
    assert ids(search=steel.number) == {steel.pk}
    assert ids(search="家禽") == {poultry.pk}
    assert ids(status="submitted", enterprise=county.steel.pk) == {labour.pk}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "open"}, "status"),
        ({"enterprise": "steel"}, "enterprise"),
        ({"lead_department": "1.5"}, "lead_department"),
        ({"search": "长" * 500}, "search"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(county, as_user, params, field):
    answer = as_user(county.office).get("cases/", params)
    assert answer.status_code == 400 and field in answer.json()


def test_an_unknown_page_is_a_404(county, as_user):
    assert as_user(county.office).get("cases/", {"page": 9}).status_code == 404


def test_an_enterprise_raises_a_problem_of_its_own(county, as_user):
    body = {
        "enterprise": county.steel.pk,
        "title": "园区道路缺失",
        "description": "",
        "category": "power",
    }
    answer = as_user(county.eva).post("cases/", body)
    assert answer.status_code == 201
    case = answer.json()
    assert CASE_FIELDS <= set(case)
    assert case["status"] == "submitted" and case["source"] == "self_report"
    assert case["enterprise"] == county.steel.pk and case["title"] == "园区道路缺失"
    assert Case.objects.get(pk=case["id"]).created_by == county.eva


def test_a_category_may_be_named_by_its_id_too(county, as_user):
    body = {"enterprise": county.steel.pk, "title": "招工难", "category": county.labour_category.pk}
    answer = as_user(county.office).post("cases/", body)
    assert answer.status_code == 201 and answer.json()["category"] == "labour"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"category": "weather"}, "category"),
        ({"category": None}, "category"),
        ({"enterprise": 999999}, "enterprise"),
        ({"enterprise": True}, "enterprise"),
        ({"description": ["a", "list"]}, "description"),
    ],
)
def test_a_bad_new_case_names_the_field_and_saves_nothing(county, as_user, overrides, field):
    body = {
        "enterprise": county.steel.pk,
        "title": "园区道路缺失",
        "category": "power",
        **overrides,
    }
    answer = as_user(county.eva).post("cases/", body)
    assert answer.status_code == 400 and field in answer.json()
    assert not Case.objects.exists()


def test_a_new_case_for_another_enterprise_reads_as_an_unknown_enterprise(county, as_user):
    body = {"enterprise": county.poultry.pk, "title": "冒名登记", "category": "power"}
    answer = as_user(county.eva).post("cases/", body)
    assert answer.status_code == 400 and "enterprise" in answer.json()


def test_a_department_may_see_an_enterprise_but_not_raise_its_problems(county, as_user):
    county.in_progress()
    body = {"enterprise": county.steel.pk, "title": "代企业登记", "category": "power"}
    answer = as_user(county.dan).post("cases/", body)
    assert answer.status_code == 403 and "detail" in answer.json()


def test_malformed_json_is_a_400(county, as_user):
    caller = as_user(county.eva)
    answer = caller.client.post(
        "/api/v1/cases/", data='{"title": "x",', content_type="application/json"
    )
    assert answer.status_code == 400 and "detail" in answer.json()


def test_a_json_list_instead_of_an_object_is_a_400(county, as_user):
    answer = as_user(county.eva).post("cases/", ["enterprise", "title"])
    assert answer.status_code == 400


def test_a_case_is_read_with_every_field_and_an_unknown_one_is_404(county, as_user):
    case = county.replied()
    body = as_user(county.eva).get(case_url(case)).json()
    assert CASE_FIELDS <= set(body)
    assert body["outcome"] == "resolved" and body["reply"] == "已增设一台变压器"
    assert body["rating"] is None and body["replied_at"].endswith("+08:00")
    answer = as_user(county.office).get("cases/999999/")
    assert answer.status_code == 404 and "detail" in answer.json()


# --- the timeline --------------------------------------------------------------------------------


def test_the_timeline_lists_events_in_order(county, as_user):
    case = county.in_progress()
    workflow.case_add_progress(actor=county.dan, case=case, note="已联系供电公司", public=False)
    body = as_user(county.dan).get(case_url(case, "events")).json()
    kinds = [e["kind"] for e in body["results"]]
    assert kinds == ["created", "assigned", "accepted", "progress"]
    event = body["results"][-1]
    assert set(event) == {
        "id",
        "kind",
        "actor",
        "unit",
        "department",
        "public",
        "note",
        "internal_note",
        "data",
        "attachments",
        "created_at",
    }
    assert event["actor"] == "dan" and event["public"] is False and event["attachments"] == []
    assert event["unit"] == {"kind": "department", "name": "县工信局"}
    assert event["created_at"].endswith("+08:00")


def test_the_enterprise_sees_only_the_public_timeline(county, as_user):
    case = county.in_progress()
    workflow.case_add_progress(actor=county.dan, case=case, note="内部协调", public=False)
    workflow.case_add_progress(actor=county.dan, case=case, note="已安排上门", public=True)
    events = as_user(county.eva).get(case_url(case, "events")).json()["results"]
    assert all(e["public"] for e in events)
    assert "内部协调" not in [e["note"] for e in events]
    assert "已安排上门" in [e["note"] for e in events]
    assert {e["internal_note"] for e in events} == {None}  # never the enterprise's to read


def test_the_timeline_of_an_unknown_case_is_404(county, as_user):
    assert as_user(county.office).get("cases/999999/events/").status_code == 404


# --- every action: success, 400, 403, 404, 409 ---------------------------------------------------


def _returned(county):
    case = county.assigned()
    return workflow.case_return(actor=county.dan, case=case, reason="属于供电公司职责")


def _joined(county):
    """The steel plant's problem, the poultry farm's same one joined to it (并案, cases.joint)."""
    case = county.submitted()
    other = county.submitted(enterprise=county.poultry)
    workflow.case_join(actor=county.office, case=other, into=case)
    return case


def _with_item(county):
    case = county.in_progress()
    workflow.case_add_breakdown_item(
        actor=county.dan, case=case, department=county.rsj, measure="组织招聘会",
        due_on=timezone.localtime(case.resolve_due_at).date(),
    )  # fmt: skip
    return case


def _with_commitment(county):
    case = county.in_progress()
    workflow.case_add_commitment(
        actor=county.dan, case=case, text="两周内增设变压器",
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )  # fmt: skip
    return case


def _extension_asked(county):
    case = county.in_progress()
    workflow.case_request_extension(
        actor=county.dan, case=case, reason="设备到货延迟",
        resolve_due_at=case.resolve_due_at + dt.timedelta(days=10),
    )  # fmt: skip
    return case


def _suspension_asked(county):
    case = county.in_progress()
    workflow.case_request_suspension(actor=county.dan, case=case, reason="等企业提供材料")
    return case


def _suspended(county):
    case = _suspension_asked(county)
    return workflow.case_decide_suspension(actor=county.office, case=case, approve=True)


def _rated_badly(county):
    case = county.replied()
    return workflow.case_rate(
        actor=county.eva, case=case, rating="very_dissatisfied", comment="没解决"
    )


def _explained(county):
    """Replied as a policy barrier, explained: what 上报市级 takes (cases.workflow.city)."""
    return workflow.case_reply(
        actor=county.dan, case=county.in_progress(), outcome="explained", reply="属省级政策"
    )


def _rated_well(county):
    case = county.replied()
    return workflow.case_rate(actor=county.eva, case=case, rating="satisfied", comment="解决了")


def _appealed(county):
    case = _rated_badly(county)
    workflow.case_appeal_rating(actor=county.dan, case=case, reason="企业诉求超出政策范围")
    return case


def _completed_item(county):
    case = _with_item(county)
    workflow.breakdown_item_complete(actor=county.dan, item=case.breakdown_items.get())
    return case


def _kept_commitment(county):
    case = _with_commitment(county)
    workflow.commitment_keep(actor=county.dan, commitment=case.commitments.get())
    return case


def _listed(county):
    case = county.in_progress()
    workflow.case_list(actor=county.office, case=case, reason="逾期未办结，列入挂牌督办")
    return case


def _extension_requested_already(county):
    return _extension_asked(county)


@dataclass
class Action:
    path: str
    ready: Callable  # county -> a case on which `actor` may take the action
    actor: str
    body: Callable[[Any, Case], dict]
    then: str  # the case's status afterwards
    forbidden: str  # a persona who sees the case but may not act
    conflict: Callable  # county -> a case in a state that does not allow the action
    conflict_actor: str
    bad: dict
    bad_field: str

    def __str__(self):
        return self.path


def _due(days: int):
    return lambda county, case: (case.resolve_due_at + dt.timedelta(days=days)).isoformat()


ACTIONS = [
    Action(
        "assign", lambda c: c.submitted(), "office",
        lambda c, case: {"lead_department": c.gxj.pk, "co_departments": [c.rsj.pk], "note": "请尽快对接", "batch": "第一批"},
        "assigned", "eva", lambda c: c.assigned(), "office",
        {"lead_department": 999999}, "lead_department",
    ),
    Action(
        "refuse-return", _returned, "office", lambda c, case: {"note": "指定由工信局办理"},
        "assigned", "eva", lambda c: c.submitted(), "office",
        {"note": "长" * 20_000}, "note",
    ),
    Action(
        "return", lambda c: c.assigned(), "dan", lambda c, case: {"reason": "属于供电公司职责"},
        "submitted", "office", lambda c: c.in_progress(), "dan",
        {}, "reason",
    ),
    Action(
        "accept", lambda c: c.assigned(), "dan", lambda c, case: {"contact_note": "电话联系付董"},
        "in_progress", "office", lambda c: c.in_progress(), "dan",
        {"contact_note": ""}, "contact_note",
    ),
    Action(
        "progress", lambda c: c.in_progress(), "dan", lambda c, case: {"note": "已到现场", "public": True},
        "in_progress", "eva", lambda c: c.submitted(), "office",
        {"note": "已到现场", "public": "maybe"}, "public",
    ),
    Action(
        "breakdown", lambda c: c.in_progress(), "dan",
        lambda c, case: {"department": c.rsj.pk, "measure": "组织招聘会", "due_on": local_day(case.resolve_due_at)},
        "in_progress", "eva", lambda c: c.closed(), "office",
        {"department": 1, "measure": "组织招聘会", "due_on": "next week"}, "due_on",
    ),
    Action(
        "complete-breakdown", _with_item, "dan",
        lambda c, case: {"item": case.breakdown_items.get().pk},
        "in_progress", "eva", _completed_item, "dan",
        {"item": 999999}, "item",
    ),
    Action(
        "commitment", lambda c: c.in_progress(), "dan",
        lambda c, case: {"text": "两周内增设变压器", "due_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat()},
        "in_progress", "eva", lambda c: c.replied(), "dan",
        {"text": "两周内增设变压器", "due_on": "2020-01-01"}, "due_on",
    ),
    Action(
        "keep-commitment", _with_commitment, "dan",
        lambda c, case: {"commitment": case.commitments.get().pk, "note": "变压器已投运"},
        "in_progress", "eva", _kept_commitment, "dan",
        {"commitment": "first"}, "commitment",
    ),
    Action(
        "request-extension", lambda c: c.in_progress(), "dan",
        lambda c, case: {"resolve_due_at": _due(10)(c, case), "reason": "设备到货延迟"},
        "in_progress", "office", _extension_requested_already, "dan",
        {"resolve_due_at": "soon", "reason": "设备到货延迟"}, "resolve_due_at",
    ),
    Action(
        "decide-extension", _extension_asked, "office", lambda c, case: {"approve": True, "note": "同意"},
        "in_progress", "dan", lambda c: c.in_progress(), "office",
        {"approve": "perhaps"}, "approve",
    ),
    Action(
        "request-suspension", lambda c: c.in_progress(), "dan", lambda c, case: {"reason": "等企业提供材料"},
        "in_progress", "office", lambda c: c.assigned(), "dan",
        {}, "reason",
    ),
    Action(
        "decide-suspension", _suspension_asked, "office", lambda c, case: {"approve": True},
        "in_progress", "dan", lambda c: c.in_progress(), "office",
        {"approve": None}, "approve",
    ),
    Action(
        "resume", _suspended, "dan", lambda c, case: {"note": "材料已齐"},
        "in_progress", "eva", lambda c: c.in_progress(), "dan",
        {"note": ["材料", "已齐"]}, "note",
    ),
    Action(
        "reply", lambda c: c.in_progress(), "dan", lambda c, case: {"outcome": "resolved", "reply": "已增设变压器"},
        "replied", "office", lambda c: c.assigned(), "dan",
        {"outcome": "fixed", "reply": "已增设变压器"}, "outcome",
    ),
    Action(
        "rate", lambda c: c.replied(), "eva", lambda c, case: {"rating": "satisfied", "comment": "很及时"},
        "replied", "dan", lambda c: c.in_progress(), "eva",
        {"rating": "meh"}, "rating",
    ),
    Action(
        "appeal", _rated_badly, "dan", lambda c, case: {"reason": "企业诉求超出政策范围"},
        "in_progress", "eva", lambda c: c.replied(), "dan",
        {}, "reason",
    ),
    Action(
        "decide-appeal", _appealed, "office", lambda c, case: {"uphold": True, "note": "申诉成立"},
        "in_progress", "dan", _rated_badly, "office",
        {"uphold": "x"}, "uphold",
    ),
    Action(
        "close", _rated_well, "office", lambda c, case: {"note": "企业满意，销号"},
        "closed", "dan", lambda c: c.in_progress(), "office",
        {"note": "长" * 20_000}, "note",
    ),
    Action(
        "reopen", lambda c: c.closed(), "office", lambda c, case: {"reason": "问题复发"},
        "in_progress", "dan", lambda c: c.replied(), "office",
        {"reason": ""}, "reason",
    ),
    Action(
        "merge", lambda c: c.submitted(), "office",
        lambda c, case: {"into": c.submitted(title="电压不稳（重复）").pk},
        "merged", "eva", lambda c: c.assigned(), "office",
        {"into": 999999}, "into",
    ),
    Action(
        "list", lambda c: c.in_progress(), "office", lambda c, case: {"reason": "逾期未办结，列入挂牌督办"},
        "in_progress", "dan", lambda c: c.submitted(), "office",
        {}, "reason",
    ),
    Action(
        "delist", _listed, "office", lambda c, case: {"reason": "已限期办结"},
        "in_progress", "li", lambda c: c.in_progress(), "office",
        {"reason": ""}, "reason",
    ),
    Action(
        "escalate-to-city", _explained, "office", lambda c, case: {"proposal": "建议市级协调电价"},
        "replied", "dan", lambda c: c.replied(), "office",
        {"proposal": ""}, "proposal",
    ),
    Action(
        "leave-joint", _joined, "office", lambda c, case: {"note": "不是同一问题"},
        "submitted", "eva", lambda c: c.submitted(), "office",
        {"note": "长" * 20_000}, "note",
    ),
]  # fmt: skip


def persona(county, name):
    return getattr(county, name)


@pytest.mark.parametrize("act", ACTIONS, ids=str)
def test_an_action_answers_200_with_the_updated_case(county, as_user, act):
    case = act.ready(county)
    events_before = case.events.count()
    answer = as_user(persona(county, act.actor)).post(
        case_url(case, act.path), act.body(county, case)
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert CASE_FIELDS <= set(body)
    assert body["id"] == case.pk and body["status"] == act.then
    assert Case.objects.get(pk=case.pk).status == act.then
    assert case.events.count() > events_before


@pytest.mark.parametrize("act", ACTIONS, ids=str)
def test_an_action_with_bad_input_is_a_400_naming_the_field(county, as_user, act):
    case = act.ready(county)
    before = (Case.objects.get(pk=case.pk).status, case.events.count())
    answer = as_user(persona(county, act.actor)).post(case_url(case, act.path), act.bad)
    assert answer.status_code == 400
    assert act.bad_field in answer.json()
    assert (Case.objects.get(pk=case.pk).status, case.events.count()) == before


@pytest.mark.parametrize("act", ACTIONS, ids=str)
def test_an_action_by_someone_who_sees_the_case_but_may_not_act_is_a_403(county, as_user, act):
    case = act.ready(county)
    user = persona(county, act.forbidden)
    assert as_user(user).get(case_url(case)).status_code == 200
    before = case.events.count()
    answer = as_user(user).post(case_url(case, act.path), act.body(county, case))
    assert answer.status_code == 403 and "detail" in answer.json()
    assert case.events.count() == before


@pytest.mark.parametrize("act", ACTIONS, ids=str)
def test_an_action_on_a_case_out_of_scope_or_unknown_is_a_404(county, as_user, act):
    case = act.ready(county)
    answer = as_user(county.bea).post(case_url(case, act.path), act.body(county, case))
    assert answer.status_code == 404
    answer = as_user(persona(county, act.actor)).post(case_url(999999, act.path), {})
    assert answer.status_code == 404


@pytest.mark.parametrize("act", ACTIONS, ids=str)
def test_an_action_the_state_does_not_allow_is_a_409_with_the_status(county, as_user, act):
    case = act.conflict(county)
    status = Case.objects.get(pk=case.pk).status
    answer = as_user(persona(county, act.conflict_actor)).post(
        case_url(case, act.path), act.body(county, case)
    )
    assert answer.status_code == 409, answer.json()
    assert answer.json()["status"] == status and answer.json()["detail"]


def test_an_unrated_reply_is_not_closed_through_the_api_before_it_has_waited(county, as_user):
    """The close-out rule is the workflow's (cases.closeout): the API keeps it as the page does."""
    case = county.replied()
    answer = as_user(county.office).post(case_url(case, "close"), {"note": "销号"})
    assert answer.status_code == 409, answer.json()
    assert answer.json()["status"] == "replied"
    assert "未评价" in answer.json()["detail"] and "10 个工作日" in answer.json()["detail"]
    assert Case.objects.get(pk=case.pk).status == Case.Status.REPLIED


@pytest.mark.parametrize("act", ACTIONS, ids=str)
def test_an_action_without_credentials_is_a_401(county, as_user, act):
    case = act.ready(county)
    assert as_user(None).post(case_url(case, act.path), act.body(county, case)).status_code == 401


def test_assign_accepts_a_historical_date_and_a_deadline(county, as_user):
    case = county.submitted()
    answer = as_user(county.office).post(
        case_url(case, "assign"),
        {
            "lead_department": county.gxj.pk,
            "assigned_at": "2021-04-22T10:00:00+08:00",
            "resolve_due_at": "2021-05-20T23:59:59+08:00",
        },
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["contact_due_at"] == "2021-04-26T23:59:59+08:00"
    assert body["resolve_due_at"] == "2021-05-20T23:59:59+08:00"
    assert body["overdue"] is True


def test_assign_refuses_a_date_of_a_past_millennium(county, as_user):
    case = county.submitted()
    answer = as_user(county.office).post(
        case_url(case, "assign"),
        {"lead_department": county.gxj.pk, "assigned_at": "0001-01-01T00:00:00+08:00"},
    )
    assert answer.status_code == 400 and "assigned_at" in answer.json()


def test_assign_relays_the_workflow_field_errors(county, as_user):
    case = county.submitted()
    answer = as_user(county.office).post(
        case_url(case, "assign"),
        {"lead_department": county.gxj.pk, "co_departments": [county.gxj.pk]},
    )
    assert answer.status_code == 400 and "co_departments" in answer.json()


def test_a_returning_department_is_answered_though_it_no_longer_sees_the_case(county, as_user):
    case = county.assigned()
    answer = as_user(county.dan).post(case_url(case, "return"), {"reason": "属于供电公司职责"})
    assert answer.status_code == 200 and answer.json()["lead_department"] is None
    assert as_user(county.dan).get(case_url(case)).status_code == 404


def test_a_dissatisfied_rating_reopens_the_case(county, as_user):
    case = county.replied()
    answer = as_user(county.eva).post(case_url(case, "rate"), {"rating": "dissatisfied"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "in_progress" and answer.json()["rating"] == "dissatisfied"


def test_a_cadre_records_a_rating_on_a_return_visit(county, as_user):
    case = county.replied()
    answer = as_user(county.carl).post(case_url(case, "rate"), {"rating": "very_satisfied"})
    assert answer.status_code == 200 and answer.json()["rating"] == "very_satisfied"
    assert case.ratings.get().recorded_by_cadre


def test_merge_points_the_duplicate_at_the_surviving_case(county, as_user):
    duplicate, survivor = county.submitted(), county.submitted()
    answer = as_user(county.office).post(case_url(duplicate, "merge"), {"into": survivor.pk})
    assert answer.json()["merged_into"] == survivor.pk
    answer = as_user(county.office).post(case_url(survivor, "merge"), {"into": survivor.pk})
    assert answer.status_code == 400 and "into" in answer.json()


def test_a_case_is_taken_from_visit_to_close_out_through_the_api_alone(county, as_user):
    """The story of DESIGN §4, as a person following /api/docs/ would tell it with curl."""
    carl, office, dan, eva = (
        as_user(u) for u in (county.carl, county.office, county.dan, county.eva)
    )
    visit = carl.post(
        "visits/", visit_body(county, problems=[{"title": "电压不稳", "category": "power"}])
    )
    (case_id,) = visit.json()["cases"]
    steps = [
        (office, "assign", {"lead_department": county.gxj.pk, "co_departments": [county.power.pk]}),
        (dan, "accept", {"contact_note": "电话联系付董，约定周三上门"}),
        (dan, "progress", {"note": "供电公司已勘察现场", "public": True}),
        (dan, "reply", {"outcome": "resolved", "reply": "已增设一台变压器"}),
        (eva, "rate", {"rating": "very_satisfied", "comment": "电压稳定了"}),
        (office, "close", {"note": "销号"}),
    ]
    for caller, action, body in steps:
        answer = caller.post(case_url(case_id, action), body)
        assert answer.status_code == 200, (action, answer.json())
    assert answer.json()["status"] == "closed" and answer.json()["closed_at"]
    kinds = [e["kind"] for e in eva.get(case_url(case_id, "events")).json()["results"]]
    assert kinds == ["created", "assigned", "accepted", "progress", "replied", "rated", "closed"]
    assert CaseEvent.objects.filter(case_id=case_id).count() == 7


# --- department statistics -----------------------------------------------------------------------


def test_department_stats_count_each_measure(county, as_user):
    late = county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))
    workflow.case_accept(actor=county.dan, case=late, contact_note="迟到的对接")
    on_time = county.replied()
    workflow.case_rate(actor=county.eva, case=on_time, rating="satisfied")
    bounced = county.assigned()
    workflow.case_return(actor=county.dan, case=bounced, reason="不归我们管")
    county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))  # overdue now

    answer = as_user(county.office).get("stats/departments/")
    assert answer.status_code == 200
    rows = {r["department"]: r for r in answer.json()["results"]}
    gxj = rows[county.gxj.pk]
    assert gxj["department_name"] == "县工信局"
    assert gxj["assigned"] == 3  # the returned case is no longer its
    assert gxj["contacted_on_time"] == 1 and gxj["replied_on_time"] == 1
    assert gxj["overdue"] == 2  # late (in progress past its resolve date) and the uncontacted one
    assert gxj["returns"] == 1
    assert gxj["ratings"]["satisfied"] == 1 and gxj["rated"] == 1
    assert gxj["satisfaction_rate"] == 1.0
    assert rows[county.rsj.pk]["assigned"] == 0 and rows[county.rsj.pk]["satisfaction_rate"] is None
    assert county.office_dept.pk not in rows


def test_department_stats_honour_a_date_range(county, as_user):
    county.assigned(assigned_at=dt.datetime(2021, 4, 22, 10, 0, tzinfo=CHINA))
    county.assigned()
    office = as_user(county.office)
    body = office.get(
        "stats/departments/", {"date_from": "2021-04-01", "date_to": "2021-04-30"}
    ).json()
    assert body["date_from"] == "2021-04-01" and body["date_to"] == "2021-04-30"
    assert {r["department"]: r["assigned"] for r in body["results"]}[county.gxj.pk] == 1


def test_department_stats_exclude_a_rating_whose_appeal_was_upheld(county, as_user):
    case = _appealed(county)
    workflow.case_decide_appeal(actor=county.office, case=case, uphold=True)
    kept = county.replied()
    workflow.case_rate(actor=county.eva, case=kept, rating="basically_satisfied")
    rows = {
        r["department"]: r
        for r in as_user(county.office).get("stats/departments/").json()["results"]
    }
    gxj = rows[county.gxj.pk]
    assert gxj["ratings"]["very_dissatisfied"] == 0 and gxj["excluded_ratings"] == 1
    assert gxj["rated"] == 1 and gxj["satisfaction_rate"] == 1.0


@pytest.mark.parametrize(
    "params, field",
    [
        ({"date_from": "April"}, "date_from"),
        ({"date_from": "2021-05-01", "date_to": "2021-04-01"}, "date_to"),
    ],
)
def test_department_stats_refuse_a_bad_range(county, as_user, params, field):
    answer = as_user(county.office).get("stats/departments/", params)
    assert answer.status_code == 400 and field in answer.json()


def test_department_stats_count_only_what_the_user_may_see(county, as_user):
    county.assigned(enterprise=county.poultry)
    rows = {
        r["department"]: r for r in as_user(county.eva).get("stats/departments/").json()["results"]
    }
    assert rows[county.gxj.pk]["assigned"] == 0
    rows = {
        r["department"]: r for r in as_user(county.bea).get("stats/departments/").json()["results"]
    }
    assert rows[county.gxj.pk]["assigned"] == 1


# --- schema and docs -------------------------------------------------------------------------------


def test_the_schema_documents_every_error_answer(client):
    answer = client.get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    paths = answer.json()["paths"]
    accept = paths["/api/v1/cases/{id}/accept/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "429"} <= set(accept)
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "429" in codes, (method, path)
            assert "401" in codes or path == "/api/v1/auth/token/", (method, path)
            assert "404" in codes or "{id}" not in path, (method, path)
            if method == "post" and path.startswith("/api/v1/cases/{id}/"):
                assert {"400", "403", "404", "409"} <= codes, path
    conflict = answer.json()["components"]["schemas"]["StateConflict"]
    assert set(conflict["required"]) == {"detail", "status"}
    assert "/api/v1/auth/token/" in paths and "/api/v1/stats/departments/" in paths
    assert "404" in paths["/api/v1/notifications/{id}/read/"]["post"]["responses"]


def test_the_docs_are_served_without_any_cdn(client):
    answer = client.get("/api/docs/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "swagger-ui" in page and "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
