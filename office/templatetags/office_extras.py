from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import deadlines
from web import dates
from web.links import case_path
from web.templatetags.states import lead_suggestion

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page") -> str:
    """The current URL's query string with one page parameter changed (filters are kept)."""
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"


@register.filter
def weekday(moment) -> str:
    """星期一 … 星期日 of a date or datetime (local): web.dates.weekday, which the 交办函 shares."""
    return dates.weekday(moment)


@register.simple_tag
def contact_working_days() -> int:
    return deadlines.contact_working_days()


register.filter("case_path", case_path)  # web.links: every list page's case links


@register.filter
def ladder_label(standing, case) -> str:
    """The level a case's deadline stands at, as the board says it: the top level of a case the
    office has not listed is a proposal, 建议挂牌 (cases.deadlines.level_label)."""
    if standing is None or standing.level is None:
        return ""
    return deadlines.level_label(standing.level, listed=case.listed_at is not None)


@register.simple_tag
def triage_row(case, suggestion, duplicates, assign_url) -> str:
    """One card of the triage's list, written here rather than by the template engine (issue 23:
    the page is twenty such cards, and the engine's lookups and tags for each were most of its
    time; the markup is the same). A duplicate's buttons post to the page's one merge or join form."""
    number, path = case.number, case_path(case.pk)
    about = [case.enterprise.name, case.category.name, case.get_source_display()]
    if case.enterprise.township_id:
        about.append(case.enterprise.township.name)
    if case.batch:
        about.append(case.batch)
    about.append(timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"))
    return format_html(
        '<div class="card shadow-sm case-row" id="case-{}" data-number="{}">\n'
        '<div class="card-body p-2 p-sm-3">\n'
        '<div class="d-flex gap-2 align-items-start">\n'
        '<input type="checkbox" class="form-check-input mt-1 flex-shrink-0" name="case" value="{}"'
        ' form="bulk" id="select-{}" aria-label="{}">\n'
        '<div class="flex-grow-1 min-w-0">\n'
        '<div class="d-flex flex-wrap gap-2 align-items-baseline">\n'
        '<a class="fw-semibold text-decoration-none" href="{}">{}</a>\n'
        '<span class="font-monospace small text-body-secondary">{}</span>\n{}'
        "</div>\n"
        '<div class="small text-body-secondary">\n{}\n</div>\n'
        "{}{}{}{}{}"
        "</div>\n"
        '<a class="btn btn-sm btn-primary flex-shrink-0" href="{}?case={}">{}</a>\n'
        "</div>\n</div>\n</div>",
        case.pk,
        number,
        case.pk,
        case.pk,
        _("选择 %(number)s") % {"number": number},
        path,
        case.title,
        number,
        format_html(
            '<span class="badge text-bg-warning">{}</span>\n',
            _("%(dept)s退回") % {"dept": case.returned_from.name},
        )
        if case.returned_from_id
        else "",
        " · ".join(about),
        format_html('<div class="small mt-1 text-truncate">{}</div>\n', case.description)
        if case.description
        else "",
        format_html(
            '<div class="small mt-1"><span class="text-warning-emphasis">{}</span>{}</div>\n',
            _("退回理由："),
            case.return_reason,
        )
        if case.return_reason
        else "",
        format_html("{}\n", lead_suggestion(suggestion, "mt-1 suggestion")),
        _joint_members(case.joint_members) if case.joint_members else "",
        _duplicates(case, duplicates) if duplicates else "",
        assign_url,
        case.pk,
        _("交办"),
    )


def _joint_members(members) -> str:
    count = len(members)
    return format_html(
        '<div class="mt-2 border-start border-info border-3 ps-2 joint-members">\n'
        '<div class="small fw-semibold text-info-emphasis">{}</div>\n{}\n</div>\n',
        ngettext(
            "并案办理：与另外 %(counter)s 家企业的同类问题一并交办",
            "并案办理：与另外 %(counter)s 家企业的同类问题一并交办",
            count,
        )
        % {"counter": count},
        format_html_join(
            "\n",
            '<div class="d-flex flex-wrap gap-2 align-items-center small py-1 joint-member">\n'
            '<a href="{}" class="text-decoration-none"><span class="font-monospace">{}</span> {}</a>\n'
            '<span class="text-body-secondary">{}</span>\n'
            '<button type="submit" form="join" formaction="{}"'
            ' class="btn btn-outline-secondary btn-sm py-0">{}</button>\n'
            "</div>",
            (
                (
                    case_path(member.pk),
                    member.number,
                    member.title,
                    member.enterprise.name,
                    reverse("office:leave_joint", args=[member.pk]),
                    _("退出并案"),
                )
                for member in members
            ),
        ),
    )


def _duplicates(case, duplicates) -> str:
    merge_url = reverse("office:merge", args=[case.pk])
    join_url = reverse("office:join", args=[case.pk])

    def button(duplicate) -> str:
        other = duplicate.case.number
        if duplicate.same_enterprise:
            return format_html(
                '<button type="submit" form="merge" formaction="{}" name="into" value="{}"'
                ' class="btn btn-outline-warning btn-sm py-0">\n{}\n</button>\n',
                merge_url,
                duplicate.case.pk,
                _("合并到 %(number)s") % {"number": other},
            )
        if duplicate.joinable and not case.joint_group_id:
            return format_html(
                '<button type="submit" form="join" formaction="{}" name="into" value="{}"'
                ' class="btn btn-outline-info btn-sm py-0" title="{}">\n{}\n</button>\n',
                join_url,
                duplicate.case.pk,
                _("同一问题由一个牵头部门一并办理，各企业分别答复、分别评价"),
                _("与 %(number)s 并案办理") % {"number": other},
            )
        return ""

    return format_html(
        '<div class="mt-2 border-start border-warning border-3 ps-2 duplicates">\n'
        '<div class="small fw-semibold text-warning-emphasis">{}</div>\n{}\n</div>\n',
        _("可能重复："),
        format_html_join(
            "\n",
            '<div class="d-flex flex-wrap gap-2 align-items-center small py-1 duplicate">\n'
            '<a href="{}" class="text-decoration-none">'
            '<span class="font-monospace">{}</span> {}</a>\n'
            '<span class="text-body-secondary">{} · {}</span>\n{}'
            "</div>",
            (
                (
                    case_path(d.case.pk),
                    d.case.number,
                    d.case.title,
                    _("同一企业") if d.same_enterprise else d.case.enterprise.name,
                    d.case.get_status_display(),
                    button(d),
                )
                for d in duplicates
            ),
        ),
    )
