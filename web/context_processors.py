import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.calendar import estimated_deadline_count
from cases.models import Case
from cases.roles import (
    CADRE,
    CITY,
    CITY_DEPARTMENT,
    DEPARTMENT,
    ENTERPRISE,
    LEADER,
    LEADERSHIP,
    OFFICE,
)
from cases.selectors import county_scope
from web.middleware import request_actor, request_calendar
from web.remembered import CALENDAR, remember

# How long the estimate banner's count may lag the cases (it counts a county's open deadlines on
# every office page; the years it names are the calendar's own, read each time).
ESTIMATE_COUNT_SECONDS = 60

ROLE_LABELS = {
    OFFICE: _("县委办"),
    LEADERSHIP: _("县领导班子"),
    LEADER: _("县领导"),
    DEPARTMENT: _("部门"),
    CADRE: _("结对干部"),
    ENTERPRISE: _("企业"),
    CITY: _("市委办"),
    CITY_DEPARTMENT: _("市直部门"),
}


# The navigation of each role: (url name, label). A page not built yet (no url) is left out.
NAV = [
    # The city's office reads its counties: side by side first (its home), then the figures.
    (CITY, "analysis:city", _("各县（区）")),
    (CITY, "analysis:dashboard", _("分析")),
    (CITY, "analysis:ledger", pgettext_lazy("nav", "问题总台账")),
    (CITY, "analysis:painpoints", _("痛点")),
    (CITY, "analysis:city_compare", _("各县对比")),
    (CITY, "analysis:city_escalations", _("上报市级")),
    (CITY_DEPARTMENT, "analysis:city_department_inbox", _("市级待办")),
    (OFFICE, "analysis:ledger", pgettext_lazy("nav", "问题总台账")),
    # The county's leadership reads: the dashboard first (its home), the ledger, the figures.
    (LEADERSHIP, "analysis:dashboard", _("分析")),
    (LEADERSHIP, "analysis:ledger", pgettext_lazy("nav", "问题总台账")),
    (LEADERSHIP, "analysis:evaluation", _("考核")),
    (LEADERSHIP, "analysis:painpoints", _("痛点")),
    (LEADERSHIP, "analysis:report", _("月报/季报")),
    (OFFICE, "office:triage", _("交办")),
    (OFFICE, "office:board", _("督办")),
    (OFFICE, "office:supervision_notices", _("督办单")),
    (OFFICE, "office:decisions", _("审核")),
    (OFFICE, "office:closeout", _("销号")),
    (OFFICE, "office:meetings", _("会议")),
    (OFFICE, "taskforces:manage", _("专班")),
    (OFFICE, "taskforces:coverage", _("专班覆盖")),
    (OFFICE, "taskforces:people", _("人员")),
    (LEADER, "taskforces:mine", _("我的专班")),
    (CADRE, "taskforces:mine", _("我的专班")),
    (LEADER, "taskforces:review", _("逐个研究")),
    (LEADER, "analysis:ledger", pgettext_lazy("nav", "问题台账")),
    (DEPARTMENT, "workspace:inbox", _("部门待办")),
    (DEPARTMENT, "workspace:letters", _("交办函")),
    (DEPARTMENT, "case_list", _("全部问题")),
    (CADRE, "fieldwork:enterprises", _("我的企业")),
    (CADRE, "fieldwork:visit_new", _("登记走访")),
    (CADRE, "case_list", _("全部问题")),
    (ENTERPRISE, "portal:cases", _("我的诉求")),
    (ENTERPRISE, "portal:raise", _("反映问题")),
    (OFFICE, "portal:accounts", pgettext_lazy("nav", "企业账号")),
    (CADRE, "portal:accounts", pgettext_lazy("nav", "企业账号")),
    (OFFICE, "analysis:dashboard", _("分析")),
    (LEADER, "analysis:dashboard", _("分析")),
    (OFFICE, "analysis:evaluation", _("考核")),
    (LEADER, "analysis:evaluation", _("考核")),
    (OFFICE, "office:bulletins", _("奖惩")),
    (OFFICE, "analysis:painpoints", _("痛点")),
    (LEADER, "analysis:painpoints", _("痛点")),
    (OFFICE, "office:integrations", _("集成设置")),
    (OFFICE, "office:failed_deliveries", _("发送失败")),
    (None, "notifications", _("消息")),
]


# The office's pages, and the leader's, are many: so the navbar stays one line from a laptop to a
# wide screen, the pages of one kind share a dropdown. A group a role sees only one page of is
# shown as that page's plain link.
NAV_GROUPS = {
    "office:triage": _("办理"),
    "office:board": _("办理"),
    "office:supervision_notices": _("办理"),
    "office:decisions": _("办理"),
    "office:closeout": _("办理"),
    "office:meetings": pgettext_lazy("nav", "会议与专班"),
    "taskforces:manage": pgettext_lazy("nav", "会议与专班"),
    "taskforces:coverage": pgettext_lazy("nav", "会议与专班"),
    "taskforces:people": pgettext_lazy("nav", "会议与专班"),
    "analysis:dashboard": _("分析"),
    "analysis:evaluation": _("分析"),
    "office:bulletins": _("分析"),
    "analysis:painpoints": _("分析"),
    "analysis:report": _("分析"),
    # The vendors' settings and the deliveries they refused: the office's running of the outbox.
    "office:failed_deliveries": _("办理"),
    "office:integrations": _("办理"),
}


@functools.lru_cache(maxsize=512)
def _reverse(name: str, prefix: str, urlconf: str) -> str | None:
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _url(name: str) -> str | None:
    """The navigation's url of a page (None for a page not built): reversed once per process, as
    the url patterns and the script prefix it depends on do not change while it runs."""
    return _reverse(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def _nav_menu(request, links) -> list[dict]:
    """The navbar's items in order: {"url", "label", "badge"} for a link, {"label", "links",
    "active"} for a dropdown group (placed where its first page would be)."""
    group_of = {}
    for name, group in NAV_GROUPS.items():
        if (url := _url(name)) is not None:
            # Translated once here: a lazy label as a dict key is translated at every lookup.
            group_of[url] = str(group)
    counts = {}
    for url, _label, _badge in links:
        if url in group_of:
            counts[group_of[url]] = counts.get(group_of[url], 0) + 1
    menu, groups = [], {}
    for url, label, badge in links:
        link = {"url": url, "label": label, "badge": badge, "active": request.path == url}
        group = group_of.get(url)
        if group is None or counts[group] < 2:
            menu.append(link)
        elif group in groups:
            groups[group]["links"].append(link)
            groups[group]["active"] |= link["active"]
        else:
            groups[group] = {"label": group, "links": [link], "active": link["active"]}
            menu.append(groups[group])
    return menu


def _nav_links(actor) -> list[tuple[str, str, int]]:
    """(url, label, badge): the inbox link carries the number of unread messages."""
    links, seen = [], set()
    for role, name, label in NAV:
        if name in seen or (role is not None and not actor.has_role(role)):
            continue
        if (url := _url(name)) is None:
            continue
        links.append((url, label, _unread(actor.user) if name == "notifications" else 0))
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
        "nav_menu": SimpleLazyObject(lambda: _nav_menu(request, _nav_links(actor))),
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
            {
                "years": years,
                # The office's own county's deadlines (its calendar, its cases), remembered a
                # minute — and no longer than the calendar stands.
                "deadlines": remember(
                    CALENDAR,
                    f"estimated-deadlines:{actor.county_id}:{','.join(map(str, years))}",
                    lambda: estimated_deadline_count(
                        Case.objects.filter(county_scope(actor)), calendar
                    ),
                    timeout=ESTIMATE_COUNT_SECONDS,
                ),
            }
            if years
            else {}
        )
    return request._calendar_estimate


def _unread(user) -> int:
    from notifications.inbox import notifications_for

    return notifications_for(user, unread_only=True).count()


def county(request):
    """The county's name, for every letterhead (交办函, the monthly/quarterly report)."""
    # The reader's county (their city, for the city's office); COUNTY_NAME for anyone else.
    actor = getattr(request, "actor", None)
    return {"COUNTY_NAME": actor.letterhead_place if actor is not None else settings.COUNTY_NAME}
