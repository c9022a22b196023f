"""What every page reads and seldom changes — who the reader is, their county's calendar, the
office's estimate banner — remembered in the cache until it changes.

Each family of remembered reads has a token in the cache. An entry is stored beside the token it
was computed under and is good only while that token stands: whatever changes what a family reads
replaces its token (`forget`) — at once, and again when the transaction commits. So a reader
never keeps an answer computed before a change it could see: a page that read the old rows under
the old token stored them under the old token. An entry is not stored from inside a transaction
(its rows might never be committed), nor from the replica (it may be a moment behind the token):
those reads are computed and used, not remembered. One `get_many` per read (the token and the
entry together); a cache that does not answer (Redis down) remembers nothing and every read is
computed, as before.

The families and what replaces their tokens (`connect`, at start-up): ROLES — every row
`cases.roles.actor_for` reads (department staff and their departments, the county's leadership,
the city's office and departments, enterprise contacts and enterprises, task forces and their
members, counties and cities); CALENDAR — the office's calendar overrides. Every entry also
expires (`TIMEOUT`): a write that bypasses the models' signals (a queryset's update, a bulk
insert, a migration) is seen within that time at worst. (The one bulk insert of roles, a task
force's members, follows the save of its task force, which replaces the token.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from web.replica import primary_reads

T = TypeVar("T")

ROLES, CALENDAR = "roles", "calendar"
TIMEOUT = 300  # seconds: the longest an entry lives, whatever its token
_MISSING = object()


def _token_key(family: str) -> str:
    return f"remembered:{family}:token"


def _entry_key(family: str, key: str) -> str:
    return f"remembered:{family}:{key}"


def _in_transaction() -> bool:
    """Inside a transaction of the code's own (a test's enclosing one does not count: its rows
    are what the test's requests see, and every write in it replaces the tokens at once)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def remember(family: str, key: str, compute: Callable[[], T], timeout: int = TIMEOUT) -> T:
    """The family's entry for `key`, computed (from the primary) and stored for at most `timeout`
    seconds when the cache holds none under the family's current token."""
    token_key, entry_key = _token_key(family), _entry_key(family, key)
    held = cache.get_many([token_key, entry_key])
    token = held.get(token_key)
    entry = held.get(entry_key, _MISSING)
    if token is not None and entry is not _MISSING and entry[0] == token:
        return entry[1]
    if token is None:
        cache.add(token_key, uuid.uuid4().hex, timeout=None)
        token = cache.get(token_key)
    with primary_reads():
        value = compute()
    if token is not None and not _in_transaction():
        cache.set(entry_key, (token, value), timeout)
    return value


def forget(family: str) -> None:
    """Every entry of the family is stale: a new token now, and another once the transaction
    commits (a page that read the rows between the two stored them under the first)."""

    def replace() -> None:
        cache.set(_token_key(family), uuid.uuid4().hex, timeout=None)

    replace()
    transaction.on_commit(replace)


def _forgets(family: str, fields: frozenset[str] | None, on_create: bool) -> Callable[..., None]:
    """A receiver of saves and deletes: forget the family, unless a save wrote only fields the
    family does not read (an enterprise's industry does not change anyone's role), or created a
    row nobody is linked to yet (a new enterprise or department: its contacts and staff come
    after it, and forget then)."""

    def receiver(update_fields=None, created=False, **_kwargs) -> None:
        if created and not on_create:
            return
        if fields is not None and update_fields is not None and not fields & set(update_fields):
            return
        forget(family)

    receiver.__name__ = f"forget_{family}"
    return receiver


def connect() -> None:
    """Replace each family's token whenever one of the rows it reads is saved or deleted."""
    from cases.models import CalendarOverride
    from counties.models import City, CityDepartment, CityDepartmentStaff, CityOfficeMember, County
    from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
    from taskforces.models import CountyLeader, TaskForce, TaskForceMember

    # (family, model, the fields of it the family reads — None: every field —, whether a new row
    # changes what the family reads). A user's own row is not among them: the entry is per user
    # and superuser flag, and whether the user is active is read from the request's user each time.
    everyone = None
    readers = [
        (ROLES, DepartmentStaff, everyone, True),
        (ROLES, Department, {"name", "kind", "county", "county_id"}, False),
        (ROLES, CountyLeader, everyone, True),
        (ROLES, CityOfficeMember, everyone, True),
        (ROLES, CityDepartmentStaff, everyone, True),
        (ROLES, CityDepartment, {"name", "city", "city_id"}, False),
        (ROLES, EnterpriseContact, everyone, True),
        (ROLES, Enterprise, {"name", "county", "county_id"}, False),
        # A new task force forgets: its members are inserted in bulk after it (cases.taskforces).
        (ROLES, TaskForce, {"name", "active", "county", "county_id"}, True),
        (ROLES, TaskForceMember, everyone, True),
        (ROLES, County, {"name"}, False),
        (ROLES, City, {"name"}, False),
        (CALENDAR, CalendarOverride, everyone, True),
    ]
    for family, model, fields, on_create in readers:
        receiver = _forgets(family, frozenset(fields) if fields is not None else None, on_create)
        _receivers.append(receiver)  # signals hold receivers weakly
        for signal in (post_save, post_delete):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"remembered:{family}:{model._meta.label}:{signal is post_save}",
            )


_receivers: list[Callable[..., None]] = []
