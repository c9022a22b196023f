"""Small helpers for the analysis pages: the area's tabs, rates and changes as people read them."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from analysis.access import pages_for
from analysis.evaluation import points as evaluation_points
from cases.models import Case
from cases.workdays import local_date
from web.links import case_path
from web.middleware import request_actor
from web.templatetags.states import case_standing, state_badge

register = template.Library()

NONE = "—"


@register.simple_tag(takes_context=True)
def analysis_tabs(context) -> list[tuple[str, str, bool]]:
    """(url, label, is the current page) for each analysis page the user may open."""
    request = context["request"]
    tabs = []
    for name, label in pages_for(request_actor(request)):
        url = reverse(name)
        current = request.path == url
        tabs.append((url, label, current))
    return tabs


@register.filter
def pct(value) -> str:
    """0.8571 → 85.7%; None (nothing to divide by) → —."""
    if value is None:
        return NONE
    return f"{value * 100:.1f}%"


@register.filter
def signed(value: int) -> str:
    if not value:
        return "0"
    return f"+{value}" if value > 0 else f"−{abs(value)}"


@register.filter
def dash(value) -> str:
    return NONE if value is None else value


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def score(value) -> str:
    """A score in points, one decimal: 87.25 → 87.3; None (not scored) → —."""
    return NONE if value is None else f"{value:.1f}"


@register.filter
def points(value, signed: bool = False) -> str:
    """Points as the rules print them (analysis.evaluation.points): 2, 1.5; |points:True signs
    them, +2 and −3."""
    if value is None:
        return NONE
    return evaluation_points(value, signed=bool(signed))


@register.simple_tag
def ledger_row(case) -> str:
    """One row of 问题总台账, written here rather than by the template engine: the ledger is fifty
    such rows, and the engine's lookups, tags and filters for each were most of the page's time
    (issue 23; the markup is the same). The cells ask what every list asks: states' state_badge and
    case_standing, the case's own fields."""
    standing = case_standing(case)
    on_small = case.status not in (Case.Status.SUBMITTED, Case.Status.MERGED)
    return format_html(
        '<tr id="ledger-row-{}"{}>'
        '<td class="font-monospace text-nowrap d-none d-sm-table-cell">{}</td>'
        '<td><a href="{}">{}</a><div class="text-body-secondary">{}</div>'
        '<div class="text-body-secondary d-sm-none font-monospace">{}</div>{}</td>'
        '<td class="d-none d-lg-table-cell">{}</td>'
        "<td>{}</td>"
        '<td class="d-none d-md-table-cell">{}</td>'
        '<td class="d-none d-md-table-cell text-nowrap">{}</td>'
        '<td class="d-none d-lg-table-cell text-nowrap">{}</td></tr>',
        case.pk,
        mark_safe(' class="row-overdue"') if getattr(case, "overdue", False) else "",
        case.number,
        case_path(case.pk),
        case.title,
        case.enterprise.name,
        case.number,
        format_html('<div class="d-md-none">{}</div>', standing) if on_small else "",
        case.category.name,
        state_badge(case),
        case.lead_department.name if case.lead_department_id else NONE,
        standing,
        local_date(case.assigned_at).isoformat() if case.assigned_at else NONE,
    )
