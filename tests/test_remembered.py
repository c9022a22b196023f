"""The layout's reads remembered across requests (web.remembered): who the reader is, their county's
calendar and the office's estimate banner are read once, then not again until something they
read changes — and a change is seen by the very next request."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import workflow
from cases.models import CalendarOverride
from cases.taskforces import taskforce_save
from cases.workdays import CHINA
from enterprises.models import DepartmentStaff
from taskforces.models import TaskForceMember
from tests.caches import cache_that_is_down
from tests.factories import make_enterprise
from web import remembered
from web.middleware import remembered_actor, remembered_calendar
from web.replica import _Scope, _scope, primary_reads, serving_alias

ROLE_TABLES = (
    "enterprises_departmentstaff",
    "enterprises_enterprisecontact",
    "taskforces_taskforcemember",
)


def tables_read(client, url) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return "\n".join(q["sql"] for q in captured.captured_queries)


def reads_roles(sql: str) -> bool:
    return any(f'"{table}"' in sql for table in ROLE_TABLES)


@pytest.mark.django_db
def test_the_first_page_reads_the_layout_and_the_next_reads_none_of_it(client, county):
    client.force_login(county.office)
    url = reverse("office:board")
    first = tables_read(client, url)
    assert reads_roles(first) and '"cases_calendaroverride"' in first
    second = tables_read(client, url)
    assert not reads_roles(second) and '"cases_calendaroverride"' not in second


@pytest.mark.django_db
def test_a_department_staff_moved_out_of_the_office_loses_its_pages_at_once(client, county):
    client.force_login(county.office)
    assert client.get(reverse("office:triage")).status_code == 200  # remembered as the office
    staff = DepartmentStaff.objects.get(user=county.office)
    staff.department = county.gxj
    staff.save()
    assert client.get(reverse("office:triage")).status_code == 403
    assert client.get(reverse("workspace:inbox")).status_code == 200


@pytest.mark.django_db
def test_a_department_staff_removed_is_nobody_at_the_next_request(client, county):
    client.force_login(county.dan)
    assert client.get(reverse("workspace:inbox")).status_code == 200
    DepartmentStaff.objects.filter(user=county.dan).delete()
    assert client.get(reverse("workspace:inbox")).status_code == 403


@pytest.mark.django_db
def test_members_written_in_bulk_by_the_task_force_service_are_seen_at_once(client, county):
    client.force_login(county.sam)  # nobody yet
    assert client.get(reverse("fieldwork:enterprises")).status_code == 403
    force = county.task_force
    members = [(m.user, m.role, m.department) for m in force.members.all()]
    taskforce_save(
        task_force=force,
        members=[*members, (county.sam, TaskForceMember.Role.CADRE, None)],
        enterprises=[county.steel],
    )
    assert client.get(reverse("fieldwork:enterprises")).status_code == 200


@pytest.mark.django_db
def test_a_renamed_department_is_named_anew_and_an_industry_change_forgets_nothing(county):
    assert remembered_actor(county.dan).department_name == "县工信局"
    token = remembered.cache.get(remembered._token_key(remembered.ROLES))
    county.steel.industry = "钢结构"
    county.steel.save(update_fields=["industry"])
    make_enterprise()  # a new enterprise: nobody is its contact yet
    assert remembered.cache.get(remembered._token_key(remembered.ROLES)) == token
    county.gxj.name = "县工业和信息化局"
    county.gxj.save()
    assert remembered.cache.get(remembered._token_key(remembered.ROLES)) != token
    assert remembered_actor(county.dan).department_name == "县工业和信息化局"


@pytest.mark.django_db
def test_a_deactivated_user_is_nobody_though_their_roles_were_remembered(county):
    assert remembered_actor(county.dan).department_id == county.gxj.pk
    county.dan.is_active = False
    county.dan.save()
    assert remembered_actor(county.dan).roles == []


@pytest.mark.django_db
def test_an_override_the_office_enters_moves_the_remembered_calendar(county):
    county_id = county.office_dept.county_id
    saturday = dt.date(2027, 1, 9)
    assert not remembered_calendar(county_id).is_workday(saturday)
    CalendarOverride.objects.create(
        county_id=county_id, date=saturday, kind=CalendarOverride.Kind.WORKDAY, note="调休"
    )
    assert remembered_calendar(county_id).is_workday(saturday)
    CalendarOverride.objects.filter(date=saturday).delete()
    assert not remembered_calendar(county_id).is_workday(saturday)


@pytest.mark.django_db
def test_nothing_is_remembered_from_inside_a_transaction(county):
    key = remembered._entry_key(remembered.ROLES, f"{county.dan.pk}:0")
    with transaction.atomic():
        remembered_actor(county.dan)
        assert remembered.cache.get(key) is None  # its rows might yet be rolled back
    remembered_actor(county.dan)
    assert remembered.cache.get(key) is not None


@pytest.mark.django_db
def test_a_change_replaces_the_token_again_when_it_commits(
    county, django_capture_on_commit_callbacks
):
    token_key = remembered._token_key(remembered.ROLES)
    with django_capture_on_commit_callbacks() as callbacks:
        county.gxj.name = "县工业和信息化局"
        county.gxj.save()
        at_once = remembered.cache.get(token_key)
        # a page reading the old rows before the commit stores them under this token …
        remembered.cache.set(remembered._entry_key(remembered.ROLES, "x"), (at_once, "old"))
    assert callbacks
    for callback in callbacks:
        callback()
    # … which the commit replaces: the old answer is never read back
    assert remembered.cache.get(token_key) != at_once
    assert remembered.remember(remembered.ROLES, "x", lambda: "new") == "new"


@pytest.mark.django_db
def test_a_cache_that_is_down_remembers_nothing_and_every_read_is_computed(county, monkeypatch):
    monkeypatch.setattr(remembered, "cache", cache_that_is_down())
    calls = []
    for _ in range(2):
        assert remembered.remember(remembered.ROLES, "k", lambda: calls.append(1) or 7) == 7
    assert len(calls) == 2
    assert remembered_actor(county.dan).department_id == county.gxj.pk


def test_what_is_remembered_is_read_from_the_primary():
    token = _scope.set(_Scope(replica=True))
    try:
        assert serving_alias() == "replica"
        with primary_reads():
            assert serving_alias() == "default"
        assert serving_alias() == "replica"
        seen = []
        remembered.remember(remembered.CALENDAR, "alias-test", lambda: seen.append(serving_alias()))
        assert seen == ["default"]
    finally:
        _scope.reset(token)


@pytest.mark.django_db
def test_the_estimate_banner_count_is_remembered_until_the_calendar_changes(
    client, county, monkeypatch
):
    monkeypatch.setattr(
        "web.context_processors.timezone.localdate", lambda *a, **k: dt.date(2026, 12, 3)
    )
    before_new_year = dt.datetime(2026, 12, 30, 10, tzinfo=CHINA)
    monkeypatch.setattr(workflow.steps, "_now", lambda given: given or before_new_year)
    county.assigned()  # its deadlines count into 2027, the estimate
    client.force_login(county.office)

    def banner() -> str:
        html = client.get(reverse("office:board")).content.decode()
        return (
            html.split('id="calendar-warning"')[1].split("</div>")[0]
            if "calendar-warning" in html
            else ""
        )

    assert "目前有 2 个未到期的期限据此计算" in banner()  # its contact and resolve deadlines
    county.assigned(enterprise=county.poultry)
    assert "目前有 2 个未到期的期限据此计算" in banner()  # remembered (a minute at most)
    CalendarOverride.objects.create(  # a local day of 2026 (published): the estimate stays …
        county_id=county.office_dept.county_id,
        date=dt.date(2026, 12, 31),
        kind=CalendarOverride.Kind.HOLIDAY,
        note="县庆",
    )
    assert "目前有 4 个未到期的期限据此计算" in banner()  # … and is counted again
    CalendarOverride.objects.create(
        date=dt.date(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY, note="元旦"
    )
    assert banner() == ""  # 2027 entered: no estimate left
