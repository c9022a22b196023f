"""Each case state in its own colour, the same everywhere: {% state_badge case %} writes the badge
with the class `state-<status>` (static/site/site.css holds the one mapping of states to
colours, and the charts read the same colours from it), and {% case_standing case %} writes what a
list shows beside the state — the running deadline of an open case (cases.deadlines decides which),
the reply or the outcome and close-out of a finished one, never a deadline that no longer runs.

A row annotated by cases.deadlines.with_overdue is marked overdue from that annotation: no
lateness is worked out here."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cases import deadlines
from cases.models import Case
from cases.workdays import local_date

register = template.Library()

OVERDUE = "overdue"
# The class of every state (and of "overdue"), for the stylesheet and its test.
STATE_CLASSES = [f"state-{value}" for value in Case.Status.values] + [f"state-{OVERDUE}"]


def _day(moment) -> str:
    return local_date(moment).isoformat() if moment else ""


@register.simple_tag
def state_badge(case) -> str:
    """The case's state as a coloured badge; a case marked overdue gets a second, red one."""
    badge = format_html(
        '<span class="badge state-badge state-{}">{}</span>', case.status, case.get_status_display()
    )
    if getattr(case, "overdue", False):
        badge += format_html(
            ' <span class="badge state-badge state-{}">{}</span>', OVERDUE, _("逾期")
        )
    return badge


@register.simple_tag
def case_standing(case) -> str:
    """期限或结果: the deadline an open case is measured on now, or how a finished one ended."""
    if case.status == Case.Status.CLOSED:
        outcome = case.get_outcome_display() or _("已销号")
        return format_html(
            '<span class="case-outcome">{}</span> <span class="text-body-secondary">{}</span>',
            outcome,
            _("%(day)s 销号") % {"day": _day(case.closed_at)},
        )
    if case.status == Case.Status.REPLIED:
        return format_html(
            '<span class="text-body-secondary">{}</span>',
            _("%(day)s 反馈") % {"day": _day(case.replied_at)},
        )
    if case.status in (Case.Status.ASSIGNED, Case.Status.IN_PROGRESS) and case.suspended_at:
        return format_html('<span class="text-body-secondary">{}</span>', _("挂起中"))
    deadline = deadlines.current_deadline(case)
    if deadline is None:
        return "—"
    return format_html(
        '<span class="case-deadline{}">{} {}</span>',
        " text-danger fw-semibold" if getattr(case, "overdue", False) else "",
        deadlines.DEADLINE_LABELS[deadline.kind],
        _day(deadline.due_at),
    )


@register.simple_tag
def lead_suggestion(suggestion, css: str = "") -> str:
    """The lead department suggested for a submitted case (cases.suggestions), or that there is
    none: on the triage's rows, the assign page and the case page's assign form."""
    inner = (
        format_html(
            '{}<strong>{}</strong> <span class="text-body-secondary">（{}）</span>',
            _("建议牵头："),
            suggestion.department.name,
            suggestion.reason,
        )
        if suggestion
        else format_html('<span class="text-body-secondary">{}</span>', _("暂无牵头部门建议"))
    )
    return format_html(
        '<div class="small lead-suggestion{}">{}</div>', f" {css}" if css else "", inner
    )
