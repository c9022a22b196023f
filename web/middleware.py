"""Who is asking: `request.actor`, computed at most once per request and only when used, and
remembered across requests until a role changes (web.remembered)."""

import dataclasses
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from cases.roles import Actor, actor_for
from cases.selectors import work_calendar
from cases.workdays import WorkCalendar
from web.remembered import CALENDAR, ROLES, remember


def remembered_actor(user) -> Actor:
    """actor_for(user), remembered per user (and superuser flag) until one of the rows it reads
    changes. Whether the user is active is the request's user's own, read each time."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return actor_for(user)
    held = remember(
        ROLES,
        f"{user.pk}:{int(user.is_superuser)}",
        lambda: dataclasses.replace(actor_for(user), user=None),
    )
    return dataclasses.replace(held, user=user)


def request_actor(request) -> Actor:
    """request.actor, attaching it first when the middleware did not run (tests, odd entry points)."""
    if not hasattr(request, "actor"):
        request.actor = SimpleLazyObject(lambda: remembered_actor(request.user))
    return request.actor


def request_actor_or_403(request, allowed: Callable[[Actor], object], refusal: str) -> Actor:
    """request_actor, for a page only some roles may open: anyone `allowed` does not pass gets
    the 403 page saying `refusal`."""
    actor = request_actor(request)
    if not allowed(actor):
        raise PermissionDenied(refusal)
    return actor


def request_calendar(request) -> WorkCalendar:
    """The working-day calendar, loaded at most once per request (the page, its tags and the
    navbar's calendar banner share it) — the reader's county's (every county's days for the city),
    remembered until the office changes an override."""
    if not hasattr(request, "_work_calendar"):
        actor = getattr(request, "actor", None)
        request._work_calendar = remembered_calendar(getattr(actor, "county_id", None))
    return request._work_calendar


def remembered_calendar(county_id: int | None) -> WorkCalendar:
    """work_calendar(county_id), remembered until the office changes an override (what a page or
    an API answer reads; a service that counts a deadline reads the table itself)."""
    return remember(CALENDAR, str(county_id), lambda: work_calendar(county_id))


class ActorMiddleware:
    """Sets request.actor (cases.roles.Actor) lazily; must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: remembered_actor(request.user))
        return self.get_response(request)
