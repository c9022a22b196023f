"""Who did it (issue 16): every timeline event names the actor's own unit, not the lead department.

The county of tests/conftest.py: 县工信局 (Dan its clerk, Hu its head) leads the cases of 荣信钢构,
whose 荣信钢构专班 Li leads, Hu sits on and Carl is the paired cadre of; Eva is 荣信钢构's contact;
县人社局 is Ren's; the office (县委办) is Ou's. The unit shows on the case page each role opens,
in the API's events, and on the enterprise's portal.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from cases import intake, workflow
from cases.models import CaseEvent
from cases.units import actor_unit
from enterprises.models import DepartmentStaff
from fieldwork.services import visit_log
from notifications.reminders import reminders_sweep
from portal.services import problem_raise
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember
from tests.conftest import CHINA, make_user

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
STEEL = "江西进贤荣信钢构公司"
STEEL_FORCE = "荣信钢构专班"
ENTRY = re.compile(
    r'<li class="list-group-item small">\s*<strong>(?P<kind>[^<]+)</strong>(?P<rest>.*?)</li>', re.S
)
UNIT = re.compile(r'<span class="event-unit" data-unit="(?P<kind>\w*)">(?P<name>[^<]*)</span>')


def timeline(client, user, case) -> list[tuple[str, str, str]]:
    """The case page's timeline as this user sees it: (kind label, unit kind, unit name)."""
    client.force_login(user)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    section = response.content.decode().split('id="timeline"', 1)[1]
    entries = []
    for entry in ENTRY.finditer(section):
        unit = UNIT.search(entry["rest"])
        entries.append(
            (entry["kind"].strip(), *((unit["kind"], unit["name"]) if unit else ("", "")))
        )
    return entries


def shown(client, user, case, label: str) -> tuple[str, str]:
    """The unit of the (last) timeline entry with this label."""
    units = [(kind, name) for text, kind, name in timeline(client, user, case) if text == label]
    assert units, f"no {label} on the timeline"
    return units[-1]


def api_units(client, user, case) -> dict[str, dict | None]:
    """The API's events of the case as this user reads them: kind → unit (the last of a kind)."""
    client.force_login(user)
    response = client.get(f"/api/v1/cases/{case.pk}/events/")
    assert response.status_code == 200
    return {e["kind"]: e["unit"] for e in response.json()["results"]}


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


# --- each role's action, on every timeline ------------------------------------------------------


def test_the_office_s_close_out_names_the_office_not_the_lead_department(client, county):
    case = county.closed()
    for user in (county.office, county.dan, county.eva):
        assert shown(client, user, case, "销号") == ("office", "县委办")
        assert shown(client, user, case, "交办") == ("office", "县委办")
        assert api_units(client, user, case)[K.CLOSED] == {"kind": "office", "name": "县委办"}
    # The department an assignment goes to is still said, as where it went.
    client.force_login(county.office)
    assert "→ 县工信局" in client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_a_clerk_s_event_names_their_own_department(client, county):
    case = county.in_progress(co_departments=[county.rsj])
    workflow.case_add_progress(actor=county.ren, case=case, note="人社局已对接招聘", public=True)
    for user in (county.office, county.dan, county.eva):
        assert shown(client, user, case, "签收并对接") == ("department", "县工信局")
        assert shown(client, user, case, "办理进展") == ("department", "县人社局")
        assert api_units(client, user, case)[K.PROGRESS] == {
            "kind": "department",
            "name": "县人社局",
        }
    # The office's note on the same case is the office's, whoever leads it.
    workflow.case_add_progress(actor=county.office, case=case, note="请加快进度", public=True)
    assert shown(client, county.eva, case, "办理进展") == ("office", "县委办")


def test_the_enterprise_s_own_rating_names_the_enterprise_not_the_department_it_rated(
    client, county
):
    case = county.replied()
    workflow.case_rate(actor=county.eva, case=case, rating="satisfied", comment="电压稳了")
    for user in (county.eva, county.office, county.dan):
        assert shown(client, user, case, "评价") == ("enterprise", STEEL)
        assert api_units(client, user, case)[K.RATED] == {"kind": "enterprise", "name": STEEL}
    assert shown(client, county.eva, case, "反馈") == ("department", "县工信局")
    # The portal's list says who made the latest update: the enterprise itself.
    client.force_login(county.eva)
    portal = client.get(reverse("portal:cases")).content.decode()
    assert f'评价 · <span class="event-unit">{STEEL}</span>' in portal


def test_the_enterprise_s_own_problem_is_raised_by_the_enterprise(client, county):
    case = problem_raise(actor=county.eva, title="天然气压力不足", category=county.power_category)
    assert shown(client, county.eva, case, "登记") == ("enterprise", STEEL)
    assert shown(client, county.office, case, "登记") == ("enterprise", STEEL)
    assert api_units(client, county.eva, case)[K.CREATED] == {"kind": "enterprise", "name": STEEL}


def test_a_cadre_s_visit_and_return_visit_name_the_task_force(client, county):
    # Carl is on another task force too: the one covering the enterprise is named.
    other = TaskForce.objects.create(name="A组专班", kind=TaskForce.Kind.INDUSTRY, active=True)
    TaskForceMember.objects.create(task_force=other, user=county.carl, role="cadre")
    TaskForceEnterprise.objects.create(task_force=other, enterprise=county.poultry)
    _visit, [case] = visit_log(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=timezone.localdate(),
        kind="inspect",
        problems=[intake.Problem("电压不稳", "无法满负荷生产", county.power_category)],
    )
    assert shown(client, county.office, case, "登记") == ("taskforce", STEEL_FORCE)
    assert shown(client, county.eva, case, "登记") == ("taskforce", STEEL_FORCE)
    case = county.replied()
    workflow.case_rate(actor=county.carl, case=case, rating="very_dissatisfied", comment="还跳闸")
    assert case.ratings.get().recorded_by_cadre
    for user in (county.office, county.eva):
        assert shown(client, user, case, "评价") == ("taskforce", STEEL_FORCE)
        assert shown(client, user, case, "重办") == ("taskforce", STEEL_FORCE)
    units = api_units(client, county.eva, case)
    assert units[K.RATED] == units[K.REOPENED] == {"kind": "taskforce", "name": STEEL_FORCE}
    # Inside, the cadre is named with the task force.
    client.force_login(county.office)
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert re.search(rf'data-unit="taskforce">{STEEL_FORCE}</span> · carl', body)


def test_a_head_on_a_task_force_instructs_for_it_and_commits_for_the_department(client, county):
    case = county.in_progress()
    workflow.case_instruct(actor=county.hu, case=case, text="务必本周解决", public=True)
    workflow.case_add_commitment(
        actor=county.hu, case=case, text="本周内增容", due_on=timezone.localdate()
    )
    assert shown(client, county.eva, case, "批示") == ("taskforce", STEEL_FORCE)
    assert shown(client, county.eva, case, "亮诺") == ("department", "县工信局")
    workflow.case_instruct(actor=county.li, case=case, text="专班跟进")
    assert shown(client, county.office, case, "批示") == ("taskforce", STEEL_FORCE)


def test_the_sweep_s_reminder_names_the_system(client, county):
    case = county.assigned(assigned_at=at(2021, 5, 31, 10, 0))
    assert reminders_sweep(now=at(2021, 6, 4, 8, 0)).reminders == 1
    assert shown(client, county.office, case, "督办提醒") == ("system", "系统")
    assert shown(client, county.dan, case, "督办提醒") == ("system", "系统")
    assert api_units(client, county.office, case)[K.REMINDER] == {"kind": "system", "name": "系统"}
    assert "督办提醒" not in [t for t, _k, _n in timeline(client, county.eva, case)]  # internal
    with translation.override("en"):
        assert CaseEvent.objects.get(case=case, kind=K.REMINDER).unit_label == "System"


def test_the_unit_is_kept_as_it_was_when_the_actor_moves(client, county):
    case = county.replied()
    DepartmentStaff.objects.filter(user=county.dan).update(department=county.rsj)
    assert shown(client, county.office, case, "反馈") == ("department", "县工信局")


def test_a_user_left_with_no_role_and_a_superuser_outside_the_office(county):
    case = county.submitted()
    assert actor_unit(county.sam, case).kind == ""
    root = make_user("root", is_superuser=True)
    assert (actor_unit(root, case).kind, actor_unit(root, case).name) == ("office", "县委办")
    assert actor_unit(None).kind == "system"


# --- the data migration ------------------------------------------------------------------------


def fill_event_units(monkeypatch, window: int):
    module = importlib.import_module("cases.migrations.0009_fill_event_units")
    monkeypatch.setattr(module, "WINDOW", window)
    module.fill_event_units(apps, None)


def test_the_migration_names_the_units_of_events_written_before_units(monkeypatch, county):
    case = county.in_progress(co_departments=[county.rsj])
    workflow.case_add_progress(actor=county.ren, case=case, note="协办进展")
    workflow.case_instruct(actor=county.hu, case=case, text="务必本周解决")
    workflow.case_reply(actor=county.dan, case=case, outcome="resolved", reply="已增容")
    workflow.case_rate(actor=county.carl, case=case, rating="very_dissatisfied")
    root = make_user("root", is_superuser=True)
    gone = make_user("gone")
    DepartmentStaff.objects.create(user=gone, department=county.rsj)
    other = workflow.case_assign(
        actor=county.office, case=county.submitted(county.poultry), lead_department=county.rsj
    )
    old = [  # the old shape: the lead department on each, no unit
        CaseEvent.objects.create(case=other, kind=K.RATED, actor=county.bea, department=county.rsj),
        CaseEvent.objects.create(case=other, kind=K.CLOSED, actor=root, department=county.rsj),
        CaseEvent.objects.create(case=other, kind=K.REMINDER, department=county.rsj),
        CaseEvent.objects.create(case=other, kind=K.DEADLINES_RECOUNTED),
        CaseEvent.objects.create(case=other, kind=K.PROGRESS, actor=gone, department=county.rsj),
        CaseEvent.objects.create(case=other, kind=K.PROGRESS, actor=county.sam),
    ]
    gone.delete()  # its event keeps no actor: nobody knows whose it was
    CaseEvent.objects.filter(case=case).update(unit_kind="", unit_name="")
    kept = CaseEvent.objects.filter(case=other, kind=K.ASSIGNED).get()
    CaseEvent.objects.filter(pk=kept.pk).update(unit_kind="department", unit_name="旧的写法")

    fill_event_units(monkeypatch, window=3)  # several windows

    def units(c, kind):
        return list(
            CaseEvent.objects.filter(case=c, kind=kind)
            .order_by("pk")
            .values_list("unit_kind", "unit_name")
        )

    office, gxj, rsj = ("office", "县委办"), ("department", "县工信局"), ("department", "县人社局")
    force = ("taskforce", STEEL_FORCE)
    assert units(case, K.CREATED) == units(case, K.ASSIGNED) == [office]
    assert units(case, K.ACCEPTED) == units(case, K.REPLIED) == [gxj]
    assert units(case, K.PROGRESS) == [rsj]
    assert units(case, K.INSTRUCTION) == [force]  # Hu, as the task force's head
    assert units(case, K.RATED) == units(case, K.REOPENED) == [force]  # Carl, on a return visit
    assert [CaseEvent.objects.get(pk=e.pk).unit_kind for e in old] == [
        "enterprise",
        "office",
        "system",
        "system",
        "",
        "",
    ]
    assert CaseEvent.objects.get(pk=old[0].pk).unit_name == "江西桂柳家禽有限公司"
    assert CaseEvent.objects.get(pk=old[1].pk).unit_name == "县委办"
    assert CaseEvent.objects.get(pk=kept.pk).unit_name == "旧的写法"  # already named: left alone
    # Run again, nothing changes.
    before = list(CaseEvent.objects.order_by("pk").values_list("unit_kind", "unit_name"))
    fill_event_units(monkeypatch, window=1000)
    assert list(CaseEvent.objects.order_by("pk").values_list("unit_kind", "unit_name")) == before


def test_the_api_schema_documents_the_unit(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    event = schema["components"]["schemas"]["CaseEvent"]["properties"]
    assert {"actor", "unit", "department"} <= set(event)
    assert set(event["unit"]["properties"]["kind"]["enum"]) == {
        "office",
        "department",
        "enterprise",
        "taskforce",
        "leadership",
        "system",
        "city",  # the city's office and a city department (上报市级, cases.workflow.city)
        "city_dept",
    }
