"""The web shell: sign-in and lockout, the per-role home page, the office's calendar banner, /healthz.

A small story: 县工信局's clerk Dan sees the case his bureau leads and not the one 县人社局 leads;
Eva, the contact of 桂柳家禽, sees only her own enterprise's case; Ou works in the county office.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CalendarOverride, Case, Category
from cases.roles import DEPARTMENT
from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
from enterprises.validators import credit_code_check_character
from web.middleware import ActorMiddleware

PASSWORD = "correct-horse-battery-staple"
TODAY = dt.date(2026, 11, 26)  # chinesecalendar 1.11 knows 2026 but not 2027
_serial = itertools.count(1)


def make_user(username: str) -> User:
    return User.objects.create_user(username=username, password=PASSWORD)


def make_staff(username: str, department: Department) -> User:
    user = make_user(username)
    DepartmentStaff.objects.create(user=user, department=department)
    return user


def make_enterprise(name: str) -> Enterprise:
    first17 = f"91360124WX{next(_serial):07d}"
    return Enterprise.objects.create(
        name=name, credit_code=first17 + credit_code_check_character(first17)
    )


def make_case(enterprise: Enterprise, lead: Department, category: Category, title: str) -> Case:
    n = next(_serial)
    return Case.objects.create(
        number=f"2026-W{n:05d}",
        year=2026,
        sequence=n,
        title=title,
        enterprise=enterprise,
        category=category,
        source=Case.Source.VISIT,
        status=Case.Status.ASSIGNED,
        lead_department=lead,
        assigned_at=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC),
        contact_due_at=dt.datetime(2026, 11, 26, 15, 59, 59, tzinfo=dt.UTC),
    )


@pytest.fixture
def county(db):
    office = Department.objects.create(name="县委办", kind=Department.Kind.OFFICE)
    gxj = Department.objects.create(name="县工信局")
    rsj = Department.objects.create(name="县人社局")
    steel = make_enterprise("江西进贤荣信钢构公司")
    poultry = make_enterprise("江西桂柳家禽有限公司")
    power = Category.objects.create(name="用电用能", code="power")
    eva = make_user("eva")
    EnterpriseContact.objects.create(user=eva, enterprise=poultry)
    return SimpleNamespace(
        office=office,
        gxj=gxj,
        rsj=rsj,
        steel=steel,
        poultry=poultry,
        power=power,
        ou=make_staff("ou", office),
        dan=make_staff("dan", gxj),
        eva=eva,
        gxj_case=make_case(steel, gxj, power, "电压不稳，无法满负荷生产"),
        rsj_case=make_case(poultry, rsj, power, "电费负担过重"),
    )


@pytest.fixture
def on_2026_11_26(monkeypatch):
    monkeypatch.setattr("web.context_processors.timezone", SimpleNamespace(localdate=lambda: TODAY))


def log_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# Sign-in


@pytest.mark.django_db
def test_the_login_page_speaks_chinese_by_default(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "密码" in html
    assert "四进四问" in html


@pytest.mark.django_db
def test_the_login_page_speaks_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in html
    assert "Password" in html
    assert "密码" not in html


@pytest.mark.django_db
def test_the_language_form_switches_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(client, county):
    response = log_in(client, "dan", "not-the-password")

    assert response.status_code == 200
    assert 'id="login-error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, county, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25  # hours
    for _ in range(4):
        assert log_in(client, "dan", "not-the-password").status_code == 200

    fifth = log_in(client, "dan", "not-the-password")
    with_the_right_password = log_in(client, "dan")

    for response in (fifth, with_the_right_password):
        assert response.status_code == 429
        html = response.content.decode()
        assert 'id="locked-out"' in html
        assert "账号已暂时锁定" in html
        assert "15 分钟" in html
    assert "_auth_user_id" not in client.session


def test_signing_in_leads_home_and_signing_out_leads_back(client, county):
    response = log_in(client, "dan")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_home_needs_a_signed_in_user(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


# 全部问题: the list of every case one may see (the home page sends each role to its own page:
# tests/test_day_one_landing.py)


def test_a_department_clerk_sees_only_the_cases_his_department_leads(client, county):
    log_in(client, "dan")

    html = client.get(reverse("case_list")).content.decode()

    assert county.gxj_case.number in html and "电压不稳" in html
    assert county.rsj_case.number not in html and "电费负担过重" not in html
    assert "江西进贤荣信钢构公司" in html and "县工信局" in html and "用电用能" in html
    assert "已交办" in html  # the status label, not its machine name
    assert "state-assigned" in html  # in the state's own colour
    assert "对接期限 2026-11-26" in html  # the running deadline, in Beijing time
    assert '<span class="badge text-bg-light ms-1">部门</span>' in html  # his role, in the navbar


def test_an_enterprise_contact_sees_only_her_enterprises_cases(client, county):
    log_in(client, "eva")

    response = client.get(reverse("case_list"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:cases")
    html = response.content.decode()

    assert county.rsj_case.number in html
    assert county.gxj_case.number not in html


def test_the_office_sees_every_case(client, county):
    client.force_login(county.ou)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert county.gxj_case.number in html and county.rsj_case.number in html


def test_the_case_list_costs_the_same_queries_for_1_case_as_for_30(client, county):
    client.force_login(county.dan)
    client.get(reverse("case_list"))  # the reader's roles and calendar, remembered from here
    with CaptureQueriesContext(connection) as one_case:
        assert client.get(reverse("case_list")).status_code == 200

    for i in range(29):
        make_case(county.steel, county.gxj, county.power, f"问题 {i}")
    with CaptureQueriesContext(connection) as thirty_cases:
        html = client.get(reverse("case_list")).content.decode()

    assert html.count("<tr>") == 1 + 30  # header row + one per case
    assert len(thirty_cases) == len(one_case)


def test_the_case_list_shows_50_cases_a_page(client, county):
    for i in range(50):
        make_case(county.steel, county.gxj, county.power, f"问题 {i}")
    client.force_login(county.dan)

    first = client.get(reverse("case_list")).content.decode()
    second = client.get(reverse("case_list"), {"page": 2}).content.decode()

    assert first.count("<tr>") == 1 + 50
    assert second.count("<tr>") == 1 + 1
    assert "?page=2" in first


# The office's calendar banner (DESIGN §5: an unknown year falls back to Monday–Friday)


def test_the_office_is_warned_that_next_years_holidays_are_not_entered(
    client, county, on_2026_11_26
):
    client.force_login(county.ou)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert 'id="calendar-warning"' in html
    assert "2027 年的放假安排尚未录入工作日历。国务院公布安排后" in html
    # No open deadline reaches into 2027 yet: the banner gives no count rather than "0 个".
    assert "目前有 0 个" not in html and "目前有" not in html
    assert "2026 年" not in html


def test_a_department_clerk_gets_no_calendar_banner(client, county, on_2026_11_26):
    client.force_login(county.dan)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert 'id="calendar-warning"' not in html


def test_the_banner_goes_once_the_office_enters_next_year(client, county, on_2026_11_26):
    CalendarOverride.objects.create(
        date=dt.date(2027, 1, 1), kind=CalendarOverride.Kind.HOLIDAY, note="元旦"
    )
    client.force_login(county.ou)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert 'id="calendar-warning"' not in html


# request.actor


def test_the_middleware_works_out_the_actor_once_and_only_when_asked(
    county, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = county.dan
    seen = []
    middleware = ActorMiddleware(lambda req: seen.append(req) or "response")

    with django_assert_num_queries(0):
        assert middleware(request) == "response"
    with django_assert_num_queries(3):
        assert seen[0].actor.roles == [DEPARTMENT]
    with django_assert_num_queries(0):
        assert seen[0].actor.department_id == county.gxj.id


# /healthz


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_embedded_brokers_folder_is_missing(
    client, settings, tmp_path
):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "gone"),
        "data_folder_out": str(tmp_path / "gone"),
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
