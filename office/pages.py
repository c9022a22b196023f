"""Small helpers the office views share: pagination and a refused note named by its field.

A workflow refusal said as a message on the next page is web.refusals.refusal_message."""

from __future__ import annotations

from django.core.paginator import Page
from django.utils.translation import gettext as _

from web.paging import paginator_for

PER_PAGE = 25


def paginate(
    request, items, *, param: str = "page", per_page: int = PER_PAGE, searched: bool = False
) -> Page:
    """A page of `items`; of a searched list (`searched`), counted up to web.paging's cap."""
    return paginator_for(items, per_page, searched=searched).get_page(request.GET.get(param))


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
