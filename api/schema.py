"""The OpenAPI description of the error answers (DESIGN §9), so clients and the fuzzer can rely on them.

Every operation documents 401 (no or bad credentials) and 429 (throttled); lists and writes 400;
an operation on one object, or a page of a list, 404; views add 403 and 409 where their service
can answer them.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from cases.models import Case

Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
Conflict = inline_serializer(
    "StateConflict",
    {
        "detail": serializers.CharField(),
        "status": serializers.ChoiceField(choices=Case.Status.choices),
    },
)

ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Invalid input: each key names a field (or `detail` for a body that is not "
        "JSON), each value says what is wrong.",
    ),
    401: OpenApiResponse(Detail, description="No credentials, or a token that is not valid."),
    403: OpenApiResponse(Detail, description="The user may see this but may not do it."),
    404: OpenApiResponse(
        Detail, description="Not found, or outside the user's scope (the two are not told apart)."
    ),
    409: OpenApiResponse(
        Conflict,
        description="The case's current state does not allow this; `status` is that state.",
    ),
    429: OpenApiResponse(
        Detail, description="Too many requests; retry after `Retry-After` seconds."
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class ApiAutoSchema(AutoSchema):
    """Adds the answers every operation can give to those its view declares."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        defaults = [429]
        if self.get_auth():
            defaults.append(401)
        paginated = self._is_list_view() and self.method == "GET"
        if paginated or self.method in ("POST", "PUT", "PATCH"):
            defaults.append(400)  # a filter's or a body's invalid value
        if paginated or "{" in self.path:
            defaults.append(404)  # an object out of scope, or a page past the last
        for code in defaults:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ERRORS[code], str(code))
        return dict(sorted(responses.items()))
