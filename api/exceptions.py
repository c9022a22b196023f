"""One translation from the services' refusals to HTTP answers (DESIGN §9).

ActionForbidden → 403, InvalidState → 409 with the case's current `status`, ClientIdTaken and
LimitReached → 409 with a `code`, a Django
ValidationError → 400 with its field errors, a body over DATA_UPLOAD_MAX_MEMORY_SIZE → 400.
Everything else is DRF's own handling.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import ActionForbidden, ClientIdTaken, InvalidState, LimitReached


def exception_handler(exc, context):
    if isinstance(exc, InvalidState):
        return Response({"detail": exc.message, "status": exc.status}, status.HTTP_409_CONFLICT)
    if isinstance(exc, ClientIdTaken):
        return Response(
            {"detail": exc.message, "code": "client_id_taken"}, status.HTTP_409_CONFLICT
        )
    if isinstance(exc, LimitReached):
        return Response({"detail": exc.message, "code": "limit_reached"}, status.HTTP_409_CONFLICT)
    if isinstance(exc, ActionForbidden):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(str(exc))
    return drf_exception_handler(exc, context)
