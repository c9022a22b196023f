"""Small helpers for the analysis pages: the area's tabs, rates and changes as people read them."""

from __future__ import annotations

from django import template
from django.urls import reverse

from analysis.access import pages_for
from analysis.evaluation import points as evaluation_points
from web.middleware import request_actor

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
