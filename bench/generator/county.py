"""The frame one county's cases hang on, made through the ORM (small even for a million cases):
departments and categories, the county's logins and a pool of users, enterprises with their
contacts, 1+2+N task forces with their members and the enterprises they cover. Each county of the
city gets a frame of its own; nothing in one refers to another's."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth import get_user_model

from bench.generator.mix import credit_code
from cases.models import Category
from counties.models import County as CountyRow
from demo import enterprises as demo_enterprises
from demo import places, problems
from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember


class County:
    """Built once (build()); its attributes are what the cases refer to: ids, names, who acts."""

    def __init__(
        self,
        rng: random.Random,
        *,
        county_id: int,
        number: int,
        enterprises: int,
        password: str,
        log: Callable[[str], None],
    ):
        self.rng = rng
        self.county_id = county_id
        self.number = number  # 1 for the county the benchmark signs in to
        self.n_enterprises = enterprises
        self.password = password  # hashed
        self.log = log

    def build(self) -> None:
        self.departments()
        self.users()
        self.enterprises_and_task_forces()

    def login_name(self, role: str) -> str:
        """bench_office … in the first county (the measured logins), bench2_office … after it."""
        return f"bench_{role}" if self.number == 1 else f"bench{self.number}_{role}"

    def departments(self) -> None:
        self.county_name = CountyRow.objects.values_list("name", flat=True).get(pk=self.county_id)
        self.depts: dict[str, Department] = {}
        specs = [(places.OFFICE[0], places.OFFICE[1], places.OFFICE[2], Department.Kind.OFFICE)]
        specs += [(c, n, s, Department.Kind.BUREAU) for c, n, s, _t in places.BUREAUS]
        specs += [(c, n, n, Department.Kind.TOWNSHIP) for c, n in places.TOWNSHIPS]
        specs += [(places.PARK[0], places.PARK[1], places.PARK[2], Department.Kind.PARK)]
        specs += [(c, n, s, Department.Kind.UTILITY) for c, n, s, _t in places.UTILITIES]
        for code, name, short, kind in specs:
            self.depts[code], _ = Department.objects.get_or_create(
                name=name, county_id=self.county_id, defaults={"short_name": short, "kind": kind}
            )
        self.townships = [self.depts[c] for c, _n in places.TOWNSHIPS] + [self.depts["kfq"]]
        self.leads = [d.pk for code, d in self.depts.items() if code != "office"]
        for code, name, days, lead in places.CATEGORIES:
            Category.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "default_resolve_days": days,
                    "default_department": self.depts.get(lead),
                },
            )
        self.categories = list(
            Category.objects.filter(code__in=[c[0] for c in places.CATEGORIES]).order_by("pk")
        )
        self.category_weights = [problems.CATEGORY_WEIGHTS.get(c.code, 5) for c in self.categories]
        # A category's default department is one county's; each county leads with its own of the
        # same kind (places.CATEGORIES names it by code).
        lead_code = {code: lead for code, _name, _days, lead in places.CATEGORIES}
        self.default_lead = {
            c.pk: self.depts[lead_code[c.code]].pk
            for c in self.categories
            if lead_code.get(c.code) in self.depts
        }
        self.titles = defaultdict(list)
        for template in problems.TEMPLATES:
            self.titles[template.category].append(template.title)
        # The busiest department: the default of the most frequent categories.
        load = defaultdict(int)
        for category, weight in zip(self.categories, self.category_weights, strict=True):
            if category.pk in self.default_lead:
                load[self.default_lead[category.pk]] += weight
        self.busiest = max(load, key=load.get)
        self.log(
            f"{self.county_name}: {len(self.depts)} departments, {len(self.categories)} categories"
        )

    def users(self) -> None:
        User = get_user_model()
        self.prefix = f"load{self.rng.randrange(10**6):06d}_{self.number}_"
        self.pool = iter(
            User.objects.bulk_create(
                [User(username=f"{self.prefix}{i}", password=self.password) for i in range(400)]
            )
        )
        self.logins = {}
        for role in ("office", "clerk", "enterprise", "leader"):
            user, _ = User.objects.get_or_create(username=self.login_name(role))
            user.password, user.is_active = self.password, True
            user.save(update_fields=["password", "is_active"])
            self.logins[role] = user
        DepartmentStaff.objects.update_or_create(
            user=self.logins["office"], defaults={"department": self.depts["office"]}
        )
        DepartmentStaff.objects.update_or_create(
            user=self.logins["clerk"], defaults={"department_id": self.busiest}
        )
        taken = set(DepartmentStaff.objects.values_list("department_id", flat=True))
        DepartmentStaff.objects.bulk_create(
            [
                DepartmentStaff(user=next(self.pool), department=dept)
                for dept in self.depts.values()
                if dept.pk not in taken
            ]
        )
        self.office_id = self.logins["office"].pk
        # Who writes a department's events (cases.units: the clerk's own department).
        self.clerk_of = dict(
            DepartmentStaff.objects.filter(department__in=self.depts.values()).values_list(
                "department_id", "user_id"
            )
        )
        self.clerk_of[self.busiest] = self.logins["clerk"].pk
        self.dept_names = {d.pk: d.name for d in self.depts.values()}

    @staticmethod
    def industry_forces() -> list[tuple[str, tuple[str, ...]]]:
        forces = [(name, inds) for name, inds, _heads in demo_enterprises.INDUSTRY_TASK_FORCES]
        named = {i for _name, inds in forces for i in inds}
        rest = tuple(i for i in demo_enterprises.PRODUCTS if i not in named)
        return [*forces, ("综合产业专班", rest)]

    def enterprises_and_task_forces(self) -> None:
        enterprises = self.enterprises()
        self.task_forces(enterprises)

    def enterprises(self) -> list[Enterprise]:
        """The enterprises (the first 33 key ones), each with its contact (联系人), who is told
        of replies; the first enterprise's contact is the benchmark's login."""
        industries = list(demo_enterprises.PRODUCTS)
        offset = Enterprise.objects.count()
        rows = []
        for i in range(self.n_enterprises):
            industry = self.rng.choice(industries)
            product = self.rng.choice(demo_enterprises.PRODUCTS[industry])
            brand = self.rng.choice(demo_enterprises.BRANDS)
            rows.append(
                Enterprise(
                    name=f"江西{brand}{product}有限公司（{offset + i + 1:06d}）",
                    credit_code=credit_code(offset + i + 1),
                    industry=industry,
                    township=self.rng.choice(self.townships),
                    is_key=i < 33,
                    county_id=self.county_id,
                )
            )
        enterprises = Enterprise.objects.bulk_create(rows, batch_size=5000)
        self.enterprise_ids = [e.pk for e in enterprises]
        self.enterprise_names = {e.pk: e.name for e in enterprises}
        self.key_ids = self.enterprise_ids[:33]
        EnterpriseContact.objects.update_or_create(
            user=self.logins["enterprise"], defaults={"enterprise": enterprises[0]}
        )
        User = get_user_model()
        contacts = User.objects.bulk_create(
            [
                User(username=f"{self.prefix}c{e.pk}", password=self.password)
                for e in enterprises[1:]
            ],
            batch_size=5000,
        )
        EnterpriseContact.objects.bulk_create(
            [
                EnterpriseContact(user=user, enterprise=e)
                for user, e in zip(contacts, enterprises[1:], strict=True)
            ],
            batch_size=5000,
        )
        self.contact_of = {e.pk: u.pk for u, e in zip(contacts, enterprises[1:], strict=True)}
        self.contact_of[enterprises[0].pk] = self.logins["enterprise"].pk
        return enterprises

    def task_forces(self, enterprises: list[Enterprise]) -> None:
        """A task force per key enterprise and one per industry, each with a leader, two heads
        and a cadre; the industry ones cover nearly every enterprise of their industries."""
        heads = [d for d in self.depts.values() if d.kind == Department.Kind.BUREAU]
        specs = [(f"{e.name}专班", TaskForce.Kind.KEY_ENTERPRISE) for e in enterprises[:33]]
        specs += [
            (f"{name}（{self.rng.randrange(10**6)}）", TaskForce.Kind.INDUSTRY)
            for name, _inds in self.industry_forces()
        ]
        forces = TaskForce.objects.bulk_create(
            [
                TaskForce(name=name, kind=kind, active=True, county_id=self.county_id)
                for name, kind in specs
            ]
        )
        members, links = [], []
        self.cadres_of = {}
        for index, tf in enumerate(forces):
            leader = self.logins["leader"] if index in (0, 33) else next(self.pool)
            members.append(TaskForceMember(task_force=tf, user=leader, role="leader"))
            for dept in self.rng.sample(heads, 2):
                members.append(
                    TaskForceMember(
                        task_force=tf, user=next(self.pool), role="head", department=dept
                    )
                )
            cadre = next(self.pool)
            members.append(TaskForceMember(task_force=tf, user=cadre, role="cadre"))
            self.cadres_of[tf.pk] = cadre.pk
        TaskForceMember.objects.bulk_create(members)
        self.force_names = {tf.pk: tf.name for tf in forces}
        self.forces_of = defaultdict(list)
        for tf, enterprise in zip(forces[:33], enterprises[:33], strict=True):
            links.append(TaskForceEnterprise(task_force=tf, enterprise=enterprise))
            self.forces_of[enterprise.pk].append(tf.pk)
        by_industry = {
            industry: tf
            for tf, (_name, inds) in zip(forces[33:], self.industry_forces(), strict=True)
            for industry in inds
        }
        for enterprise in enterprises[33:]:
            tf = by_industry.get(enterprise.industry)
            if tf is not None and self.rng.random() > 0.01:
                links.append(TaskForceEnterprise(task_force=tf, enterprise=enterprise))
                self.forces_of[enterprise.pk].append(tf.pk)
        TaskForceEnterprise.objects.bulk_create(links, batch_size=5000)
        self.log(f"{len(enterprises)} enterprises, {len(forces)} task forces, {len(links)} links")
