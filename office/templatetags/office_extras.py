import datetime as dt

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page") -> str:
    """The current URL's query string with one page parameter changed (filters are kept)."""
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"


@register.filter
def weekday(moment) -> str:
    """星期一 … 星期日 of a date or datetime (local)."""
    names = [
        _("星期一"),
        _("星期二"),
        _("星期三"),
        _("星期四"),
        _("星期五"),
        _("星期六"),
        _("星期日"),
    ]
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment)
    return names[moment.weekday()]


@register.simple_tag
def contact_working_days() -> int:
    return settings.CONTACT_DEADLINE_WORKING_DAYS
