"""The published contract (DESIGN §9, issue 25): the OpenAPI schema served at /api/schema/ and
committed as docs/openapi.yaml (`make openapi` writes it; a test fails when the two differ).

It is generated in English whatever the reader's language — identifiers, enum names, titles (the
descriptions may carry the Chinese terms) — so every reader, and every client generator, gets the
same contract.

One error shape: `{"detail": "…"}` (ErrorDetail); a 400 names each field it refuses, with
`detail` for a body that is not JSON (FieldErrors); a 409 adds the case's current `status`
(StateConflict), or a `code` when it is not about a case's state (ClientIdTaken). Every operation documents 401 (no or bad credentials), 429 (throttled) and 500;
lists and writes 400; a body 415 (JSON only); an operation on one object, or a page of a list, 404;
views add 403 and 409 where their service can answer them.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.response import Response

from cases.models import Case

CONTRACT_LANGUAGE = "en"

Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
Conflict = inline_serializer(
    "StateConflict",
    {
        "detail": serializers.CharField(),
        "status": serializers.ChoiceField(choices=Case.Status.choices),
    },
)

CLIENT_ID_TAKEN = OpenApiResponse(
    inline_serializer(
        "ClientIdTaken",
        {
            "detail": serializers.CharField(),
            "code": serializers.CharField(help_text="`client_id_taken`"),
        },
    ),
    description="The `client_id` was already used by another user; nothing was created.",
)


class FieldErrors(serializers.Serializer):
    """A 400's body: described by FieldErrorsSchema below (a serializer cannot say "any key")."""


class FieldErrorsSchema(OpenApiSerializerExtension):
    target_class = FieldErrors

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": "Each key names a refused field (a list item's errors nest under "
            "its list), each value says what is wrong; `non_field_errors` for the input as a "
            "whole, `detail` for a body that could not be read.",
            "properties": {
                "detail": {"type": "string"},
                "non_field_errors": {"type": "array", "items": {"type": "string"}},
            },
            "additionalProperties": {},
        }


ERRORS = {
    400: OpenApiResponse(FieldErrors, description="Invalid input, a field or a query parameter."),
    401: OpenApiResponse(Detail, description="No credentials, or a token that is not valid."),
    403: OpenApiResponse(Detail, description="The user may see this but may not do it."),
    404: OpenApiResponse(
        Detail, description="Not found, or outside the user's scope (the two are not told apart)."
    ),
    409: OpenApiResponse(
        Conflict,
        description="The case's current state does not allow this; `status` is that state.",
    ),
    415: OpenApiResponse(
        Detail, description="The body is not `application/json`, the only type this API reads."
    ),
    429: OpenApiResponse(
        Detail, description="Too many requests; retry after `Retry-After` seconds."
    ),
    500: OpenApiResponse(Detail, description="The server failed; the answer is still JSON."),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class ApiAutoSchema(AutoSchema):
    """Adds the answers every operation can give to those its view declares."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        defaults = [429, 500]
        if self.get_auth():
            defaults.append(401)
        paginated = self._is_list_view() and self.method == "GET"
        if paginated or self.method in ("POST", "PUT", "PATCH"):
            defaults.append(400)  # a filter's or a body's invalid value
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            defaults.append(415)  # a body that is not JSON
        if paginated or "{" in self.path:
            defaults.append(404)  # an object out of scope, or a page past the last
        for code in defaults:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(ERRORS[code], str(code))
        return dict(sorted(responses.items()))

    def _get_parameters(self):
        # A query parameter sent empty (`?overdue=`) is read as one left out, as every form does.
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query":
                parameter["allowEmptyValue"] = True
        return parameters

    def _resolve_path_parameters(self, variables):
        # An id in a path matches [0-9]+ (api.views.base.ApiView): say it is a whole number.
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") == "^[0-9]+$":
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


def contract() -> dict:
    """The schema as plain data, in the contract's language."""
    with translation.override(CONTRACT_LANGUAGE):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        # Lazy translations are read now, inside the override, not when the answer is rendered.
        return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))


def contract_yaml() -> bytes:
    """docs/openapi.yaml's content."""
    return OpenApiYamlRenderer().render(contract(), renderer_context={})


class ContractView(SpectacularAPIView):
    """/api/schema/: the contract, YAML (or JSON with `?format=json`), whatever Accept-Language or
    `?lang=` asks."""

    def _get_schema_response(self, request):
        return Response(
            data=contract(),
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, None)}"'
            },
        )
