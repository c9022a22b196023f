"""manage.py seed_demo: the demo county of 进贤县 (DESIGN §8, §10).

Seeding takes seconds, so the county is built once for this module (committed, then flushed when
the module is done); each test reads it inside its own rolled-back transaction. The first two tests
need a database without the demo county and run before the module's county is built.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.models import (
    BreakdownItem,
    Case,
    CaseEvent,
    Commitment,
    Meeting,
    Rating,
    Request,
    Visit,
)
from cases.roles import actor_for
from cases.selectors import cases_visible_to, work_calendar
from cases.taskforces import taskforce_validate_shape
from cases.workdays import local_date
from demo.seed import DEMO_PASSWORD, DEMO_USERNAMES, demo_county_exists
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember

User = get_user_model()
STEEL = "江西进贤荣信钢构公司"
YIBO = "奕博集团"
POULTRY = "江西桂柳家禽有限公司"
HONGDA = "江西洪达医疗器械集团有限公司"


def seed(**settings) -> str:
    out = io.StringIO()
    with override_settings(**settings):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    models = [User, Department, Enterprise, TaskForce, TaskForceMember, Visit, Case, CaseEvent]
    models += [BreakdownItem, Commitment, Request, Rating, Meeting]
    return {model.__name__: model.objects.count() for model in models}


# --- refusals, on a database without the demo county (these run first) -------------------------


def test_it_refuses_to_run_with_debug_off(db):
    assert not demo_county_exists()

    with pytest.raises(CommandError, match="DEBUG"):
        seed(DEBUG=False)

    assert not demo_county_exists()
    assert table_counts()["Department"] == 0


def test_it_refuses_to_mix_into_a_county_that_is_not_the_demo(db):
    Department.objects.create(name="某县工信局")

    with pytest.raises(CommandError, match="empty database"):
        seed(DEBUG=True)

    assert not demo_county_exists()
    assert list(Department.objects.values_list("name", flat=True)) == ["某县工信局"]


# --- the county ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        output = seed(DEBUG=True)
    yield output
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(county, db):
    return {username: User.objects.get(username=username) for username in DEMO_USERNAMES}


# 进贤县's rows: the demo county these tests describe (安义县 beside it is demo.second_county's).
JINXIAN = Q(county__name="进贤县")


def enterprise(name: str) -> Enterprise:
    return Enterprise.objects.get(name=name)


def log_in(client, username: str, password: str = DEMO_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_running_it_twice_changes_nothing(demo):
    before = table_counts()

    output = seed(DEBUG=True)

    assert "already there" in output
    assert table_counts() == before


def test_it_reports_what_it_built(county):
    assert "Built the demo county" in county
    for status in Case.Status.values:
        assert status in county
    assert DEMO_PASSWORD in county


def test_the_county_has_its_units_and_categories(demo):
    kinds = dict(Department.objects.filter(JINXIAN).values_list("name", "kind"))
    assert kinds["县委办"] == Department.Kind.OFFICE
    assert kinds["县工信局"] == kinds["县人社局"] == kinds["县教育局"] == Department.Kind.BUREAU
    assert kinds["李渡镇"] == kinds["文港镇"] == kinds["长山晏乡"] == Department.Kind.TOWNSHIP
    assert kinds["进贤经开区管委会"] == Department.Kind.PARK
    assert kinds["国网进贤县供电公司"] == kinds["县自来水公司"] == Department.Kind.UTILITY
    assert sum(kind == Department.Kind.TOWNSHIP for kind in kinds.values()) == 21
    from cases.models import Category

    categories = {c.name: c for c in Category.objects.select_related("default_department")}
    assert list(categories) == [
        "用电用能", "用工人才", "金融融资", "道路交通", "土地规划", "审批服务", "政策咨询", "市场开拓", "其他",
    ]  # fmt: skip
    assert categories["用电用能"].default_department.name == "国网进贤县供电公司"
    assert categories["用工人才"].default_department.name == "县人社局"
    assert all(c.default_resolve_days > 0 for c in categories.values())


def test_every_department_has_a_head_and_a_clerk(demo):
    for department in Department.objects.all():
        staff = list(department.staff.values_list("is_head", flat=True))
        assert staff.count(True) == 1 and staff.count(False) >= 1, department


def test_every_department_names_a_contact_and_an_office_phone_for_enterprises(demo):
    for department in Department.objects.all():
        clerk = department.staff.filter(is_head=False).order_by("pk").first().user
        assert department.contact_name == clerk.get_full_name(), department
        prefix = "0791-8566" if department.county.name == "进贤县" else "0791-8345"
        assert department.phone.startswith(prefix), department
    assert Department.objects.values("phone").distinct().count() == Department.objects.count()


def test_no_cadre_recorded_the_rating_of_a_case_their_own_unit_handles(demo):
    by_cadre = Rating.objects.filter(recorded_by_cadre=True).select_related("case", "rated_by")
    assert by_cadre.exists()
    for rating in by_cadre:
        units = workflow.interested_departments(actor_for(rating.rated_by), [rating.case])
        assert units == {}, (rating.case.number, rating.rated_by.username, units)


# --- enterprises and task forces ---------------------------------------------------------------


def test_33_key_enterprises_each_have_their_own_1_2_n_task_force(demo):
    key = Enterprise.objects.filter(JINXIAN, is_key=True)
    assert key.count() == 33
    assert {STEEL, YIBO, POULTRY, HONGDA} <= set(key.values_list("name", flat=True))
    key_task_forces = TaskForce.objects.filter(JINXIAN, kind=TaskForce.Kind.KEY_ENTERPRISE)
    assert key_task_forces.count() == 33
    for task_force in key_task_forces:
        assert task_force.active
        [covered] = task_force.enterprises.all()
        assert covered.is_key
        cadres = task_force.members.filter(role=TaskForceMember.Role.CADRE).count()
        assert 1 <= cadres <= 3


def test_every_active_task_force_has_the_1_2_n_shape(demo):
    for task_force in TaskForce.objects.filter(active=True):
        taskforce_validate_shape(task_force)  # raises ValidationError otherwise
        heads = task_force.members.filter(role=TaskForceMember.Role.HEAD)
        assert all(m.user.department_staff.is_head for m in heads)


def test_the_other_enterprises_are_covered_by_industry_and_township_task_forces(demo):
    others = Enterprise.objects.filter(JINXIAN, is_key=False)
    assert others.count() >= 80
    assert TaskForce.objects.filter(kind=TaskForce.Kind.INDUSTRY, active=True).exists()
    assert TaskForce.objects.filter(kind=TaskForce.Kind.TOWNSHIP, active=True).exists()
    covered = set(TaskForceEnterprise.objects.values_list("enterprise_id", flat=True))
    uncovered = others.exclude(pk__in=covered)
    assert 2 <= uncovered.count() <= 3  # what the office's coverage page will show
    assert not Enterprise.objects.filter(is_key=True).exclude(pk__in=covered).exists()


def test_every_enterprise_has_a_valid_credit_code(demo):
    for e in Enterprise.objects.all():
        e.full_clean()


# --- the cases ---------------------------------------------------------------------------------


def test_a_few_hundred_cases_spread_over_2021_to_2026(demo):
    assert 300 <= Case.objects.count() <= 400
    years = set(Case.objects.values_list("year", flat=True))
    assert years == {2021, 2022, 2023, 2024, 2025, 2026}
    for year in years:
        assert Case.objects.filter(year=year).count() >= 20


def test_every_state_is_present(demo):
    now = timezone.now()
    cases = Case.objects
    for status in Case.Status.values:
        assert cases.filter(status=status).exists(), status
    # 已交办: on time and overdue, and kept after a refused return (指定办理)
    assert cases.filter(status="assigned", contact_due_at__gte=now).exists()
    assert cases.filter(status="assigned", contact_due_at__lt=now).count() >= 3
    assert cases.filter(status="assigned", designated=True).exists()
    assert CaseEvent.objects.filter(
        kind=CaseEvent.Kind.ASSIGNED, data__historical=True, case__status="assigned"
    ).exists()
    # 待交办: new, and returned by a department
    assert cases.filter(status="submitted", returned_from__isnull=True).exists()
    assert cases.filter(status="submitted", returned_from__isnull=False).exists()
    # 办理中: suspended, extended, reopened after a dissatisfied rating, overdue
    assert cases.filter(status="in_progress", suspended_at__isnull=False).exists()
    assert cases.filter(
        status="in_progress", requests__kind="extension", requests__state="approved"
    ).exists()
    reopened = cases.filter(status="in_progress", reopen_count__gt=0)
    assert reopened.filter(ratings__level__in=Case.DISSATISFIED_RATINGS).exists()
    assert cases.filter(status="in_progress", resolve_due_at__lt=now).exists()
    # 已反馈: with and without a rating
    assert cases.filter(status="replied", rating="").exists()
    assert cases.filter(status="replied").exclude(rating="").exists()
    # 已销号: resolved and explained, rated and not, and after a reopening
    closed = cases.filter(status="closed")
    assert (
        closed.filter(outcome="resolved").exists() and closed.filter(outcome="explained").exists()
    )
    assert closed.filter(rating="").exists() and closed.exclude(rating="").exists()
    assert closed.filter(reopen_count__gt=0).exists()
    # 已合并
    assert not cases.filter(status="merged", merged_into__isnull=True).exists()


def test_requests_ratings_and_appeals_in_every_state(demo):
    requests = set(Request.objects.values_list("kind", "state"))
    assert {
        ("extension", "pending"),
        ("extension", "approved"),
        ("extension", "refused"),
    } <= requests
    assert {("suspension", "pending"), ("suspension", "approved")} <= requests
    appeals = set(Rating.objects.values_list("appeal", flat=True))
    assert appeals == {"", "pending", "upheld", "rejected"}
    levels = set(Rating.objects.values_list("level", flat=True))
    assert levels == set(Case.Rating.values)
    assert Rating.objects.filter(recorded_by_cadre=True).exists()
    assert Rating.objects.filter(recorded_by_cadre=False).exists()


def test_breakdowns_commitments_and_progress_notes(demo):
    today = timezone.localdate()
    states = {c.state_on(today) for c in Commitment.objects.all()}
    assert states == {"kept", "missed", "open"}
    assert BreakdownItem.objects.filter(done_at__isnull=False).exists()
    assert BreakdownItem.objects.filter(done_at__isnull=True).exists()
    progress = CaseEvent.objects.filter(kind=CaseEvent.Kind.PROGRESS)
    assert progress.filter(public=True).exists() and progress.filter(public=False).exists()


def test_visits_of_all_four_kinds_by_cadres(demo):
    assert set(Visit.objects.values_list("kind", flat=True)) == set(Visit.Kind.values)
    cadres = TaskForceMember.objects.filter(role=TaskForceMember.Role.CADRE).values("user_id")
    assert not Visit.objects.exclude(cadre_id__in=cadres).exists()
    years = {v.year for v in Visit.objects.values_list("visited_on", flat=True)}
    assert years == {2021, 2022, 2023, 2024, 2025, 2026}


def test_the_timelines_were_written_by_the_workflow_at_their_moments(demo):
    """Each status came with its event; events run forward in time and never into the future."""
    now = timezone.now()
    expected = {
        "merged": CaseEvent.Kind.MERGED,
        "closed": CaseEvent.Kind.CLOSED,
        "replied": CaseEvent.Kind.REPLIED,
        "in_progress": CaseEvent.Kind.ACCEPTED,
        "assigned": CaseEvent.Kind.ASSIGNED,
    }
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: e.pk)
        moments = [e.created_at for e in events]
        assert moments == sorted(moments), case.number
        assert events[0].kind == CaseEvent.Kind.CREATED
        assert local_date(events[0].created_at).year == case.year
        assert moments[-1] <= now
        if case.status in expected:
            assert expected[case.status] in {e.kind for e in events}, case.number
    assert local_date(CaseEvent.objects.earliest("created_at").created_at) < dt.date(2021, 4, 1)


def test_every_event_names_the_unit_that_acted_not_the_lead_department(demo):
    """Issue 16: 销号 is the office's, a clerk's reply their own department's, a rating the
    enterprise's (or its task force's, recorded on a return visit), a reminder the system's."""
    assert not CaseEvent.objects.filter(unit_kind="").exists()
    events = CaseEvent.objects.filter(case__county__name="进贤县")
    K, U = CaseEvent.Kind, CaseEvent.Unit
    closed = set(events.filter(kind=K.CLOSED).values_list("unit_kind", "unit_name"))
    assert closed == {(U.OFFICE, "县委办")}
    handled = events.filter(kind__in=[K.ACCEPTED, K.REPLIED])
    assert set(handled.values_list("unit_kind", flat=True)) == {U.DEPARTMENT}
    assert not handled.exclude(unit_name=F("actor__department_staff__department__name")).exists()
    rated = events.filter(kind=K.RATED)
    assert {U.ENTERPRISE, U.TASKFORCE} == set(rated.values_list("unit_kind", flat=True))
    by_contact = rated.filter(unit_kind=U.ENTERPRISE)
    assert not by_contact.exclude(unit_name=F("case__enterprise__name")).exists()
    assert not by_contact.exclude(actor__enterprise_contact__isnull=False).exists()
    automatic = events.filter(kind__in=[K.REMINDER, K.DEADLINES_RECOUNTED], actor=None)
    assert set(automatic.values_list("unit_kind", flat=True)) <= {U.SYSTEM}


# --- meetings ----------------------------------------------------------------------------------


def test_the_first_batch_was_handed_out_at_the_meeting_of_22_april_2021(demo):
    meeting = Meeting.objects.get(kind=Meeting.Kind.ASSIGNMENT, held_on=dt.date(2021, 4, 22))
    assert "第一批" in meeting.title and "508" in meeting.minutes
    cases = list(meeting.cases.all())
    assert len(cases) >= 30
    assert set(Case.objects.filter(batch="第一批")) == set(cases)
    for case in cases:
        assigned = case.events.filter(kind=CaseEvent.Kind.ASSIGNED).earliest("created_at")
        assert dt.date.fromisoformat(assigned.data["assigned_at"][:10]) == dt.date(2021, 4, 22)
    assert any(c.enterprise.name == POULTRY for c in cases)


def test_dispatch_meetings_have_minutes(demo):
    dispatch = Meeting.objects.filter(kind=Meeting.Kind.DISPATCH)
    assert dispatch.count() >= 10
    assert all("累计交办问题" in m.minutes and m.decisions for m in dispatch)
    assert dispatch.filter(cases__isnull=False).exists()
    assert Meeting.objects.filter(
        kind=Meeting.Kind.TASKFORCE_REVIEW, task_force__isnull=False
    ).exists()


def test_each_assignment_meeting_sent_numbered_letters_most_of_them_signed(demo):
    from cases.models import AssignmentLetter

    letters = AssignmentLetter.objects.select_related("meeting", "department", "signed_by")
    first = letters.filter(meeting__held_on=dt.date(2021, 4, 22))
    assert first.filter(department__name="县工信局").exists()
    assert first.earliest("serial").number == "进四问交〔2021〕1号"
    assert set(letters.values_list("meeting__kind", flat=True)) == {Meeting.Kind.ASSIGNMENT}
    signed = [letter for letter in letters if letter.signed]
    assert len(signed) > len(letters) / 2 and len(signed) < len(letters)
    for letter in signed:
        assert letter.signed_by.department_staff.department_id == letter.department_id
        assert letter.signed_at > letter.issued_at


# --- the newspaper report's four stories -------------------------------------------------------


def test_rongxin_steel_got_a_transformer_within_a_week(demo):
    case = Case.objects.get(enterprise__name=STEEL, title="电压不稳，无法满负荷生产")
    assert case.lead_department.name == "县工信局"
    assert list(case.co_departments.values_list("name", flat=True)) == ["国网进贤县供电公司"]
    assert case.status == "closed" and case.outcome == "resolved"
    assert "变压器" in case.reply
    assert (local_date(case.replied_at) - local_date(case.assigned_at)).days <= 7  # 一个星期
    contact = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert contact.data["method"] == "visit" and contact.data["person"] == "付登印"
    assert contact.actor.username == "dept"
    item = case.breakdown_items.get()
    assert item.department.name == "国网进贤县供电公司" and item.done_at
    assert case.commitments.get().kept_at
    rating = case.ratings.get()
    assert rating.level == "very_satisfied" and rating.recorded_by_cadre
    # On the return visit chairman 付登印 raised three more problems, handed out with 第一批.
    visit = Visit.objects.get(enterprise__name=STEEL, visited_on=dt.date(2021, 3, 25))
    assert visit.kind == Visit.Kind.RESOLVE
    assert visit.cases.count() == 3
    assert set(visit.cases.values_list("batch", flat=True)) == {"第一批"}
    assert enterprise(STEEL).contact_name == "付登印"


def test_yibo_welders_came_from_the_vocational_school(demo):
    case = Case.objects.get(enterprise__name=YIBO, title="电焊工紧缺，有订单不敢接")
    assert case.lead_department.name == "县人社局"
    assert list(case.co_departments.values_list("name", flat=True)) == ["县教育局"]
    assert case.status == "closed" and case.outcome == "resolved"
    assert "30余名毕业生" in case.reply and "带薪实习" in case.reply
    assert case.breakdown_items.filter(department__name="县教育局").exists()
    assert case.visit.visited_on == dt.date(2021, 4, 22)
    rating = case.ratings.get()
    assert rating.level == "very_satisfied" and rating.rated_by.get_full_name() == "杨斌"


def test_guiliu_poultry_power_bill_was_explained_not_solved(demo):
    case = Case.objects.get(enterprise__name=POULTRY, title="电费高，生产费用高，用电困难")
    assert case.lead_department.name == "国网进贤县供电公司"
    assert case.outcome == "explained" and case.status == "closed"
    assert "惠企政策" in case.reply
    assert case.batch == "第一批"


def test_hongda_medical_transformer_energised_on_31_march_2021(demo):
    case = Case.objects.get(enterprise__name=HONGDA, title="新建车间电力增容")
    assert case.lead_department.name == "国网进贤县供电公司"
    assert case.outcome == "resolved" and case.status == "closed"
    assert local_date(case.replied_at) == dt.date(2021, 3, 31)
    visits = case.events.filter(kind__in=["accepted", "progress"], public=True)
    assert visits.count() == 3  # 三顾洪达


# --- the demo logins ---------------------------------------------------------------------------


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_each_demo_login_signs_in_with_the_demo_password(client, demo, username):
    response = log_in(client, username)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = demo[username]
    assert user.get_full_name() and not user.get_full_name().isascii()


def test_nobody_else_can_sign_in(demo):
    others = User.objects.exclude(username__in=DEMO_USERNAMES)
    assert others.count() > 100
    assert not any(user.has_usable_password() for user in others)


def test_office_sees_every_case_of_its_county(demo):
    assert cases_visible_to(demo["office"]).count() == Case.objects.filter(JINXIAN).count()
    assert demo["office"].department_staff.department.name == "县委办"
    assert Department.objects.get(name="县委办").staff.filter(is_head=True).exists()


def test_enterprise_sees_exactly_rongxin_steels_cases_and_can_rate_one(demo):
    visible = cases_visible_to(demo["enterprise"])
    steel = enterprise(STEEL)

    assert set(visible) == set(Case.objects.filter(enterprise=steel))
    assert visible.count() >= 5
    assert demo["enterprise"].enterprise_contact.enterprise == steel
    assert any("rate" in workflow.allowed_actions(demo["enterprise"], c) for c in visible)


def test_dept_sees_only_cases_where_the_industry_bureau_takes_part(demo):
    gxj = Department.objects.get(name="县工信局")
    visible = cases_visible_to(demo["dept"])
    involved = Case.objects.filter(
        Q(lead_department=gxj) | Q(co_departments=gxj) | Q(breakdown_items__department=gxj)
    ).distinct()

    assert visible.count() >= 10
    assert set(visible) == set(involved)
    assert set(visible) != set(Case.objects.all())
    assert not visible.filter(enterprise__name=YIBO, title="电焊工紧缺，有订单不敢接").exists()
    assert demo["dept"].department_staff.department == gxj
    assert not demo["dept"].department_staff.is_head
    assert any("accept" in workflow.allowed_actions(demo["dept"], c) for c in visible)


def test_leader_sees_the_cases_of_the_task_forces_they_lead(demo):
    led = TaskForce.objects.filter(
        members__user=demo["leader"], members__role=TaskForceMember.Role.LEADER
    )
    steel_force = TaskForce.objects.get(enterprises__name=STEEL)
    covered = Enterprise.objects.filter(task_forces__in=led)

    assert steel_force in led
    assert set(cases_visible_to(demo["leader"])) == set(Case.objects.filter(enterprise__in=covered))
    assert cases_visible_to(demo["leader"]).filter(enterprise__name=STEEL).exists()
    assert not cases_visible_to(demo["leader"]).filter(enterprise__name=YIBO).exists()


def test_cadre_is_paired_with_rongxin_steel_and_two_more_enterprises(demo):
    memberships = TaskForceMember.objects.filter(user=demo["cadre"])
    assert set(memberships.values_list("role", flat=True)) == {TaskForceMember.Role.CADRE}
    assert TaskForce.objects.get(enterprises__name=STEEL) in {m.task_force for m in memberships}
    covered = Enterprise.objects.filter(task_forces__members__user=demo["cadre"]).distinct()

    assert 2 <= covered.count() <= 3
    visible = cases_visible_to(demo["cadre"])
    assert set(visible) == set(Case.objects.filter(enterprise__in=covered))
    assert set(visible.values_list("enterprise_id", flat=True)) == set(
        covered.values_list("pk", flat=True)
    )


def test_every_enterprise_has_contacts_to_call_and_the_dept_clerk_sees_them(client, demo):
    from taskforces.contacts import phone_book

    for company in Enterprise.objects.all():
        book = phone_book(company)
        assert len(book) >= 2 and all(c.phone for c in book), company
        assert book[0].phones[0].is_mobile and book[0].name == company.contact_name
    case = Case.objects.get(enterprise__name=STEEL, title="电压不稳，无法满负荷生产")
    client.force_login(demo["dept"])
    body = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert 'id="enterprise-contacts"' in body and "付登印" in body and "董事长" in body
    steel_mobile = phone_book(case.enterprise)[0].phone
    assert f'href="tel:{steel_mobile}"' in body
    assert demo["cadre"].get_full_name() in body  # the paired cadre
    accepted = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert accepted.data["mobile"] == steel_mobile and "对接人：付登印 " in body


def test_the_dept_login_has_two_supervision_notices_one_answered(client, demo):
    from cases.models import SupervisionNotice
    from cases.supervision_notices import notice_number

    notices = list(SupervisionNotice.objects.order_by("issued_at"))
    assert len(notices) == 2
    answered, waiting = notices
    assert answered.answered and answered.answered_by == demo["dept"]
    assert not waiting.answered and waiting.reply_by >= timezone.localdate()
    department = demo["dept"].department_staff.department
    for notice in notices:
        assert notice.department == department and notice.cases.exists()
        for case in notice.cases.all():
            assert case.events.filter(kind=CaseEvent.Kind.SUPERVISED).exists()
    client.force_login(demo["dept"])
    inbox = client.get(reverse("workspace:inbox")).content.decode()
    assert notice_number(waiting) in inbox and notice_number(answered) not in inbox


def test_the_office_set_its_evaluation_rules_and_issued_bulletins(client, demo):
    from analysis.models import EvaluationRules
    from cases.bulletins import bulletin_number
    from cases.models import Bulletin

    versions = list(EvaluationRules.objects.order_by("effective_from"))
    assert [v.effective_from for v in versions] == [dt.date(2021, 3, 1), dt.date(2024, 1, 2)]
    assert versions[-1].counts_unrated and not versions[0].counts_unrated
    bulletins = list(Bulletin.objects.order_by("issued_at"))
    assert len(bulletins) >= 4
    assert {b.kind for b in bulletins} >= {Bulletin.Kind.PRAISE, Bulletin.Kind.CRITICISM}
    assert bulletin_number(bulletins[0]) == "进四问通〔2021〕1号"
    assert all(b.cases.exists() for b in bulletins)
    tax = Department.objects.get(name="县税务局")
    assert tax.assessment_class == Department.AssessmentGroup.VERTICAL
    client.force_login(demo["office"])
    body = client.get(reverse("analysis:evaluation"), {"period": "all"}).content.decode()
    assert 'id="group-vertical"' in body and bulletins[-1].title in body


# --- the second county and the city (issue 22) ---------------------------------------------------


def test_the_second_county_is_run_by_its_own_office_and_the_city_reads_both(demo):
    anyi = Case.objects.filter(county__name="安义县")
    assert anyi.count() == 11  # ten in every state, and the one escalated to the city
    assert set(anyi.values_list("status", flat=True)) >= {"submitted", "assigned", "closed"}
    assert set(cases_visible_to(demo["county2"])) == set(anyi)
    assert not cases_visible_to(demo["office"]).filter(county__name="安义县").exists()
    assert cases_visible_to(demo["city"]).count() == Case.objects.count()
    assert actor_for(demo["city"]).roles == ["city"]
    county2 = actor_for(demo["county2"])
    assert county2.roles == ["office"] and county2.place_name == "安义县"
    assert TaskForce.objects.filter(county__name="安义县", active=True).count() == 1


def test_the_city_lands_on_both_counties_side_by_side(client, demo):
    assert log_in(client, "city").status_code == 302
    page = client.get(reverse("analysis:city"))
    assert [row.county.name for row in page.context["rows"]] == ["进贤县", "安义县"]
    assert all(row.totals.assigned > 0 for row in page.context["rows"])


def test_the_city_department_login_has_one_escalated_case_waiting(client, demo):
    """上报市级 (demo.city_escalation): `cityfgw`, 市发改委's clerk, sees 安义县's escalated case
    and nothing else, lands on its inbox, and may answer it."""
    visible = cases_visible_to(demo["cityfgw"])
    assert visible.count() == 1
    case = visible.get()
    (escalation,) = case.city_escalations.all()
    assert case.county.name == "安义县" and case.outcome == Case.Outcome.EXPLAINED
    assert escalation.city_department.name == "市发改委" and escalation.answered_at is None
    assert workflow.may_answer_in_city(actor_for(demo["cityfgw"]), escalation)
    log_in(client, "cityfgw")
    inbox = client.get(client.get(reverse("home"))["Location"])
    assert case.number in inbox.content.decode()


def test_the_escalated_cases_city_clock_runs_whenever_the_demo_is_seeded(demo):
    """Its dates count back from the seed day: assigned by the city on the working day before,
    neither of the city department's deadlines past yet."""
    (escalation,) = cases_visible_to(demo["cityfgw"]).get().city_escalations.all()
    now = timezone.now()
    assert now - dt.timedelta(days=12) < escalation.escalated_at < escalation.assigned_at < now
    assert escalation.contact_due_at > now and escalation.answer_due_at > now
    clocks = workflow.city_clocks(escalation, now, work_calendar())
    assert clocks["contact"].state == clocks["answer"].state == "running"
