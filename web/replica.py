"""Reading from a PostgreSQL streaming replica (`DATABASE_REPLICA_URL`): which reads may go there.

One rule, in this module. Writes always go to the primary (`default`). Reads go to the replica
(`replica`) only inside an explicitly replica-eligible scope:

- a GET or HEAD request to one of the routes in `REPLICA_ROUTES` (the analysis pages and their
  downloads) or to an API list (`api:<name>-list`), set up by `ReplicaMiddleware`;
- a block of code under `replica_reads()` (the Excel export job in the worker).

Everything else reads the primary, and so do the tables sign-in depends on (`PRIMARY_ONLY_APPS`):
a replica a moment behind must never sign anybody out; and so does what is remembered across
requests (`primary_reads()`, for web.remembered: a replica a moment behind would store an old
answer under a new token). A user reads what they just wrote: a request
that writes ends its replica scope at once (the rest of it reads the primary) and pins that browser
to the primary for `DATABASE_REPLICA_PIN_SECONDS` with a cookie. A replica that cannot be reached
is left alone for `RETRY_SECONDS` (the primary answers, and the log says so).

Without a `replica` database (no `DATABASE_REPLICA_URL`: the embedded SQLite mode, or a single
PostgreSQL) the router and the middleware change nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "primary_pin"
# Sign-in and its lockout: always read where they were written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "authtoken", "axes", "admin", "contenttypes"})
# Replica-eligible pages (GET/HEAD): the analysis pages and the files they write on the spot.
# Not the export job's own pages (the worker updates the job; its owner must see that at once),
# nor the rules and import pages, which edit.
REPLICA_ROUTES = frozenset(
    {
        "analysis:dashboard",
        "analysis:evaluation",
        "analysis:evaluation_export",
        "analysis:teams",
        "analysis:painpoints",
        "analysis:painpoints_export",
        "analysis:report",
        "analysis:report_word",
        "analysis:bulletin",
        "analysis:bulletin_word",
        "analysis:ledger",
        "analysis:ledger_export",
        "analysis:register_export",
        # The city's read pages (its forms post to routes of their own, never routed here).
        "analysis:city",
        "analysis:city_compare",
        "analysis:city_escalations",
        "api:stats-departments",
    }
)
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class _Scope:
    replica: bool = False  # reads may go to the replica now
    follow_writes: bool = True  # a write ends `replica` (a request reads what it wrote)
    wrote: bool = False  # this scope wrote something a user would read back


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "replica_scope", default=None
)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_eligible(request) -> bool:
    """Whether this request's reads may be served by the replica (before pinning)."""
    match = request.resolver_match
    if request.method not in READ_METHODS or match is None:
        return False
    name = match.view_name
    return name in REPLICA_ROUTES or (match.namespace == "api" and name.endswith("-list"))


def pin_seconds() -> int:
    return settings.DATABASE_REPLICA_PIN_SECONDS


def _pinned(request) -> bool:
    try:
        written_at = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return time.time() - written_at < pin_seconds()


# After a failed connection the replica is left alone this long (monotonic seconds), so the pages
# pay the connection timeout once, not on every request while it is down.
RETRY_SECONDS = 30
_down_until = 0.0


def _replica_reachable() -> bool:
    global _down_until
    if time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()  # a kept connection the replica dropped
        connection.ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "the replica database cannot be reached: reading the primary for %s s",
            RETRY_SECONDS,
            exc_info=True,
        )
        return False
    return True


@contextlib.contextmanager
def replica_reads():
    """Reads inside the block may go to the replica, writes in it or not (a worker's job whose
    reads do not depend on what it writes, like the Excel export)."""
    token = _scope.set(
        _Scope(replica=replica_configured() and _replica_reachable(), follow_writes=False)
    )
    try:
        yield
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def primary_reads():
    """Reads inside the block go to the primary, whatever the scope around it allows (what is
    remembered across requests must not be a moment behind: web.remembered)."""
    scope = _scope.get()
    if scope is None or not scope.replica:
        yield
        return
    scope.replica = False
    try:
        yield
    finally:
        scope.replica = not scope.wrote or not scope.follow_writes


def serving_alias(scope: _Scope | None = None) -> str:
    """Which database this context's reads go to now."""
    scope = scope or _scope.get()
    return REPLICA if scope is not None and scope.replica else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django's database router (`DATABASE_ROUTERS`): the replica for eligible reads, the primary
    for every write; the replica is never migrated."""

    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if scope is None or not scope.replica or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            scope.wrote = True
            if scope.follow_writes:
                scope.replica = False
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


class ReplicaMiddleware:
    """Opens the request's scope: replica reads for an eligible request not pinned to the primary;
    sets the pin cookie after a request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        scope = _Scope()
        token = _scope.set(scope)
        try:
            response = self.get_response(request)
        finally:
            _scope.reset(token)
        if scope.wrote:
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time():.3f}",
                max_age=pin_seconds(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        scope = _scope.get()
        if scope is not None and replica_eligible(request) and not _pinned(request):
            scope.replica = _replica_reachable()
        return None
