"""An enterprise's phone book, and the task-force people paired with it: whom a department calls
about a case (the 3-working-day rule measures that call), and who already knows the enterprise.

The phone book joins three sources: the contact registered with the enterprise (its 联系人 and
联系电话), its contacts with a login (EnterpriseContact), and the people without one
(ContactPerson, a 对接人 typed in on acceptance joins them). The same name from two sources is one
entry with both numbers, a mobile first. Each list costs one query; the case page's card and its
acceptance form read the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import CharField, Value

from enterprises.models import ContactPerson, Enterprise, EnterpriseContact
from enterprises.validators import is_mainland_mobile, normalize_mobile
from taskforces.models import TaskForceEnterprise, TaskForceMember

REGISTERED = "r"
NEW = "new"


@dataclass(frozen=True)
class Phone:
    number: str

    @property
    def href(self) -> str:
        return "tel:" + re.sub(r"[^\d+]", "", self.number)

    @property
    def is_mobile(self) -> bool:
        return is_mainland_mobile(self.number)


@dataclass(frozen=True)
class Contact:
    """One person of the phone book; key names them in the acceptance form ("r", "a12", "p7")."""

    key: str
    name: str
    position: str = ""
    phones: tuple[Phone, ...] = ()
    has_login: bool = False

    @property
    def phone(self) -> str:
        """The number to call first: a mobile if there is one."""
        return self.phones[0].number if self.phones else ""

    @property
    def label(self) -> str:
        parts = [self.name]
        if self.position:
            parts.append(self.position)
        if self.phone:
            parts.append(self.phone)
        return " · ".join(parts)


def _full_name(first: str, last: str, username: str) -> str:
    return f"{first or ''} {last or ''}".strip() or username or ""


def phone_book(enterprise: Enterprise) -> list[Contact]:
    """The enterprise's contacts, registered contact first, in one query (read once per instance)."""
    cached = enterprise.__dict__.get("_phone_book")
    if cached is not None:
        return cached
    text = CharField()
    logins = EnterpriseContact.objects.filter(
        enterprise_id=enterprise.pk, user__is_active=True
    ).values_list(
        Value("a", output_field=text),
        "pk",
        "user__first_name",
        "user__last_name",
        "user__username",
        "position",
        "phone",
    )
    people = ContactPerson.objects.filter(enterprise_id=enterprise.pk).values_list(
        Value("p", output_field=text),
        "pk",
        "name",
        Value("", output_field=text),
        Value("", output_field=text),
        "position",
        "mobile",
    )
    # No ORDER BY inside a compound statement (SQLite refuses it; the models' default ordering
    # would put one there): the rows are sorted here.
    union = logins.order_by().union(people.order_by(), all=True)
    rows = sorted(union, key=lambda row: (row[0], row[1]))
    found: list[tuple[str, str, str, str, bool]] = []
    if enterprise.contact_name.strip():
        found.append(
            (REGISTERED, enterprise.contact_name.strip(), "", enterprise.contact_phone, False)
        )
    # A login's name is its user's; a person's is in the first column.
    for source, pk, first, last, username, position, phone in rows:
        login = source == "a"
        name = _full_name(first, last, username) if login else (first or "").strip()
        found.append((f"{source}{pk}", name, position or "", phone or "", login))
    book = _merged(found)
    enterprise.__dict__["_phone_book"] = book
    return book


def _merged(found: list[tuple[str, str, str, str, bool]]) -> list[Contact]:
    """One entry per name: the first source's key, the first position given, every number once
    (mobiles first), a login if any source has one."""
    by_name: dict[str, dict] = {}
    for key, name, position, phone, has_login in found:
        entry = by_name.setdefault(
            name, {"key": key, "position": "", "phones": [], "has_login": False}
        )
        entry["position"] = entry["position"] or position
        entry["has_login"] = entry["has_login"] or has_login
        number = normalize_mobile(phone) if phone else ""
        if number and number not in entry["phones"]:
            entry["phones"].append(number)
    return [
        Contact(
            key=entry["key"],
            name=name,
            position=entry["position"],
            phones=tuple(
                sorted((Phone(n) for n in entry["phones"]), key=lambda p: not p.is_mobile)
            ),
            has_login=entry["has_login"],
        )
        for name, entry in by_name.items()
    ]


def contact_person_add(
    *, enterprise: Enterprise | int, name: str, mobile: str, added_by=None
) -> tuple[ContactPerson, bool]:
    """A new person joins the enterprise's contacts; the same mobile again is the person already
    there (returned with created False). Mobile checked by the caller (validate_mainland_mobile)."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    mobile = normalize_mobile(mobile)
    existing = ContactPerson.objects.filter(enterprise_id=enterprise_id, mobile=mobile).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            person = ContactPerson.objects.create(
                enterprise_id=enterprise_id, name=name.strip(), mobile=mobile, added_by=added_by
            )
    except IntegrityError:  # added by someone else a moment ago
        return ContactPerson.objects.get(enterprise_id=enterprise_id, mobile=mobile), False
    if isinstance(enterprise, Enterprise):
        enterprise.__dict__.pop("_phone_book", None)
    return person, True


@dataclass(frozen=True)
class Paired:
    """A task-force member paired with the enterprise: a cadre (结对干部) or the county leader."""

    role: str
    name: str
    unit: str
    task_force: str
    phone: str = ""

    @property
    def phone_href(self) -> str:
        return Phone(self.phone).href if self.phone else ""


def paired_people(enterprise: Enterprise | int) -> dict[str, list[Paired]]:
    """The running task forces' cadres and leaders covering the enterprise, in one query:
    {"cadre": [...], "leader": [...]}, each person once."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    roles = (TaskForceMember.Role.CADRE, TaskForceMember.Role.LEADER)
    rows = (
        TaskForceEnterprise.objects.filter(
            enterprise_id=enterprise_id,
            task_force__active=True,
            task_force__members__role__in=roles,
            task_force__members__user__is_active=True,
        )
        .values_list(
            "task_force__members__role",
            "task_force__members__user_id",
            "task_force__members__user__first_name",
            "task_force__members__user__last_name",
            "task_force__members__user__username",
            "task_force__members__department__name",
            "task_force__name",
            "task_force__members__user__department_staff__phone",
        )
        .order_by("task_force__name", "task_force__members__pk")
    )
    people: dict[str, list[Paired]] = {role: [] for role in roles}
    seen: set[tuple[str, int]] = set()
    for role, user_id, first, last, username, unit, task_force, phone in rows:
        if (role, user_id) in seen:
            continue
        seen.add((role, user_id))
        people[role].append(
            Paired(role, _full_name(first, last, username), unit or "", task_force, phone or "")
        )
    return people
