"""Small helpers the office views share: pagination and workflow errors turned into messages."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator

from cases.errors import ActionForbidden, InvalidState

PER_PAGE = 25


def paginate(request, items, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get(param))


def attach_errors(form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a workflow ValidationError next to the form's fields (renamed through field_map);
    errors about fields the form does not have go on top of the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        field = field_map.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


@dataclass
class Outcome:
    ok: bool = True


@contextmanager
def workflow_messages(request):
    """Run a workflow step; a refused one becomes a message on the next page, not an error page.

    Yields an Outcome whose `ok` turns False when the step was refused, so the caller can tell."""
    outcome = Outcome()
    try:
        yield outcome
    except ActionForbidden as error:
        raise PermissionDenied(error.message) from error
    except InvalidState as error:
        messages.error(request, error.message)
        outcome.ok = False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        outcome.ok = False


MAX_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """A database id typed by a person or a crafted request: ASCII digits within BIGINT, or None.

    str.isdigit() alone accepts "²" and 25-digit numbers, which int() or the database reject.
    """
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    return [pk for pk in (parse_id(v) for v in values) if pk is not None]
