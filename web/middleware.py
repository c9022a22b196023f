"""Who is asking: `request.actor`, computed at most once per request and only when used."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from cases.roles import Actor, actor_for
from cases.selectors import work_calendar
from cases.workdays import WorkCalendar


def request_actor(request) -> Actor:
    """request.actor, attaching it first when the middleware did not run (tests, odd entry points)."""
    if not hasattr(request, "actor"):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))
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
    navbar's calendar banner share it) — the reader's county's (every county's days for the city)."""
    if not hasattr(request, "_work_calendar"):
        actor = getattr(request, "actor", None)
        request._work_calendar = work_calendar(getattr(actor, "county_id", None))
    return request._work_calendar


class ActorMiddleware:
    """Sets request.actor (cases.roles.Actor) lazily; must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))
        return self.get_response(request)
