"""The pages' one translation of the services' refusals (web.refusals), and a service's
ValidationError put beside a form's fields (web.forms.attach_errors)."""

from __future__ import annotations

import logging

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from cases.errors import ActionForbidden, InvalidState
from web.forms import attach_errors
from web.refusals import refusal_message

# --- an ActionForbidden no view caught: the 403 page ---------------------------------------------


@pytest.fixture(params=[True, False], ids=["make-run-DEBUG-on", "production-DEBUG-off"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.django_db
def test_an_uncaught_refusal_is_the_403_page_with_its_reason(mode, county, monkeypatch, caplog):
    def refused(*args, **kwargs):
        raise ActionForbidden("您的角色不能对此问题执行“试一试”。")

    monkeypatch.setattr("web.views.cases_visible_to", refused)
    client = Client(raise_request_exception=False)
    client.force_login(county.dan)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("case_list"))

    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "403.html"
    html = response.content.decode()
    assert 'id="forbidden"' in html and "无权操作" in html
    assert "您的角色不能对此问题执行“试一试”。" in html
    assert 'id="current-user"' in html  # the navbar, as on every page
    assert [r.status_code for r in caplog.records if r.name == "django.request"] == [403]


@pytest.mark.django_db
def test_other_exceptions_pass_by(county, monkeypatch):
    def conflict(*args, **kwargs):
        raise InvalidState("此问题已办结。", status="closed")

    monkeypatch.setattr("web.views.cases_visible_to", conflict)
    client = Client(raise_request_exception=False)
    client.force_login(county.dan)
    assert client.get(reverse("case_list")).status_code == 500


# --- a refusal said as a message on the next page ------------------------------------------------


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _said(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in request._messages]


@pytest.mark.parametrize(
    "error, reason",
    [
        (InvalidState("此问题已办结。", status="closed"), "此问题已办结。"),
        (
            ValidationError({"note": ["请填写说明。"], "due": ["日期不对。"]}),
            "请填写说明。 日期不对。",
        ),
    ],
)
def test_a_conflict_or_bad_input_becomes_a_message(error, reason):
    request = _request()
    with refusal_message(request) as outcome:
        raise error
    assert not outcome.ok and outcome.message == reason
    assert _said(request) == [(messages.ERROR, reason)]


def test_a_step_taken_says_nothing():
    request = _request()
    with refusal_message(request) as outcome:
        pass
    assert outcome.ok and _said(request) == []


def test_the_level_and_the_words_are_the_callers():
    request = _request()
    with refusal_message(request, messages.WARNING, conflict_level=messages.INFO):
        raise InvalidState("已研究过。", status="in_progress")
    with refusal_message(request, messages.WARNING, conflict_level=messages.INFO):
        raise ValidationError("说明太长。")
    with refusal_message(request, say="%(reason)s 所选问题均未标记。"):
        raise InvalidState("问题 1：已研究过。", status="in_progress")
    assert _said(request) == [
        (messages.INFO, "已研究过。"),
        (messages.WARNING, "说明太长。"),
        (messages.ERROR, "问题 1：已研究过。 所选问题均未标记。"),
    ]


def test_action_forbidden_goes_on_to_the_403_page_unless_asked():
    request = _request()
    with pytest.raises(ActionForbidden), refusal_message(request):
        raise ActionForbidden("不能。")
    with refusal_message(request, forbidden=True) as outcome:
        raise ActionForbidden("问题 1：不能。")
    assert not outcome.ok and _said(request) == [(messages.ERROR, "问题 1：不能。")]


# --- a ValidationError beside the form's fields --------------------------------------------------


class NoteForm(forms.Form):
    title = forms.CharField(required=False)
    due_on = forms.DateField(required=False)


def _bound(form_class=NoteForm):
    form = form_class({})
    assert form.is_valid()
    return form


def test_field_errors_go_beside_their_fields_the_rest_on_top():
    form = _bound()
    error = ValidationError(
        {
            "title": ["标题不能为空。", "标题不能含换行。"],
            NON_FIELD_ERRORS: ["整体不对。"],
            "contact_mobile": ["手机号码不对。"],  # a field the form does not have
        }
    )
    attach_errors(form, error)
    assert form.errors["title"] == ["标题不能为空。", "标题不能含换行。"]
    assert form.non_field_errors() == ["整体不对。", "手机号码不对。"]
    assert "title" not in form.cleaned_data


def test_an_error_about_no_field_goes_on_top():
    form = _bound()
    attach_errors(form, ValidationError(["此问题已停用。", "请刷新。"]))
    assert form.errors == {NON_FIELD_ERRORS: ["此问题已停用。", "请刷新。"]}


def test_names_are_renamed_or_sent_to_another_form():
    header, row = _bound(), _bound()
    error = ValidationError(
        {"resolve_due_at": ["期限太早。"], "title": ["标题太长。"], "lead": ["请选择。"]}
    )
    attach_errors(row, error, {"resolve_due_at": (header, "due_on")})
    assert header.errors == {"due_on": ["期限太早。"]}
    assert row.errors == {"title": ["标题太长。"], NON_FIELD_ERRORS: ["请选择。"]}

    form = _bound()
    attach_errors(form, ValidationError("不是 xlsx 文件。"), {NON_FIELD_ERRORS: "title"})
    attach_errors(
        form, ValidationError({"resolve_due_at": "期限太早。"}), {"resolve_due_at": "due_on"}
    )
    assert form.errors == {"title": ["不是 xlsx 文件。"], "due_on": ["期限太早。"]}
