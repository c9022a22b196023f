"""Small helpers the office views share: pagination and workflow refusals turned into messages."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from cases.errors import ActionForbidden, InvalidState

PER_PAGE = 25


def paginate(request, items, *, param: str = "page", per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get(param))


def refused_note(form) -> str:
    """Why a note cannot be kept, naming the field: the step is not taken without it."""
    return " ".join(
        _("%(field)s：%(problem)s")
        % {
            "field": form.fields[name].label if name in form.fields else "",
            "problem": " ".join(errors),
        }
        for name, errors in form.errors.items()
    )


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
