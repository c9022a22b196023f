"""Bad input never reaches a 500 and nothing is half-saved (issue 15, "Hardening").

A parameter that cannot be read answers 400 naming it (web.query); `next` only ever leads back
into the site; every date the product stores lies within 2000–2099 and every one-line text is
one line (cases.validators) — checked by the services, so the pages and the API refuse the same.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases import intake, workflow
from cases.meetings import meeting_save
from cases.models import BreakdownItem, Case, Commitment, Meeting, Visit
from cases.validators import in_calendar, validate_multiline, validate_single_line
from notifications.models import Notification
from taskforces.models import TaskForce
from web.query import (
    BadQuery,
    date_param,
    id_param,
    ids_param,
    int_param,
    safe_next,
    search_param,
)

# --- the one parser of query strings ------------------------------------------------------------


def q(text: str) -> QueryDict:
    return QueryDict(text)


def test_a_date_parameter_is_a_real_day_within_the_products_range():
    assert date_param(q("on=2021-04-22"), "on") == dt.date(2021, 4, 22)
    assert date_param(q("on="), "on") is None
    for bad in ("2026-02-30", "0001-01-01", "9999-12-31", "yesterday", "2021-4-22x"):
        with pytest.raises(BadQuery, match="参数“on”有误"):
            date_param(q(f"on={bad}"), "on")


def test_an_id_parameter_is_a_positive_number_within_bigint():
    assert id_param(q("case=12"), "case") == 12
    assert ids_param(q("case=1&case=&case=3"), "case") == [1, 3]
    for bad in ("abc", "-1", "0", "²", str(2**63), "1.5"):
        with pytest.raises(BadQuery, match="参数“case”有误"):
            id_param(q(f"case={bad}"), "case")
        with pytest.raises(BadQuery):
            ids_param(q(f"case=1&case={bad}"), "case")


def test_a_number_parameter_is_refused_outside_its_range_unless_the_page_clamps_it():
    assert int_param(q("n=3"), "n", default=1, min_value=0, max_value=5) == 3
    assert int_param(q(""), "n", default=1, min_value=0, max_value=5) == 1
    with pytest.raises(BadQuery, match="0 到 5"):
        int_param(q("n=9"), "n", default=1, min_value=0, max_value=5)
    with pytest.raises(BadQuery):
        int_param(q("n=x"), "n", default=1, min_value=0, max_value=5, clamp=True)
    assert int_param(q("n=-3"), "n", default=1, min_value=0, max_value=5, clamp=True) == 0


def test_search_words_lose_their_control_characters_and_are_bounded():
    assert search_param(q("q=%E9%81%93%00%E8%B7%AF%0A"), "q") == "道 路"
    with pytest.raises(BadQuery, match="参数“q”有误"):
        search_param(q("q=" + "x" * 101), "q")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "foo", "/\\evil.example"],
)
def test_next_only_leads_back_into_the_site(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/home/") == "/home/"


def test_next_keeps_a_path_of_the_site_with_its_query():
    request = RequestFactory().post("/", {"next": "/office/?q=%E9%81%93"})
    assert safe_next(request, "/home/") == "/office/?q=%E9%81%93"


# --- what the review found: 500s on bad input ----------------------------------------------------


def test_an_impossible_assignment_day_is_a_400_naming_the_parameter(client, county):
    client.force_login(county.office)
    for day in ("2026-02-30", "0001-01-01"):
        response = client.get(reverse("office:contact_deadline"), {"assigned_on": day})
        assert response.status_code == 400
        assert "参数“assigned_on”有误" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["analysis:evaluation", "analysis:painpoints", "analysis:teams", "analysis:report"]
)
def test_a_period_outside_the_products_dates_is_explained_not_a_500(client, county, name):
    county.replied()
    client.force_login(county.office)
    for params in (
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"period": "9999-12"},
        {"period": "9999"},
    ):
        response = client.get(reverse(name), params)
        assert response.status_code == 400, params
        body = response.content.decode()
        assert "日期须在 2000 年至 2099 年之间" in body or "无法识别的期间" in body, params


@pytest.mark.parametrize("name", ["analysis:evaluation_export", "analysis:painpoints_export"])
def test_an_export_of_a_period_outside_the_products_dates_is_a_400(client, county, name):
    client.force_login(county.office)
    response = client.get(reverse(name), {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 400
    assert "参数“date_from”有误" in response.content.decode()
    assert client.get(reverse(name), {"period": "9999-12"}).status_code == 400


@pytest.mark.parametrize(
    "name, user",
    [
        ("fieldwork:enterprises", "carl"),
        ("taskforces:people", "office"),
        ("portal:accounts", "office"),
        ("office:triage", "office"),
        ("analysis:ledger", "office"),
    ],
)
def test_a_nul_in_a_search_is_read_as_a_space_not_sent_to_the_database(client, county, name, user):
    client.force_login(getattr(county, user))
    response = client.get(reverse(name), {"q": "荣信\x00钢构\r\n"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/cases/{huge}/",
        "/office/meetings/{huge}/",
        "/field/visits/{huge}/",
        "/portal/attachments/{huge}/",
    ],
)
def test_an_id_beyond_bigint_in_a_path_is_a_404(client, county, path):
    client.force_login(county.office)
    assert client.get(path.format(huge=2**64)).status_code == 404


def test_a_meeting_that_is_no_id_is_a_400_and_nothing_is_added(client, county):
    case = county.submitted()
    Meeting.objects.create(kind=Meeting.Kind.DISPATCH, title="调度会", held_on=dt.date(2021, 5, 6))
    client.force_login(county.office)
    response = client.post(reverse("office:add_to_meeting"), {"meeting": "abc", "case": case.pk})
    assert response.status_code == 400
    assert "参数“meeting”有误" in response.content.decode()
    assert not case.meetings.exists()


# --- open redirect ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "javascript:alert(1)", "foo", ""],
)
def test_marking_a_notification_read_never_leaves_the_site(client, county, target):
    notification = Notification.objects.create(
        user=county.dan,
        channel=Notification.Channel.IN_APP,
        kind=Notification.Kind.REMINDER,
        title="逾期提醒",
        dedup_key="test:next",
    )
    client.force_login(county.dan)
    response = client.post(reverse("notification_read", args=[notification.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_a_notification_read_goes_back_to_the_page_it_came_from(client, county):
    notification = Notification.objects.create(
        user=county.dan,
        channel=Notification.Channel.IN_APP,
        kind=Notification.Kind.REMINDER,
        title="逾期提醒",
        dedup_key="test:next-back",
    )
    client.force_login(county.dan)
    back = reverse("notifications") + "?unread=1&page=2"
    response = client.post(reverse("notification_read", args=[notification.pk]), {"next": back})
    assert response["Location"] == back


# --- one range for every date the product stores -------------------------------------------------

FAR_OFF = [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2100, 1, 1), dt.date(9999, 12, 31)]


def test_the_range_holds_by_the_local_day_in_china():
    china = dt.timezone(dt.timedelta(hours=8))
    assert in_calendar(dt.datetime(2000, 1, 1, 0, 30, tzinfo=china))  # 1999 in UTC
    assert not in_calendar(dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC))  # would overflow
    assert in_calendar(dt.date(2099, 12, 31)) and not in_calendar(dt.date(2100, 1, 1))


@pytest.mark.parametrize("day", FAR_OFF)
def test_a_breakdown_item_or_commitment_far_off_is_refused_by_the_workflow(county, day):
    case = county.in_progress()
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_breakdown_item(
            actor=county.dan, case=case, department=county.gxj, measure="增容", due_on=day
        )
    assert "due_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_commitment(actor=county.dan, case=case, text="一周内协调", due_on=day)
    assert "due_on" in refused.value.message_dict
    assert not BreakdownItem.objects.exists() and not Commitment.objects.exists()


def test_a_commitment_far_off_on_the_case_page_is_refused_beside_the_field(client, county):
    case = county.in_progress()
    client.force_login(county.dan)
    response = client.post(
        reverse("case_act", args=[case.pk, "commit"]),
        {"commit-text": "一周内协调", "commit-due_on": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "日期须在 2000 年至 2099 年之间" in response.content.decode()
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(1999, 12, 31)])
def test_a_visit_far_off_is_refused(county, day):
    with pytest.raises(ValidationError) as refused:
        intake.visit_create(
            actor=county.carl, enterprise=county.steel, visited_on=day, kind="inspect"
        )
    assert "visited_on" in refused.value.message_dict
    assert not Visit.objects.exists()


@pytest.mark.parametrize("day", FAR_OFF)
def test_a_meeting_far_off_is_refused_by_the_service(county, day):
    meeting = Meeting(kind=Meeting.Kind.DISPATCH, title="调度会", held_on=day)
    with pytest.raises(ValidationError) as refused:
        meeting_save(meeting=meeting)
    assert "held_on" in refused.value.message_dict
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_meeting_far_off_is_refused_on_the_office_and_task_force_pages(client, county, day):
    client.force_login(county.office)
    response = client.post(
        reverse("office:meeting_new"), {"kind": "dispatch", "title": "调度会", "held_on": day}
    )
    assert response.status_code == 400
    assert "held_on" in response.context["form"].errors
    client.force_login(county.li)
    response = client.post(
        reverse("taskforces:meeting_new", args=[county.task_force.pk]),
        {"title": "专班研究会", "held_on": day},
    )
    assert response.status_code == 400
    assert "held_on" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_historical_assignment_far_off_is_refused(client, county):
    case = county.submitted()
    client.force_login(county.office)
    response = client.post(
        reverse("office:assign"),
        {
            "step": "preview",
            "case": case.pk,
            "assigned_on": "0001-01-01",
            f"c{case.pk}-lead_department": county.gxj.pk,
        },
    )
    assert response.status_code == 200 and "assigned_on" in response.context["common"].errors
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


# --- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["x\r\nBcc: evil@example.org", "a\tb", "a\x00b", "a\u2028b", "a\x85b"]
)
def test_a_single_line_refuses_every_control_character(bad):
    with pytest.raises(ValidationError):
        validate_single_line(bad)


def test_a_text_keeps_its_newlines_and_tabs_but_refuses_nul_and_other_controls():
    validate_multiline("第一行\r\n第二行\t（续）")
    for bad in ("a\x00b", "a\x1bb", "a\x0bb"):
        with pytest.raises(ValidationError):
            validate_multiline(bad)


def test_the_api_refuses_a_title_with_a_line_break_and_saves_nothing(county):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=county.office).key}")
    response = client.post(
        "/api/v1/cases/",
        {
            "enterprise": county.steel.pk,
            "title": "x\r\nBcc: evil@example.org",
            "description": "两行\n描述",
            "category": "power",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "title" in response.json()
    assert not Case.objects.exists()


def test_the_api_refuses_a_control_character_in_a_note_and_saves_nothing(county):
    case = county.in_progress()
    events = case.events.count()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=county.dan).key}")
    response = client.post(
        f"/api/v1/cases/{case.pk}/progress/", {"note": "已协调\x1b[2J"}, format="json"
    )
    assert response.status_code == 400 and "note" in response.json()
    assert case.events.count() == events
    response = client.post(
        f"/api/v1/cases/{case.pk}/breakdown/",
        {"department": county.gxj.pk, "measure": "增容", "due_on": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["due_on"] == ["日期须在 2000 年至 2099 年之间。"]


def test_the_services_refuse_a_title_with_a_line_break_whoever_calls_them(county):
    with pytest.raises(ValidationError) as refused:
        intake.case_create(
            actor=county.office,
            enterprise=county.steel,
            title="x\r\nBcc: evil@example.org",
            category=county.power_category,
        )
    assert "title" in refused.value.message_dict
    case = county.in_progress()
    with pytest.raises(ValidationError) as refused:
        workflow.case_add_progress(actor=county.dan, case=case, note="已协调\x00")
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        workflow.case_accept(
            actor=county.dan, case=county.assigned(), contact_note="约定", contact_person="付\n董"
        )
    assert "contact_person" in refused.value.message_dict
    assert Case.objects.count() == 2


def test_a_description_keeps_its_lines(county):
    case = intake.case_create(
        actor=county.office,
        enterprise=county.steel,
        title="电压不稳",
        description="第一行\n第二行",
        category=county.power_category,
    )
    assert case.description == "第一行\n第二行"


def test_the_portal_refuses_a_title_with_a_line_break_beside_the_field(client, county):
    client.force_login(county.eva)
    response = client.post(
        reverse("portal:raise"),
        {"title": "电压不稳\r\nBcc: evil@example.org", "category": county.power_category.pk},
    )
    assert "title" in response.context["form"].errors
    assert "不能包含换行符" in response.content.decode()
    assert not Case.objects.exists()


def test_a_person_or_task_force_name_is_one_line(client, county):
    client.force_login(county.office)
    response = client.post(
        reverse("taskforces:people"),
        {"username": "zhang", "full_name": "张\t三", "kind": "person"},
    )
    assert "full_name" in response.context["form"].errors
    assert not type(county.office).objects.filter(username="zhang").exists()
    with pytest.raises(ValidationError):
        from cases.taskforces import taskforce_save

        taskforce_save(
            task_force=TaskForce(name="专班\n二", kind=TaskForce.Kind.INDUSTRY, active=False),
            members=[],
        )
    assert not TaskForce.objects.filter(name__startswith="专班\n").exists()


def test_the_back_office_holds_the_same_rules(client, county):
    from cases.models import CalendarOverride
    from tests.factories import make_superuser

    client.force_login(make_superuser())
    response = client.post(
        reverse("admin:cases_calendaroverride_add"),
        {"date": "9999-12-31", "kind": "holiday", "note": "元旦\r\n放假"},
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"date", "note"}
    assert not CalendarOverride.objects.exists()


def test_a_posted_member_count_cannot_make_the_server_build_thousands_of_forms(client, county):
    from taskforce_pages.forms import MAX_MEMBERS

    client.force_login(county.office)
    response = client.post(
        reverse("taskforces:new"),
        {
            "name": "新专班",
            "kind": TaskForce.Kind.INDUSTRY,
            "members-TOTAL_FORMS": "100000",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert len(response.context["members"].forms) <= MAX_MEMBERS
    assert not TaskForce.objects.filter(name="新专班").exists()


def test_any_other_bad_request_gets_the_plain_page_that_needs_no_request(client, county, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="bad-request"' not in html and 'id="request-refused"' in html  # templates/400.html


def test_a_note_that_cannot_be_kept_stops_the_step_instead_of_being_dropped(client, county):
    case = county.replied()
    client.force_login(county.office)
    response = client.post(
        reverse("office:close"), {"case": case.pk, "note": "已办结\x1b[2J"}, follow=True
    )
    assert "意见：不能包含控制字符" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED
