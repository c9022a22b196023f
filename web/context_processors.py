from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from cases.roles import CADRE, DEPARTMENT, ENTERPRISE, LEADER, OFFICE
from cases.selectors import work_calendar
from web.middleware import request_actor

ROLE_LABELS = {
    OFFICE: _("县委办"),
    LEADER: _("县领导"),
    DEPARTMENT: _("部门"),
    CADRE: _("结对干部"),
    ENTERPRISE: _("企业"),
}


def roles_and_calendar(request):
    """The signed-in user's roles for the navbar, and for the office the years whose holiday
    schedule nobody has entered (deadlines there fall back to Monday–Friday, DESIGN §5)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = request_actor(request)
    return {
        "actor": actor,
        "role_labels": SimpleLazyObject(lambda: [ROLE_LABELS[r] for r in actor.roles]),
        "calendar_unknown_years": SimpleLazyObject(lambda: _unknown_years(request, actor)),
    }


def _unknown_years(request, actor) -> list[int]:
    if not actor.has_role(OFFICE):
        return []
    if not hasattr(request, "_calendar_unknown_years"):
        this_year = timezone.localdate().year
        request._calendar_unknown_years = work_calendar().unknown_years([this_year, this_year + 1])
    return request._calendar_unknown_years
