"""One translation from the services' refusals to the pages' answers, as api/exceptions.py is the
API's (docs/design.md §4: 403 may see but not do, 409 not in this state, 400 bad input).

- ActionForbidden a view does not catch → the 403 page, as if the view had raised PermissionDenied
  with its message (RefusalMiddleware);
- a refusal a page rather says on the next page — InvalidState, a ValidationError, on request
  ActionForbidden too — → a message, and the view redirects as it does anyway (refusal_message);
- a ValidationError about a form's input → beside its fields (web.forms.attach_errors).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception

from cases.errors import ActionForbidden, InvalidState


class RefusalMiddleware:
    """An ActionForbidden out of a view is the 403 page with its message: Django's own answer to
    PermissionDenied (handler403, templates/403.html, the "django.request" log line). Goes after
    web.errors.OwnErrorPagesMiddleware, so that it sees the refusal first (in DEBUG mode that
    one would answer any other exception with the 500 page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ActionForbidden):
            return response_for_exception(request, PermissionDenied(exception.message))
        return None


@dataclass
class Refusal:
    """How a refusal_message block ended: `ok` turns False, and `message` says why, when the step
    was refused — so the caller adds its success message only when there was none."""

    ok: bool = True
    message: str = ""


@contextmanager
def refusal_message(
    request,
    level: int = messages.ERROR,
    *,
    conflict_level: int | None = None,
    forbidden: bool = False,
    say: str = "%(reason)s",
) -> Iterator[Refusal]:
    """Run a workflow step; a refused one becomes a message on the next page, not an error page.

    InvalidState and a ValidationError are said at `level` (an InvalidState at `conflict_level`
    when given: "done already" may be news rather than an error). ActionForbidden goes on to
    RefusalMiddleware's 403 page unless `forbidden` — a batch that names the case refused, say.
    `say` wraps the reason ("%(reason)s 所选问题均未标记。")."""
    refusal = Refusal()
    caught = (InvalidState, ValidationError) + ((ActionForbidden,) if forbidden else ())
    try:
        yield refusal
    except caught as error:
        refusal.ok = False
        if isinstance(error, ValidationError):
            refusal.message = " ".join(error.messages)
        else:
            refusal.message = error.message
        if isinstance(error, InvalidState) and conflict_level is not None:
            level = conflict_level
        messages.add_message(request, level, say % {"reason": refusal.message})
