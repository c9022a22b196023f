"""The error pages people see are the project's own, in Chinese, in every mode (issue 17).

With DEBUG off Django answers 404, 403, 400 and 500 with config.urls' handlers and the templates
404.html, 403.html, 400.html and 500.html. With DEBUG on — `make run` — it would show its English
debug pages instead (a traceback, or the list of URL patterns), to whoever opens the page. This
middleware gives the same handlers' answers in DEBUG mode too; the traceback still goes to the
console (the "django.request" log). A developer who wants Django's debug pages sets
TECHNICAL_ERROR_PAGES=1.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils.log import log_response
from django.utils.translation import gettext as _

logger = logging.getLogger("django.request")


def _own_pages() -> bool:
    return settings.DEBUG and not getattr(settings, "TECHNICAL_ERROR_PAGES", False)


def _handler(status: int):
    return get_resolver(get_urlconf()).resolve_error_handler(status)


class OwnErrorPagesMiddleware:
    """In DEBUG mode, the project's 404/400/500 pages instead of Django's debug pages. Goes after
    the authentication and messages middleware (the pages show the signed-in user's navbar) and
    after CommonMiddleware (a missing trailing slash is still redirected)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _own_pages():
            # A path no URL pattern matches never reaches a view, so process_exception would not
            # see it: ask the resolver first (DEBUG mode only; production lets Django do it).
            try:
                get_resolver(get_urlconf()).resolve(request.path_info)
            except Resolver404 as missing:
                return _handler(404)(request, exception=missing)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _own_pages():
            return None
        if isinstance(exception, Http404):
            return _handler(404)(request, exception=exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django answers with handler403 in every mode
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            response = _handler(400)(request, exception=exception)
            log_response("%s: %s", str(exception), request.path, response=response, request=request)
            return response
        signals.got_request_exception.send(sender=None, request=request)
        response = _handler(500)(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent from a page that has expired (signed out in another tab, a
    page left open for days) — said in the user's words, not Django's English one. The phone's
    offline uploader, which asks for JSON, gets JSON it can show (code "csrf")."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"code": "csrf", "message": _("页面已过期，请刷新页面后重新上传，草稿已保留。")},
            status=403,
        )
    return render(
        request,
        "403.html",
        {"exception": _("页面已过期或来源无法确认，请返回上一页刷新后重新提交。")},
        status=403,
    )
