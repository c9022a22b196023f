from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

from cases import deadlines
from web import dates

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


_ANY_ID = 987654321


@register.filter
def case_path(pk) -> str:
    """reverse("case_detail", args=[pk]) for the many links of a list page: reverse() costs about
    60 µs, and the inbox links 150 cases, so the path is reversed once and the id put in."""
    before, after = _case_path_around_id(get_script_prefix(), get_urlconf())
    return f"{before}{int(pk)}{after}"


@lru_cache(maxsize=16)
def _case_path_around_id(_prefix: str, _urlconf) -> tuple[str, str]:
    # Keyed by what reverse() depends on: the script prefix and the request's URLconf.
    before, _id, after = reverse("case_detail", args=[_ANY_ID]).partition(str(_ANY_ID))
    return before, after


@register.filter
def ladder_label(standing, case) -> str:
    """The level a case's deadline stands at, as the board says it: the top level of a case the
    office has not listed is a proposal, 建议挂牌 (cases.deadlines.level_label)."""
    if standing is None or standing.level is None:
        return ""
    return deadlines.level_label(standing.level, listed=case.listed_at is not None)
