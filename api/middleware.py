"""Every answer under /api/ is JSON (issue 25), the ones no API view wrote included: a path no URL
pattern matches (/api/nothing/, /api/v1/cases/1.5/), a server error, a body Django itself refused.
Each becomes the API's one error shape, `{"detail": "…"}` with the same status and the headers a
client acts on (Allow, Retry-After, WWW-Authenticate). A developer who set TECHNICAL_ERROR_PAGES
in DEBUG mode keeps Django's debug pages (web.errors).
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from rest_framework import exceptions

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

# DRF's own words for each status, so these answers read as the API views' do.
DETAILS = {
    400: exceptions.ParseError.default_detail,
    401: exceptions.NotAuthenticated.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    406: exceptions.NotAcceptable.default_detail,
    429: exceptions.Throttled.default_detail,
    500: exceptions.APIException.default_detail,
}


def is_json(response) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class JsonErrorsMiddleware:
    """Outside web.errors.OwnErrorPagesMiddleware, so it sees the pages that one renders too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PREFIX)
            or is_json(response)
            or (settings.DEBUG and getattr(settings, "TECHNICAL_ERROR_PAGES", False))
        ):
            return response
        detail = DETAILS.get(response.status_code, response.reason_phrase)
        answer = JsonResponse({"detail": str(detail)}, status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
