"""One user, one county (DESIGN §2): every role row a person holds — office or department staff,
task-force member (leader, head, cadre), county leader, enterprise contact — is of one county, and
a role of the city (its office, a city department) is of one city and of no county. The one rule,
asked by every role model's clean() and save() (RoleInOneCounty) and by the services that make
role rows in bulk (cases.taskforces.taskforce_save): a row placing a person elsewhere than their
other rows is refused, naming the person and where they already belong.

"Belongs" means holding a role row there, whether or not the account is active: a deactivated
account (a county leader who left, a clerk moved away) keeps its rows, because its county's
office still lists it, keeps its history (AccountChange, the cases it acted on) and is the only
office that may switch it back on (cases.people). So a person who moved from county A to county B
gets a new account from county B's office; the old account stays A's, inactive, and is told
nothing (every audience, notifications.audience, takes active accounts only). The refusal says so
when the account is deactivated. The back office may instead end the old roles first (delete the
rows in A) and then place the same account in B."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

# Each one-to-one role: the user's relation to it, and the paths to its county or city and name.
_ONE_TO_ONE = {
    "department_staff": ("department_staff__department__county", None),
    "county_leader": ("county_leader__county", None),
    "enterprise_contact": ("enterprise_contact__enterprise__county", None),
    "city_office": (None, "city_office__city"),
    "city_department_staff": (None, "city_department_staff__department__city"),
}


@dataclass(frozen=True)
class Place:
    """Where a role row puts a person: a county (county_id) or a city (city_id, no county)."""

    county_id: int | None
    city_id: int | None
    name: str


def places_of(
    user_id: int, *, skip_relation: str = "", skip_member: int | None = None, registry=None
) -> set:
    """Where the user's role rows put them, in two queries; skip_relation: a one-to-one role the
    row being saved replaces; skip_member: a task-force membership being saved; registry: the
    apps to read the models from (a migration's historical ones; the project's by default)."""
    registry = registry or apps
    paths = []
    for relation, (county, city) in _ONE_TO_ONE.items():
        if relation != skip_relation:
            paths += [f"{county}_id", f"{county}__name"] if county else [None, None]
            paths += [f"{city}_id", f"{city}__name"] if city else [None, None]
    fields = [path for path in paths if path]
    users = registry.get_model(settings.AUTH_USER_MODEL)
    row = users.objects.filter(pk=user_id).values_list(*fields).first() or ()
    values = dict(zip(fields, row, strict=True))
    places = set()
    for index in range(0, len(paths), 4):
        county, county_name, city, city_name = (
            values.get(path) if path else None for path in paths[index : index + 4]
        )
        if county is not None:
            places.add(Place(county, None, county_name))
        elif city is not None:
            places.add(Place(None, city, city_name))
    members = registry.get_model("taskforces", "TaskForceMember").objects.filter(user_id=user_id)
    if skip_member is not None:
        members = members.exclude(pk=skip_member)
    for county, name in members.values_list("task_force__county_id", "task_force__county__name"):
        places.add(Place(county, None, name))
    return places


def county_of(user_id: int, *, registry=None) -> int | None:
    """The county the user's role rows place them in, or None (a city role, or no role yet)."""
    counties = sorted(
        place.county_id
        for place in places_of(user_id, registry=registry)
        if place.county_id is not None
    )
    return counties[0] if counties else None


def check_one_county(
    user,
    *,
    county_id: int | None = None,
    city_id: int | None = None,
    skip_relation: str = "",
    skip_member: int | None = None,
) -> None:
    """Refuse (ValidationError) a role in county_id (or, for a city role, in city_id) for a user
    whose other role rows are of another county or city."""
    if user is None or user.pk is None:
        return
    for place in places_of(user.pk, skip_relation=skip_relation, skip_member=skip_member):
        same = (
            place.county_id == county_id
            if county_id is not None
            else (place.county_id is None and place.city_id == city_id)
        )
        if not same and not user.is_active:
            raise ValidationError(
                _(
                    "用户“%(user)s”的账号已停用，仍属于%(place)s（其记录留在那里），不能再担任"
                    "其他县（区）或市级的角色：调往别处的人员请由新单位为其新建账号。"
                )
                % {"user": user.get_full_name() or user.get_username(), "place": place.name}
            )
        if not same:
            raise ValidationError(
                _(
                    "用户“%(user)s”已属于%(place)s，不能再担任其他县（区）或市级的角色："
                    "一个用户只能属于一个县（区）。"
                )
                % {"user": user.get_full_name() or user.get_username(), "place": place.name}
            )


class RoleInOneCounty:
    """For a role model: clean() and save() refuse a row that would place its user in a second
    county (check_one_county). The model says where the row is (its method role_place: county id,
    city id) and, when it is the user's one-to-one role, which relation it is (role_relation)."""

    role_relation = ""

    def check_one_county(self) -> None:
        try:
            county_id, city_id = self.role_place()
        except ObjectDoesNotExist:
            return  # no department, enterprise or task force yet: the field's own error says so
        if county_id is None and city_id is None:
            return  # a task force not yet saved: its county is known once it is (and checked)
        check_one_county(
            self.user if self.user_id else None,
            county_id=county_id,
            city_id=city_id,
            skip_relation=self.role_relation,
            skip_member=self.pk if not self.role_relation else None,
        )

    def clean(self) -> None:
        super().clean()
        self.check_one_county()

    def save(self, *args, **kwargs):
        self.check_one_county()
        super().save(*args, **kwargs)
