"""The office's back-office: every model opens, workflow records are look-only, 1+2+N is enforced."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.db.models import Model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cases.models import (
    BreakdownItem,
    CalendarOverride,
    Case,
    CaseEvent,
    Commitment,
    Meeting,
    Rating,
    Request,
    Visit,
)
from enterprises.models import ContactPerson, Department, EnterpriseContact
from notifications.models import Reminder
from taskforces.models import AccountChange, CaseReview, CountyLeader, TaskForce, TaskForceMember
from tests.factories import (
    make_case,
    make_department,
    make_enterprise,
    make_event,
    make_staff,
    make_superuser,
    make_taskforce,
    make_user,
)

OUR_APPS = {"enterprises", "taskforces", "cases"}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def root(db, client):
    user = make_superuser()
    client.force_login(user)
    return user


@pytest.fixture
def full_case(root):
    """A case with one object of every model the admin shows, linked the way real data is."""
    lead = make_department("县工信局")
    make_staff(lead, is_head=True, title="局长")
    township = make_department("三里乡", kind=Department.Kind.TOWNSHIP)
    steel = make_enterprise("江西进贤荣信钢构公司", township=township, is_key=True)
    EnterpriseContact.objects.create(user=make_user("eva"), enterprise=steel)
    ContactPerson.objects.create(enterprise=steel, name="付登印", mobile="13807910001")
    task_force = make_taskforce(enterprises=[steel])
    cadre = task_force.members.get(role=TaskForceMember.Role.CADRE).user
    CalendarOverride.objects.create(
        date=dt.date(2031, 1, 1), kind=CalendarOverride.Kind.HOLIDAY, note="元旦"
    )
    visit = Visit.objects.create(
        enterprise=steel,
        cadre=cadre,
        task_force=task_force,
        visited_on=dt.date(2021, 4, 20),
        kind=Visit.Kind.INSPECT,
    )
    case = make_case(
        enterprise=steel,
        visit=visit,
        title="电压不稳，无法满负荷生产",
        status=Case.Status.IN_PROGRESS,
        lead_department=lead,
        assigned_at=dt.datetime(2021, 4, 22, 10, tzinfo=dt.UTC),
        contact_due_at=dt.datetime(2021, 4, 26, 15, 59, 59, tzinfo=dt.UTC),
    )
    make_event(case, CaseEvent.Kind.CREATED, actor=cadre, note="走访中发现", public=True)
    make_event(case, CaseEvent.Kind.ACCEPTED, actor=root, department=lead, note="电话联系付董")
    BreakdownItem.objects.create(
        case=case, department=lead, measure="增设一台变压器", due_on=dt.date(2021, 5, 20)
    )
    Commitment.objects.create(
        case=case,
        committed_by=cadre,
        department=lead,
        text="五月底前通电",
        due_on=dt.date(2021, 5, 31),
    )
    Request.objects.create(
        case=case, kind=Request.Kind.EXTENSION, requested_by=root, reason="设备到货延迟"
    )
    Rating.objects.create(
        case=case, reply_round=1, level=Case.Rating.SATISFIED, rated_by=root, department=lead
    )
    from cases.models import CaseAttachment, DocumentSequence, EventAttachment, VisitPhoto

    DocumentSequence.objects.create(kind=DocumentSequence.Kind.SUPERVISION, year=2021, last=3)
    from cases.models import Bulletin

    Bulletin.objects.create(
        kind=Bulletin.Kind.PRAISE,
        department=lead,
        number_year=2021,
        number_serial=1,
        title="关于表扬县工信局的通报",
        text="办理迅速，企业满意。",
        issued_by=root,
        issued_at=dt.datetime(2021, 6, 1, 10, tzinfo=dt.UTC),
    ).cases.add(case)

    CaseAttachment.objects.create(
        case=case,
        file="cases/meter.jpg",
        original_name="电表.jpg",
        content_type="image/jpeg",
        size=2048,
        uploaded_by=root,
    )
    VisitPhoto.objects.create(
        visit=visit,
        image="visit-photos/workshop.jpg",
        content_type="image/jpeg",
        size=4096,
        width=1920,
        height=1080,
        original_name="车间.jpg",
        uploaded_by=root,
    )
    EventAttachment.objects.create(
        event=case.events.get(kind=CaseEvent.Kind.ACCEPTED),
        case=case,
        file="events/receipt.pdf",
        original_name="验收单.pdf",
        content_type="application/pdf",
        size=431,
        uploaded_by=root,
    )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.DISPATCH, title="第一批问题调度会", held_on=dt.date(2021, 5, 6)
    )
    meeting.cases.add(case)
    assignment = Meeting.objects.create(
        kind=Meeting.Kind.ASSIGNMENT, title="第一批问题交办会", held_on=dt.date(2021, 4, 22)
    )
    assignment.cases.add(case)
    from cases.models import AssignmentLetter

    AssignmentLetter.objects.create(
        meeting=assignment,
        department=lead,
        year=2021,
        serial=1,
        number="进四问交〔2021〕1号",
        contact_name="王督查",
        issued_by=root,
        issued_at=dt.datetime(2021, 4, 22, 11, tzinfo=dt.UTC),
    )
    from cases.models import SupervisionNotice

    notice = SupervisionNotice.objects.create(
        year=2021,
        serial=3,
        department=lead,
        text="限五个工作日内上门对接并报送整改方案",
        reply_working_days=5,
        reply_by=dt.date(2021, 5, 13),
        issued_by=root,
        issued_at=dt.datetime(2021, 5, 6, 9, tzinfo=dt.UTC),
    )
    notice.cases.add(case)
    from cases.models import CityEscalation
    from counties.models import City, CityDepartment, CityDepartmentStaff

    city_department = CityDepartment.objects.create(city=City.objects.first(), name="市发改委")
    CityDepartmentStaff.objects.create(user=make_user("fgw"), department=city_department)
    escalation = CityEscalation.objects.create(
        case=case,
        city=city_department.city,
        proposal="建议市级协调电价",
        escalated_by=root,
        escalated_at=dt.datetime(2021, 5, 7, 9, tzinfo=dt.UTC),
        city_department=city_department,
    )
    # The city's late answer deadline, told once (notifications.city_reminders).
    Reminder.objects.create(
        case=escalation.case,
        deadline=Reminder.Deadline.CITY_ANSWER,
        due_at=dt.datetime(2021, 5, 28, tzinfo=dt.UTC),
        level=1,
    )
    CaseReview.objects.create(task_force=task_force, case=case, reviewed_by=root)
    CountyLeader.objects.create(
        user=make_user("mayor"), title=CountyLeader.Title.MAGISTRATE, portfolio="全面工作"
    )
    AccountChange.objects.create(
        account=cadre, changed_by=root, action=AccountChange.Action.CREATED
    )
    # Models of other apps that the admin shows too.
    Group.objects.create(name="县委办")
    Token.objects.create(user=root)
    attempt = {
        "username": "eva",
        "ip_address": "10.0.0.8",
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    return case


# --- Helpers that resubmit an admin page the way a browser would ------------------------------


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_as_post_value(v) for v in value]
    return str(value)


def _form_values(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if isinstance(field, forms.BooleanField):
            if value:
                data[form.add_prefix(name)] = "on"
        else:
            data[form.add_prefix(name)] = _as_post_value(value)
    return data


def page_as_submitted(response) -> dict:
    """The POST data of the page's form, unchanged: the main form and every inline's rows."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.initial_forms:
            data.update(_form_values(form))
    return data


def add_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=start):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


# --- Every registered model opens ------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_the_office_can_open_the_list_of_every_model(client, full_case, model):
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_the_office_can_open_the_page_of_an_object_of_every_model(client, full_case, model):
    obj = model._default_manager.first()
    if obj is None:
        assert model._meta.app_label not in OUR_APPS, "the full_case fixture must make one"
        pytest.skip(f"no {model._meta.label} object to open")
    response = client.get(url(model, "change", quote(obj.pk)))
    assert response.status_code == 200


def test_every_model_of_the_three_apps_is_in_the_admin():
    from django.apps import apps

    ours = {m for app in OUR_APPS for m in apps.get_app_config(app).get_models()}
    assert ours - set(admin.site._registry) == set()


def test_the_reminders_list_shows_a_city_deadline_in_the_citys_words(client, full_case):
    case_rung = Reminder.objects.create(
        case=full_case,
        deadline=Reminder.Deadline.RESOLVE,
        due_at=dt.datetime(2021, 5, 20, tzinfo=dt.UTC),
        level=2,
    )
    response = client.get(url(Reminder, "changelist"))
    rows = {r.pk: r for r in response.context["cl"].result_list}
    (city,) = [r for r in rows.values() if r.pk != case_rung.pk]
    content = response.content.decode()
    assert "市级答复期限" in content and "超期未答复" in content  # not 逾期, the ladder's word
    assert "办结期限" in content and "督办" in content
    assert str(city) == f"{full_case.pk} 市级答复期限 超期未答复"
    # The filter offers the city's deadlines and picks their rows.
    assert "市级签收期限" in content
    picked = client.get(url(Reminder, "changelist"), {"deadline__exact": "city_answer"})
    assert list(picked.context["cl"].result_list) == [city]
    page = client.get(url(Reminder, "change", city.pk)).content.decode()
    assert "市级答复期限" in page and "超期未答复" in page


def test_the_admin_speaks_chinese_and_names_the_system(client, root):
    response = client.get(reverse("admin:index"))
    content = response.content.decode()
    assert "四进四问问题办理系统" in content
    assert "问题" in content and "专班" in content and "企业" in content


def test_lists_can_be_searched(client, full_case):
    response = client.get(url(Case, "changelist"), {"q": "荣信钢构"})
    assert list(response.context["cl"].result_list) == [full_case]
    response = client.get(url(Case, "changelist"), {"q": "没有这家企业"})
    assert list(response.context["cl"].result_list) == []


def test_the_office_can_list_the_enterprises_no_task_force_covers(client, full_case):
    uncovered = make_enterprise("江西桂柳家禽有限公司")
    response = client.get(url(type(uncovered), "changelist"), {"covered": "no"})
    assert list(response.context["cl"].result_list) == [uncovered]


# --- The case and its timeline ----------------------------------------------------------------


def test_the_case_page_shows_the_timeline_read_only(client, full_case):
    response = client.get(url(Case, "change", full_case.pk))
    content = response.content.decode()

    timeline = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.opts.model is CaseEvent
    )
    assert not timeline.has_add_permission
    assert not timeline.has_change_permission
    assert not timeline.has_delete_permission
    assert "走访中发现" in content and "电话联系付董" in content
    prefix = timeline.formset.prefix
    assert f'name="{prefix}-0-note"' not in content
    assert f'name="{prefix}-0-DELETE"' not in content


def test_the_case_page_lets_only_the_wording_and_filing_be_edited(client, full_case):
    response = client.get(url(Case, "change", full_case.pk))
    assert set(response.context["adminform"].form.fields) == {
        "title",
        "description",
        "category",
        "batch",
    }


def test_posting_workflow_fields_to_the_case_page_changes_none_of_them(client, full_case):
    page = client.get(url(Case, "change", full_case.pk))
    data = page_as_submitted(page)
    data.update(
        title="电压不稳（已核实）",
        status="closed",
        contact_due_at_0="2031-01-01",
        contact_due_at_1="00:00:00",
        rating="very_satisfied",
        reopen_count="9",
    )
    response = client.post(url(Case, "change", full_case.pk), data)
    assert response.status_code == 302

    case = Case.objects.get(pk=full_case.pk)
    assert case.title == "电压不稳（已核实）"
    assert case.status == Case.Status.IN_PROGRESS
    assert case.contact_due_at == full_case.contact_due_at
    assert case.rating == ""
    assert case.reopen_count == 0
    assert case.events.count() == 2


def test_cases_cannot_be_added_or_deleted_in_the_admin(client, full_case):
    assert client.get(url(Case, "add")).status_code == 403
    assert client.post(url(Case, "delete", full_case.pk), {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=full_case.pk).exists()


def test_the_timeline_cannot_be_added_to_changed_or_deleted_in_the_admin(client, full_case):
    event = full_case.events.first()
    assert client.get(url(CaseEvent, "add")).status_code == 403
    response = client.post(
        url(CaseEvent, "change", event.pk), {"note": "改写历史", "kind": "closed"}
    )
    assert response.status_code == 403
    assert client.post(url(CaseEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.note == "走访中发现"
    assert full_case.events.count() == 2


@pytest.mark.parametrize("model", [BreakdownItem, Commitment, Request, Rating])
def test_workflow_records_are_look_only(client, full_case, model):
    obj = model.objects.get(case=full_case)
    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    page = client.get(url(model, "change", obj.pk))
    assert page.context["adminform"].form.fields == {}


# --- Task forces: 1+2+N -----------------------------------------------------------------------


def _new_taskforce_post(client, *, active: bool, shape: list[str]) -> dict:
    page = client.get(url(TaskForce, "add"))
    data = page_as_submitted(page)
    data.update(name="荣信钢构专班", kind=TaskForce.Kind.KEY_ENTERPRISE)
    if active:
        data["active"] = "on"
    members = [{"user": str(make_user().pk), "role": role} for role in shape]
    return add_rows(data, "members", members)


LEADER, HEAD, CADRE = "leader", "head", "cadre"


def test_the_admin_refuses_an_active_task_force_with_two_leaders_and_saves_nothing(client, root):
    data = _new_taskforce_post(client, active=True, shape=[LEADER, LEADER, HEAD, HEAD, CADRE])
    members_before = TaskForceMember.objects.count()

    response = client.post(url(TaskForce, "add"), data)

    assert response.status_code == 200
    assert "运行中的专班须有且只有1名县领导，现有2名。" in response.content.decode()
    assert TaskForce.objects.count() == 0
    assert TaskForceMember.objects.count() == members_before


def test_the_admin_saves_an_active_task_force_of_the_right_shape(client, root):
    data = _new_taskforce_post(client, active=True, shape=[LEADER, HEAD, HEAD, CADRE, CADRE])
    response = client.post(url(TaskForce, "add"), data)
    assert response.status_code == 302
    task_force = TaskForce.objects.get()
    assert task_force.active
    assert task_force.members.count() == 5


def test_the_admin_saves_an_inactive_task_force_of_any_shape(client, root):
    data = _new_taskforce_post(client, active=False, shape=[LEADER, LEADER])
    response = client.post(url(TaskForce, "add"), data)
    assert response.status_code == 302
    assert TaskForce.objects.get().members.count() == 2


def test_the_admin_refuses_removing_the_only_cadre_of_an_active_task_force(client, root):
    task_force = make_taskforce()
    data = page_as_submitted(client.get(url(TaskForce, "change", task_force.pk)))
    cadre = task_force.members.get(role=CADRE)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == str(cadre.pk)
    )
    data[f"members-{index}-DELETE"] = "on"

    response = client.post(url(TaskForce, "change", task_force.pk), data)

    assert response.status_code == 200
    assert "运行中的专班至少须有1名结对干部。" in response.content.decode()
    assert task_force.members.filter(pk=cadre.pk).exists()


def test_the_admin_refuses_activating_a_task_force_of_the_wrong_shape(client, root):
    task_force = make_taskforce(heads=3, active=False)
    data = page_as_submitted(client.get(url(TaskForce, "change", task_force.pk)))
    data["active"] = "on"

    response = client.post(url(TaskForce, "change", task_force.pk), data)

    assert response.status_code == 200
    assert "运行中的专班须有且只有2名部门主要领导，现有3名。" in response.content.decode()
    task_force.refresh_from_db()
    assert not task_force.active


def test_members_are_edited_on_their_task_force_page_only(client, root):
    task_force = make_taskforce()
    member = task_force.members.first()
    assert client.get(url(TaskForceMember, "add")).status_code == 403
    assert (
        client.post(url(TaskForceMember, "delete", member.pk), {"post": "yes"}).status_code == 403
    )
    assert task_force.members.count() == 4


# --- The calendar -----------------------------------------------------------------------------


def test_the_calendar_list_warns_when_this_years_holidays_are_not_entered(
    client, root, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2031, 3, 1))
    response = client.get(url(CalendarOverride, "changelist"))
    assert "2031年的放假与调休安排尚未录入" in response.content.decode()

    CalendarOverride.objects.create(date=dt.date(2031, 1, 1), kind=CalendarOverride.Kind.HOLIDAY)
    response = client.get(url(CalendarOverride, "changelist"))
    assert "2031年的放假与调休安排尚未录入" not in response.content.decode()


def test_the_calendar_list_is_quiet_in_a_published_year(client, root, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2021, 3, 1))
    response = client.get(url(CalendarOverride, "changelist"))
    assert "尚未录入" not in response.content.decode()
