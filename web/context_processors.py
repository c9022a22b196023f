from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from cases.calendar import estimated_deadline_count
from cases.models import Case
from cases.roles import CADRE, DEPARTMENT, ENTERPRISE, LEADER, OFFICE
from web.middleware import request_actor, request_calendar

ROLE_LABELS = {
    OFFICE: _("县委办"),
    LEADER: _("县领导"),
    DEPARTMENT: _("部门"),
    CADRE: _("结对干部"),
    ENTERPRISE: _("企业"),
}


# The navigation of each role: (url name, label). A page not built yet (no url) is left out.
NAV = [
    (OFFICE, "office:triage", _("交办")),
    (OFFICE, "office:board", _("督办")),
    (OFFICE, "office:decisions", _("审批")),
    (OFFICE, "office:closeout", _("销号")),
    (OFFICE, "office:meetings", _("会议")),
    (OFFICE, "taskforces:manage", _("专班")),
    (OFFICE, "taskforces:coverage", _("专班覆盖")),
    (OFFICE, "taskforces:people", _("人员")),
    (LEADER, "taskforces:mine", _("我的专班")),
    (CADRE, "taskforces:mine", _("我的专班")),
    (LEADER, "taskforces:review", _("逐个研究")),
    (DEPARTMENT, "workspace:inbox", _("部门待办")),
    (CADRE, "fieldwork:enterprises", _("我的企业")),
    (CADRE, "fieldwork:visit_new", _("登记走访")),
    (ENTERPRISE, "portal:cases", _("我的诉求")),
    (ENTERPRISE, "portal:raise", _("反映问题")),
    (OFFICE, "portal:accounts", _("企业账号")),
    (CADRE, "portal:accounts", _("企业账号")),
    (OFFICE, "analysis:dashboard", _("分析")),
    (LEADER, "analysis:dashboard", _("分析")),
    (OFFICE, "analysis:evaluation", _("考核")),
    (OFFICE, "analysis:painpoints", _("痛点")),
    (LEADER, "analysis:painpoints", _("痛点")),
    (None, "notifications", _("消息")),
]


def _nav_links(actor) -> list[tuple[str, str, int]]:
    """(url, label, badge): the inbox link carries the number of unread messages."""
    links, seen = [], set()
    for role, name, label in NAV:
        if name in seen or (role is not None and not actor.has_role(role)):
            continue
        try:
            badge = _unread(actor.user) if name == "notifications" else 0
            links.append((reverse(name), label, badge))
        except NoReverseMatch:
            continue
        seen.add(name)
    return links


def roles_and_calendar(request):
    """The signed-in user's roles for the navbar, and for the office the years whose holiday
    schedule is still the statutory estimate (DESIGN §5)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = request_actor(request)
    return {
        "actor": actor,
        "is_enterprise_only": SimpleLazyObject(lambda: actor.roles == [ENTERPRISE]),
        "role_labels": SimpleLazyObject(lambda: [ROLE_LABELS[r] for r in actor.roles]),
        "nav_links": SimpleLazyObject(lambda: _nav_links(actor)),
        "calendar_estimate": SimpleLazyObject(lambda: _calendar_estimate(request, actor)),
    }


def _calendar_estimate(request, actor) -> dict:
    """For the office, while this year's or next year's schedule is the statutory estimate: those
    years, and how many open deadlines rest on the estimate (they move once it is entered)."""
    if not actor.has_role(OFFICE):
        return {}
    if not hasattr(request, "_calendar_estimate"):
        calendar = request_calendar(request)
        this_year = timezone.localdate().year
        years = calendar.estimated_years([this_year, this_year + 1])
        request._calendar_estimate = (
            {"years": years, "deadlines": estimated_deadline_count(Case.objects.all(), calendar)}
            if years
            else {}
        )
    return request._calendar_estimate


def _unread(user) -> int:
    from notifications.inbox import notifications_for

    return notifications_for(user, unread_only=True).count()
