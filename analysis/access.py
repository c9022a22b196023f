"""Who may open which analysis page. What each page counts is the selectors' answer
(cases_visible_to and friends), never a filter by role written here."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cases.roles import LEADER, Actor
from web.middleware import request_actor


def sees_overview(actor: Actor) -> bool:
    """The dashboard, pain points and ledger: the office (everything) and county leaders (their
    task forces' share)."""
    return actor.is_office or actor.has_role(LEADER)


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


overview_required = _requiring(sees_overview)
office_required = _requiring(lambda actor: actor.is_office)


def ledger_title(actor: Actor) -> str:
    """问题总台账 for the office, which sees every case (it is the office's home page); 问题台账
    for a leader, who sees the share of their task forces."""
    return _("问题总台账") if actor.is_office else _("问题台账")


def pages_for(actor: Actor) -> list[tuple[str, str]]:
    """The analysis area's own tabs the actor may open: (url name, label)."""
    tabs = []
    if sees_overview(actor):
        tabs += [
            ("analysis:dashboard", _("总览")),
            ("analysis:painpoints", _("症结痛点")),
            ("analysis:ledger", ledger_title(actor)),
        ]
    if actor.is_office:
        tabs += [
            ("analysis:evaluation", _("部门考核")),
            ("analysis:teams", _("专班与干部")),
            ("analysis:report", _("月报/季报")),
            ("analysis:import", _("导入")),
        ]
    return tabs
