"""Links between the pages of one part of the inbox, keeping the other parts where they are:

    {% load workspace_inbox %}
    <a href="{% section_page_url inbox.urgent 2 'urgent' %}">

gives /dept/?leading_page=3&urgent_page=2#urgent when the clerk was on the leading part's third
page; the fragment brings the part back into view.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from web.links import case_path
from web.templatetags.states import state_badge
from web.templatetags.web_dates import short_date

register = template.Library()


@register.simple_tag(takes_context=True)
def section_page_url(context, section, number: int, anchor: str) -> str:
    request = context["request"]
    query = request.GET.copy()
    if number == 1:
        query.pop(section.param, None)
    else:
        query[section.param] = number
    search = f"?{query.urlencode()}" if query else ""
    return f"{request.path}{search}#{anchor}"


def _badge(css: str, text) -> str:
    return format_html('<span class="badge {}">{}</span>', css, text)


def clock_text(clock) -> str:
    """One running deadline, in words (cases.deadlines.Clock): late by so many working days, due
    today, or so many left."""
    if clock.overdue:
        late = clock.working_days_late
        return format_html(
            '<span class="text-danger fw-bold clock-overdue">{}</span>',
            ngettext("逾期 %(counter)s 个工作日", "逾期 %(counter)s 个工作日", late)
            % {"counter": late}
            if late
            else _("已逾期"),
        )
    left = clock.working_days_left
    if left == 0:
        return format_html('<span class="text-danger fw-bold clock-today">{}</span>', _("今日到期"))
    return format_html(
        '<span class="{} clock-left">{}</span>',
        "text-warning-emphasis fw-semibold" if left <= 1 else "text-body",
        ngettext("剩 %(counter)s 个工作日", "剩 %(counter)s 个工作日", left) % {"counter": left},
    )


@register.simple_tag
def inbox_row(row) -> str:
    """One case of the department inbox (workspace.selectors.CaseRow), written here rather than
    by the template engine (issue 23: the inbox is four parts of such rows, and the engine's
    lookups and tags for each were most of the page's time; the markup is the same)."""
    case = row.case
    level = case.escalation_level
    badges = [state_badge(case)]
    if not row.lead and case.lead_department_id:
        badges.append(
            _badge(
                "text-bg-light border",
                _("牵头：%(name)s") % {"name": case.lead_department.name},
            )
        )
    if case.is_joint_main:
        badges.append(_badge("text-bg-info joint-badge", _("并案主办件")))
    elif case.is_joint_member:
        badges.append(_badge("text-bg-light border joint-badge", _("并案：在主办件上办理")))
    if row.suspended:
        badges.append(_badge("text-bg-info suspended", _("已挂起（计时暂停）")))
    if level is not None:
        colour = {0: "text-bg-warning", 3: "text-bg-dark"}.get(level, "text-bg-danger")
        flag = "⚑ " if case.listed_at and level == 3 else ""
        badges.append(
            _badge(f"escalation escalation-{level} {colour}", f"{flag}{case.escalation_label}")
        )
    if case.listed_at and level != 3:
        badges.append(_badge("text-bg-dark listed-badge", f"⚑ {_('已挂牌')}"))
    if row.progress and row.progress.due:
        days = row.progress.days_since
        badges.append(
            _badge(
                "text-bg-warning progress-due",
                ngettext("%(counter)s 个工作日未记录进展", "%(counter)s 个工作日未记录进展", days)
                % {"counter": days},
            )
        )
    if case.return_count:
        badges.append(
            _badge(
                "text-bg-light border",
                ngettext("退回 %(counter)s 次", "退回 %(counter)s 次", case.return_count)
                % {"counter": case.return_count},
            )
        )
    side = []
    if row.clock:
        side.append(
            format_html(
                '<div class="text-body-secondary">{}</div><div>{}</div><div>{}</div>',
                _("签收对接期限") if row.clock.is_contact else _("办结期限"),
                short_date(row.clock.due_at),
                clock_text(row.clock),
            )
        )
    elif case.status == Case.Status.REPLIED:
        side.append(
            format_html(
                '<div class="text-body-secondary">{}</div><div>{}</div>',
                _("反馈于"),
                short_date(case.replied_at),
            )
        )
    if row.progress and not row.progress.due:
        side.append(
            format_html(
                '<div class="text-body-secondary mt-1 last-progress">{}</div>',
                _("进展 %(when)s") % {"when": short_date(row.progress.last_at)}
                if row.progress.last_at
                else _("尚无进展记录"),
            )
        )
    return format_html(
        '<a href="{}" class="list-group-item list-group-item-action case-row{}"'
        ' data-case="{}">\n'
        '<div class="d-flex justify-content-between align-items-start gap-2">\n'
        '<div class="flex-grow-1" style="min-width: 0">\n'
        '<div class="small text-body-secondary"><span class="font-monospace">{}</span> · {}</div>\n'
        '<div class="fw-semibold text-break">{}</div>\n'
        '<div class="small d-flex flex-wrap gap-1 mt-1">\n{}\n</div>\n'
        "</div>\n"
        '<div class="text-end small text-nowrap">\n{}\n</div>\n'
        "</div>\n</a>",
        case_path(case.pk),
        " list-group-item-danger" if row.urgent else "",
        case.number,
        case.number,
        case.enterprise.name,
        case.title,
        mark_safe("\n".join(badges)),  # each written by format_html
        mark_safe("\n".join(side)),  # each written by format_html
    )
