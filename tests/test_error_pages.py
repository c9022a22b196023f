"""Issue 17: a missing page, a refused one and a server error are the project's own Chinese pages
in every mode — with DEBUG on too (`make run`), where Django would show its English debug pages
(web.errors) — and the site has a favicon."""

from __future__ import annotations

import logging

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEBUG_PAGE_WORDS = (
    "Using the URLconf",
    "Traceback",
    "Django tried these URL patterns",
    "DEBUG = True",
)


@pytest.fixture(params=[True, False], ids=["make-run-DEBUG-on", "production-DEBUG-off"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def signed_in(county):
    client = Client(raise_request_exception=False)
    client.force_login(county.dan)
    return client


def assert_own_page(response, status: int, words: str):
    assert response.status_code == status
    html = response.content.decode()
    assert words in html, html[:500]
    for word in DEBUG_PAGE_WORDS:
        assert word not in html
    assert '<html lang="zh-CN">' in html


def test_a_path_no_page_has_is_a_chinese_404(mode, signed_in):
    response = signed_in.get("/no-such-page/")
    assert_own_page(response, 404, "页面不存在，或您无权查看。")
    assert "返回首页" in response.content.decode()
    assert 'id="current-user"' in response.content.decode()  # the navbar, as on every page


def test_a_case_one_may_not_see_is_a_chinese_404(mode, signed_in):
    assert_own_page(signed_in.get(reverse("case_detail", args=[2_000_000_000])), 404, "未找到")


def test_a_page_of_another_role_is_a_chinese_403(mode, signed_in):
    assert_own_page(signed_in.get(reverse("office:triage")), 403, "无权操作")


def test_a_server_error_is_a_chinese_500_and_the_traceback_goes_to_the_log(
    mode, signed_in, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database said no")

    monkeypatch.setattr("web.views.cases_visible_to", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = signed_in.get(reverse("case_list"))

    assert_own_page(response, 500, "系统出错")
    assert "the database said no" not in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and "the database said no" in str(record.exc_info[1])


def test_a_parameter_that_cannot_be_read_is_named_on_a_chinese_400(mode, county):
    client = Client(raise_request_exception=False)
    client.force_login(county.office)
    response = client.get(reverse("analysis:report"), {"period": "not-a-period"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and "无法识别的期间“not-a-period”" in html
    for word in DEBUG_PAGE_WORDS:
        assert word not in html


def test_other_bad_requests_get_the_plain_chinese_400(mode, signed_in, monkeypatch):
    from django.core.exceptions import SuspiciousOperation

    def suspicious(*args, **kwargs):
        raise SuspiciousOperation("crafted")

    monkeypatch.setattr("web.views.cases_visible_to", suspicious)
    assert_own_page(signed_in.get(reverse("case_list")), 400, "请求有误")


def test_a_missing_trailing_slash_is_still_redirected(mode, signed_in):
    response = signed_in.get("/dept")
    assert response.status_code == 301 and response["Location"] == "/dept/"


def test_a_developer_can_ask_for_djangos_debug_pages(settings, signed_in):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    html = signed_in.get("/no-such-page/").content.decode()
    assert "Django tried these URL patterns" in html or "Using the URLconf" in html


def test_an_expired_form_is_a_chinese_403(mode, county):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.dan)
    assert_own_page(client.post(reverse("logout")), 403, "页面已过期")


def test_the_500_page_needs_nothing_from_the_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统出错" in html and "favicon.svg" in html


# --- the favicon --------------------------------------------------------------------------------


def test_every_page_links_the_favicon(client, county):
    client.force_login(county.dan)
    html = client.get(reverse("workspace:inbox")).content.decode()
    assert '<link rel="icon" href="/static/site/favicon.svg" type="image/svg+xml">' in html
    login = Client().get(reverse("login")).content.decode()
    assert "site/favicon.svg" in login


def test_favicon_ico_is_served_for_browsers_that_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/site/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    ico = finders.find("site/favicon.ico")
    with open(ico, "rb") as handle:
        assert handle.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    with open(finders.find("site/favicon.svg"), encoding="utf-8") as handle:
        assert handle.read().lstrip().startswith("<svg")
