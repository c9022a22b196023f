"""Build the demo county's structure: units and their staff, categories, county leaders,
enterprises and their contacts, and the 1+2+N task forces (key, industry, township)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from cases.models import Category
from cases.roles import Actor, actor_for
from cases.taskforces import taskforce_save
from demo import enterprises as data
from demo import places
from demo.people import GIVEN_NAMES, JOINED, SURNAMES, NameBook, make_person
from enterprises.models import (
    ContactPerson,
    Department,
    DepartmentStaff,
    Enterprise,
    EnterpriseContact,
)
from enterprises.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from taskforces.models import CountyLeader, TaskForce, TaskForceMember

ROADS = ["工业大道", "创业路", "兴业大道", "迎宾大道", "胜利路", "产业园路", "振兴路", "青岚大道"]
LEADERS = 12


@dataclass
class County:
    rng: random.Random
    departments: dict[str, Department] = field(default_factory=dict)
    heads: dict[str, User] = field(default_factory=dict)
    clerks: dict[str, list[User]] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    leaders: list[User] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    specs: dict[int, data.EnterpriseSpec] = field(default_factory=dict)
    contacts: dict[int, User] = field(default_factory=dict)
    contact_mobiles: dict[int, str] = field(default_factory=dict)  # the registered contact's
    cadres: dict[int, list[User]] = field(default_factory=dict)
    key_task_force: dict[int, TaskForce] = field(default_factory=dict)
    task_forces: list[TaskForce] = field(default_factory=list)
    by_name: dict[str, Enterprise] = field(default_factory=dict)
    demo: dict[str, User] = field(default_factory=dict)
    _actors: dict[int, Actor] = field(default_factory=dict)
    _codes: dict[int, str] = field(default_factory=dict)

    def actor(self, user: User) -> Actor:
        """Roles are fixed once the task forces stand, so each user's are looked up once."""
        if user.pk not in self._actors:
            self._actors[user.pk] = actor_for(user)
        return self._actors[user.pk]

    def dept(self, code: str) -> Department:
        return self.departments[code]

    def code_of(self, department: Department) -> str:
        if len(self._codes) != len(self.departments):
            self._codes = {d.pk: code for code, d in self.departments.items()}
        return self._codes[department.pk]

    def clerk(self, department: Department) -> Actor:
        clerks = self.clerks[self.code_of(department)]
        if "dept" in self.demo and clerks[0] == self.demo["dept"] and self.rng.random() < 0.7:
            return self.actor(clerks[0])
        return self.actor(self.rng.choice(clerks))

    def office(self) -> Actor:
        staff = self.clerks["office"]
        return self.actor(staff[0] if self.rng.random() < 0.7 else staff[1])

    def office_head(self) -> Actor:
        return self.actor(self.heads["office"])

    def short(self, enterprise: Enterprise) -> str:
        return self.specs[enterprise.pk].short

    def is_key(self, enterprise: Enterprise) -> bool:
        return self.specs[enterprise.pk].key

    def township(self, enterprise: Enterprise) -> Department:
        return self.departments[self.specs[enterprise.pk].township]


def build_county(rng: random.Random) -> County:
    county = County(rng=rng)
    names = NameBook(rng)
    _departments(county, names)
    _categories(county)
    county.leaders = [
        make_person("leader" if i == 0 else f"leader{i + 1:02d}", names.take())
        for i in range(LEADERS)
    ]
    _enterprises(county, names)
    _task_forces(county, names)
    _phone_books(county)
    _scales(county)
    _leadership(county, names)
    return county


# 县领导班子: the demo login `leadership` is the county head (县长); the secretary and a deputy in
# charge of industry read the same county.
LEADERSHIP = [
    ("leadership", CountyLeader.Title.MAGISTRATE, ""),
    ("secretary", CountyLeader.Title.SECRETARY, ""),
    ("deputy_industry", CountyLeader.Title.DEPUTY, "工业、招商引资"),
]


def _leadership(county: County, names: NameBook) -> None:
    # Names from a generator of their own, none another person has: a draw from the county's
    # generator would reshuffle everything the demo draws after it.
    own = NameBook(random.Random(len(LEADERSHIP)))
    own.used = names.used
    for username, title, portfolio in LEADERSHIP:
        user = make_person(username, own.take())
        CountyLeader.objects.create(user=user, title=title, portfolio=portfolio)
    county.demo["leadership"] = User.objects.get(username="leadership")


def _departments(county: County, names: NameBook) -> None:
    units = (
        [(*places.OFFICE, Department.Kind.OFFICE)]
        + [(*b, Department.Kind.BUREAU) for b in places.BUREAUS]
        + [
            (code, name, name, _township_head(name), Department.Kind.TOWNSHIP)
            for code, name in places.TOWNSHIPS
        ]
        + [(*places.PARK, Department.Kind.PARK)]
        + [(*u, Department.Kind.UTILITY) for u in places.UTILITIES]
    )
    for n, (code, name, short, head_title, kind) in enumerate(units):
        # The office phone an enterprise calls about its case (the portal shows it).
        department = Department.objects.create(
            name=name, short_name=short, kind=kind, phone=f"0791-8566{n + 1:04d}"
        )
        county.departments[code] = department
        head = make_person("office_head" if code == "office" else f"{code}_head", names.take())
        DepartmentStaff.objects.create(
            user=head, department=department, is_head=True, title=head_title
        )
        county.heads[code] = head
        county.clerks[code] = []
        for n in range(2 if code in places.BUSY else 1):
            username = {("office", 0): "office", ("gxj", 0): "dept"}.get(
                (code, n), f"{code}_clerk{n + 1}"
            )
            clerk = make_person(username, names.take())
            DepartmentStaff.objects.create(
                user=clerk, department=department, title="科员" if n else "股长"
            )
            county.clerks[code].append(clerk)
        # Whom an enterprise asks for: the unit's first clerk.
        department.contact_name = county.clerks[code][0].get_full_name()
        department.save(update_fields=["contact_name"])
    county.demo["office"] = county.clerks["office"][0]
    county.demo["dept"] = county.clerks["gxj"][0]


def _township_head(name: str) -> str:
    return "镇长" if name.endswith("镇") else "乡长"


def _categories(county: County) -> None:
    for order, (code, name, days, lead) in enumerate(places.CATEGORIES):
        county.categories[code], _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "default_resolve_days": days,
                "default_department": county.departments[lead] if lead else None,
                "sort_order": order,
            },
        )


def _credit_code(rng: random.Random, taken: set[str]) -> str:
    while True:
        first17 = "91360124MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(7))
        code = first17 + credit_code_check_character(first17)
        if code not in taken:
            taken.add(code)
            return code


def _enterprises(county: County, names: NameBook) -> None:
    rng = county.rng
    codes: set[str] = set()
    key_specs = [
        data.EnterpriseSpec(k[0], k[1], k[2], k[3], key=True) for k in data.KEY_ENTERPRISES
    ]
    contacts = {k[0]: k[4] for k in data.KEY_ENTERPRISES}
    for n, spec in enumerate(key_specs + data.other_enterprise_specs(rng)):
        township = county.departments[spec.township]
        place = "进贤经开区" if spec.township == "kfq" else f"进贤县{township.name}"
        contact_name, _title = contacts.get(spec.name) or (names.take(), "")
        enterprise = Enterprise(
            name=spec.name,
            credit_code=_credit_code(rng, codes),
            industry=spec.industry,
            township=township,
            industry_department=county.departments[places.INDUSTRY_DEPARTMENT[spec.industry]],
            address=f"{place}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
            contact_name=contact_name,
            contact_phone=f"0791-856{rng.randrange(10**5):05d}",
            is_key=spec.key,
        )
        enterprise.full_clean()
        enterprise.save()
        county.enterprises.append(enterprise)
        county.specs[enterprise.pk] = spec
        county.by_name[spec.name] = enterprise
        county.cadres[enterprise.pk] = []
        if spec.key:
            username = "enterprise" if spec.name == data.STEEL else f"contact{n + 1:02d}"
            user = make_person(username, contact_name)
            EnterpriseContact.objects.create(
                user=user, enterprise=enterprise, phone=enterprise.contact_phone
            )
            county.contacts[enterprise.pk] = user
    county.demo["enterprise"] = county.contacts[county.by_name[data.STEEL].pk]


def _task_forces(county: County, names: NameBook) -> None:
    rng = county.rng
    serial = iter(range(2, 1000))
    demo_cadre = make_person("cadre", names.take())
    county.demo["cadre"] = demo_cadre
    county.demo["leader"] = county.leaders[0]
    other_leaders = county.leaders[1:]
    rotation = iter(other_leaders * 10)
    H, C, L = TaskForceMember.Role.HEAD, TaskForceMember.Role.CADRE, TaskForceMember.Role.LEADER

    def save(name, kind, leader, head_codes, cadres, covered):
        members = [(leader, L, None)]
        members += [(county.heads[c], H, county.departments[c]) for c in head_codes]
        members += [(user, C, unit) for user, unit in cadres]
        task_force = taskforce_save(
            task_force=TaskForce(name=name, kind=kind, active=True),
            members=members,
            enterprises=covered,
        )
        county.task_forces.append(task_force)
        for enterprise in covered:
            county.cadres[enterprise.pk].extend(user for user, _unit in cadres)
        return task_force

    for name, short, _industry, _township, _contact, head_codes in data.KEY_ENTERPRISES:
        enterprise = county.by_name[name]
        leader = county.leaders[0] if name in data.LEADER_ENTERPRISES else next(rotation)
        units = [county.departments[c] for c in head_codes]
        cadres = []
        if name in data.CADRE_ENTERPRISES:
            # From 住建局, so that on a return visit the demo cadre may record the rating of 工信局's
            # cases (a unit does not rate its own work: cases.workflow.rating_conflict).
            cadres.append((demo_cadre, county.departments["zjj"]))
        if name == data.YIBO:
            cadres.append((make_person(f"cadre{next(serial):03d}", names.take()), units[0]))
        for _ in range(rng.randint(1, 3) - len(cadres)):
            unit = rng.choice(units)
            cadres.append((make_person(f"cadre{next(serial):03d}", names.take()), unit))
        county.key_task_force[enterprise.pk] = save(
            f"{short}专班", TaskForce.Kind.KEY_ENTERPRISE, leader, head_codes, cadres, [enterprise]
        )

    others = [e for e in county.enterprises if not county.is_key(e)]
    for name, industries, head_codes in data.INDUSTRY_TASK_FORCES:
        covered = [e for e in others if e.industry in industries]
        cadres = [
            (make_person(f"cadre{next(serial):03d}", names.take()), county.departments[code])
            for code in (head_codes * 2)[: rng.randint(2, 3)]
        ]
        save(name, TaskForce.Kind.INDUSTRY, next(rotation), head_codes, cadres, covered)
    for township_code, bureau in data.TOWNSHIP_TASK_FORCES:
        township = county.departments[township_code]
        covered = [e for e in others if e.township_id == township.pk]
        cadres = [
            (make_person(f"cadre{next(serial):03d}", names.take()), township) for _ in range(2)
        ]
        label = "进贤经开区" if township_code == "kfq" else township.name
        save(
            f"{label}企业服务专班",
            TaskForce.Kind.TOWNSHIP,
            next(rotation),
            (township_code, bureau),
            cadres,
            covered,
        )


POSITIONS = ["办公室主任", "财务负责人", "生产副总", "人事经理", "行政主管", "安全员"]


def _phone_books(county: County) -> None:
    """Every enterprise's phone book (taskforces.contacts): its registered contact's mobile, and
    one more person, so the handling departments' case pages have someone to call. A random of its
    own, so the rest of the county comes out as before."""
    rng = random.Random("phone books")
    titles = {k[0]: k[4][1] for k in data.KEY_ENTERPRISES if k[4]}
    mobiles: set[str] = set()

    def mobile() -> str:
        while True:
            number = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
            if number not in mobiles:
                mobiles.add(number)
                return number

    people = []
    for enterprise in county.enterprises:
        county.contact_mobiles[enterprise.pk] = mobile()
        people.append(
            ContactPerson(
                enterprise=enterprise,
                name=enterprise.contact_name,
                position=titles.get(enterprise.name, "总经理"),
                mobile=county.contact_mobiles[enterprise.pk],
                created_at=JOINED,
            )
        )
        while (name := rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)) == enterprise.contact_name:
            pass
        people.append(
            ContactPerson(
                enterprise=enterprise,
                name=name,
                position=rng.choice(POSITIONS),
                mobile=mobile(),
                created_at=JOINED,
            )
        )
    ContactPerson.objects.bulk_create(people)


def _scales(county: County) -> None:
    """企业规模 for the register (analysis.register): the key enterprises large or medium, most of
    the others small or micro. A random of its own, so the rest of the county comes out as before."""
    rng = random.Random("scales")
    scale = Enterprise.Scale
    for enterprise in county.enterprises:
        if county.is_key(enterprise):
            enterprise.scale = rng.choice([scale.LARGE, scale.MEDIUM, scale.MEDIUM])
        else:
            enterprise.scale = rng.choice([scale.MEDIUM, scale.SMALL, scale.SMALL, scale.MICRO])
    Enterprise.objects.bulk_update(county.enterprises, ["scale"])
