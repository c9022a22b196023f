"""The progress clock for the shared case page, above the progress form (调度):

    {% load workspace_clocks %}
    {% progress_clock case %}

says when the last progress note was written and, once PROGRESS_NOTE_INTERVAL_WORKING_DAYS have
passed without one, asks for a note now. Reads the calendar at most once per request.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from cases.clocks import progress_clock as _progress_clock
from cases.models import CaseEvent
from cases.selectors import work_calendar
from web.middleware import request_calendar

register = template.Library()


@register.inclusion_tag("workspace/_progress_clock.html", takes_context=True)
def progress_clock(context, case):
    """Uses case.last_progress_at when annotated (workspace.selectors.with_last_progress);
    otherwise costs one query."""
    if hasattr(case, "last_progress_at"):
        last_progress_at = case.last_progress_at
    else:
        last_progress_at = (
            case.events.filter(kind=CaseEvent.Kind.PROGRESS)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
    request = context.get("request")
    calendar = request_calendar(request) if request is not None else work_calendar()
    return {"progress": _progress_clock(case, last_progress_at, timezone.now(), calendar)}
