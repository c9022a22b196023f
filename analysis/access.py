"""Who may open which analysis page. What each page counts is the selectors' answer
(cases_visible_to and friends), never a filter by role written here."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cases.roles import LEADER, LEADERSHIP, Actor
from web.middleware import request_actor


def sees_overview(actor: Actor) -> bool:
    """The dashboard, pain points and ledger: the office and the county's leadership (their
    county), the city's office (its counties) and county leaders (their task forces' share)."""
    return actor.sees_county or actor.reads_city or actor.has_role(LEADER)


def _requiring(test):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not test(request_actor(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def sees_reports(actor: Actor) -> bool:
    """The 月报/季报, as a page and as a Word file: the office, which issues it, and the county's
    leadership, which reads it. (The 工作简报 the office writes and issues: office only.)"""
    return actor.sees_county


def reads_ranking(actor: Actor) -> bool:
    """The evaluation's ranking (部门考核): the office, which scores it, the task forces' leaders
    and the county's leadership, who read it. It is the county's ranking, whoever reads it."""
    return actor.is_office or actor.has_role(LEADER) or actor.has_role(LEADERSHIP)


overview_required = _requiring(sees_overview)
city_required = _requiring(lambda actor: actor.reads_city)
city_department_required = _requiring(lambda actor: actor.city_department_id is not None)
ranking_required = _requiring(reads_ranking)
office_required = _requiring(lambda actor: actor.is_office)
# The county's own figures (the task forces and cadres, the evaluation's workbook): the office,
# which keeps them, and the county's leadership, which reads them.
county_required = _requiring(lambda actor: actor.sees_county)
reports_required = _requiring(sees_reports)


def ledger_title(actor: Actor) -> str:
    """问题总台账 for the office (its home page) and the county's leadership, who see every case;
    问题台账 for a leader, who sees the share of their task forces."""
    return _("问题总台账") if actor.sees_county or actor.reads_city else _("问题台账")


def pages_for(actor: Actor) -> list[tuple[str, str]]:
    """The analysis area's own tabs the actor may open: (url name, label)."""
    tabs = []
    if actor.reads_city:
        tabs.append(("analysis:city", _("各县（区）")))
    if sees_overview(actor):
        tabs += [
            ("analysis:dashboard", _("总览")),
            ("analysis:painpoints", _("症结痛点")),
            ("analysis:ledger", ledger_title(actor)),
        ]
    if reads_ranking(actor) and not actor.is_office:
        tabs.append(("analysis:evaluation", _("部门考核")))
    if sees_reports(actor) and not actor.is_office:
        tabs.append(("analysis:report", _("月报/季报")))
    if actor.sees_county and not actor.is_office:
        tabs.append(("analysis:teams", _("专班与干部")))
    if actor.is_office:
        tabs += [
            ("analysis:evaluation", _("部门考核")),
            ("analysis:rules", _("考核规则")),
            ("analysis:teams", _("专班与干部")),
            ("analysis:report", _("月报/季报")),
            ("analysis:bulletin", _("工作简报")),
            ("analysis:import", _("导入")),
        ]
    return tabs
