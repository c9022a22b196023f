"""The sign-in pages beside the password form: SMS code, and 企业微信 / 钉钉 (scan or in-app)."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from notifications.vendors import VendorError
from signin import sms_codes
from signin.vendors import FLOWS, SignInRefused, account_for, sign_in_county
from web.proxies import client_address

STATE_KEY = "signin_vendor_state"
STATE_LIFETIME_SECONDS = 600


def _safe_next(request, value: str | None) -> str:
    value = value or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _refused(request, message: str, status: int = 403):
    return render(request, "signin/refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def sms_login(request):
    """Two steps on one page: the mobile and 获取验证码, then the code and 登录."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request, request.GET.get("next")))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    context = {"phone": "", "next": next_url, "sent": False, "errors": {}}
    if request.method == "POST":
        phone = request.POST.get("phone", "").strip()
        context["phone"] = phone
        if request.POST.get("action") == "send":
            try:
                sms_codes.request_code(phone=phone, ip=client_address(request) or None)
                context["sent"] = True
            except ValidationError as error:
                context["errors"]["phone"] = error.messages[0]
            except sms_codes.TooManyRequests as error:
                context["errors"]["form"] = error.message
                context["sent"] = True
        else:
            context["sent"] = True
            code = request.POST.get("code", "").strip()
            try:
                phone = sms_codes.mobile_or_error(phone)
            except ValidationError as error:
                context["errors"]["phone"] = error.messages[0]
            else:
                if not (code.isdigit() and len(code) == 6):
                    context["errors"]["code"] = _("验证码是短信中的6位数字。")
                else:
                    user = authenticate(request, username=phone, one_time_password=code)
                    if user is not None:
                        login(request, user)
                        return redirect(_safe_next(request, next_url))
                    # A locked-out pair: django-axes' middleware answers with its lockout page.
                    context["errors"]["code"] = _(
                        "验证码不正确或已失效，请重新获取。连续多次输错后，该号码将被暂时锁定。"
                    )
    status = 400 if context["errors"] else 200
    return render(request, "signin/sms.html", context, status=status)


def _flow(vendor: str):
    flow = FLOWS.get(vendor)
    if flow is None:
        raise Http404
    return flow


@require_GET
def vendor_start(request, vendor: str):
    """Off to the vendor: its QR page on a desktop, its silent OAuth inside its own app."""
    flow = _flow(vendor)
    county_id = sign_in_county(request.GET.get("county"))
    config = flow.config(county_id)
    if config is None:
        return _refused(
            request, _("本平台尚未配置%(vendor)s登录。") % {"vendor": flow.label}, status=404
        )
    next_url = _safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    state = secrets.token_urlsafe(24)
    request.session[STATE_KEY] = {
        "vendor": flow.key,
        "county": county_id,
        "state": state,
        "next": next_url,
        "at": time.time(),
    }
    callback = request.build_absolute_uri(reverse("signin:vendor_callback", args=[flow.key]))
    in_app = flow.in_app(request.headers.get("User-Agent", ""))
    return redirect(flow.authorize_url(config, redirect_uri=callback, state=state, in_app=in_app))


@require_GET
def vendor_callback(request, vendor: str):
    """Back from the vendor with a code: check our state (single use), ask the vendor whose code
    it is, match the account and sign it in."""
    flow = _flow(vendor)
    saved = request.session.pop(STATE_KEY, None) or {}
    county_id = sign_in_county(saved.get("county"))
    config = flow.config(county_id)
    if config is None:
        raise Http404
    state = request.GET.get("state", "")
    if (
        saved.get("vendor") != flow.key
        or not state
        or not constant_time_compare(saved.get("state", ""), state)
        or time.time() - saved.get("at", 0) > STATE_LIFETIME_SECONDS
    ):
        return _refused(request, _("登录请求已失效或不是从本平台发起的，请重新登录。"), 400)
    code = request.GET.get("code") or request.GET.get("authCode") or ""
    if not code:
        return _refused(
            request, _("%(vendor)s没有完成授权，请重新登录。") % {"vendor": flow.label}, 400
        )
    try:
        userid = flow.user_id(config, code)
        user = account_for(flow, config, userid, county_id)
    except VendorError as error:
        return _refused(
            request,
            _("%(vendor)s未能确认您的身份（%(reason)s），请重新登录。")
            % {"vendor": flow.label, "reason": error},
            502 if error.temporary else 403,
        )
    except SignInRefused as refusal:
        return _refused(request, refusal.message)
    signed_in = authenticate(
        request,
        username=user.get_username(),
        vendor=flow.key,
        vendor_userid=userid,
        vendor_county=county_id,
    )
    if signed_in is None:
        # django-axes' middleware turns a locked-out pair into its lockout page.
        return _refused(request, _("您的账号当前无法登录，请联系县委办。"))
    login(request, signed_in)
    return redirect(saved.get("next") or _safe_next(request, None))
