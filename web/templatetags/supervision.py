"""督办单 in lists, for the office's pages, the department's and the case page alike:
{{ notice|notice_number }} prints its 文号; {% notice_badge notice %} says whether it is answered,
overdue (the reply-by day passed without an answer) or still waiting."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cases import supervision_notices as notices
from cases.models import SupervisionNotice

register = template.Library()


@register.filter
def notice_number(notice: SupervisionNotice) -> str:
    return notices.notice_number(notice)


@register.simple_tag
def notice_badge(notice: SupervisionNotice) -> str:
    state = notices.notice_state(notice)
    label, style = {
        notices.ANSWERED: (_("已回复"), "text-bg-success"),
        notices.OVERDUE: (_("逾期未回复"), "text-bg-danger"),
        notices.WAITING: (_("待回复"), "text-bg-warning"),
    }[state]
    return format_html(
        '<span class="badge {} notice-state" data-state="{}">{}</span>', style, state, label
    )
