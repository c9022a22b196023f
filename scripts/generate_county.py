#!/usr/bin/env python
"""Generate a large county quickly — for the dashboard benchmark, not for demos.

    DATABASE_URL=postgres://… .venv/bin/python scripts/generate_county.py --cases 100000

Rows are written with bulk_create (thousands per statement), bypassing the workflow: the point is
the shape and volume of the data the analysis pages read — cases in every state over three years
with deadlines from the real working-day calendar, their timelines (assignment, contact, reply,
rating, close-out, returns, reopens, extensions), ratings (a few appealed and upheld),
commitments, co-departments, visits, 33 key-enterprise task forces and industry task forces.
Names come from the demo county (cases/demo). One random seed makes the same county each time.

It refuses a database that already holds cases (use --append to add to it), and production mode.
It creates the logins bench_office (the county office) and bench_leader (a county leader of a
key-enterprise task force and an industry task force), with the password printed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.demo import enterprises as demo_enterprises  # noqa: E402
from cases.demo import places, problems  # noqa: E402
from cases.models import (  # noqa: E402
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Commitment,
    Rating,
    Visit,
)
from cases.selectors import work_calendar  # noqa: E402
from cases.workdays import CHINA, due_after  # noqa: E402
from enterprises.models import Department, DepartmentStaff, Enterprise  # noqa: E402
from enterprises.validators import credit_code_check_character  # noqa: E402
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember  # noqa: E402

PASSWORD = "bench-county-only"
BATCH = 5000
S, K, R = Case.Status, CaseEvent.Kind, Case.Rating
RATINGS = [
    (R.VERY_SATISFIED, 45),
    (R.SATISFIED, 30),
    (R.BASICALLY_SATISFIED, 15),
    (R.DISSATISFIED, 7),
    (R.VERY_DISSATISFIED, 3),
]


@contextmanager
def stamps_as_given():
    """bulk_create would overwrite auto_now(_add) stamps with the present; keep the history's."""
    fields = [
        f
        for model in (Case, CaseEvent, Rating, Visit, Commitment)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def credit_code(n: int) -> str:
    body = f"91360124MB{n:07d}"
    return body + credit_code_check_character(body)


class Generator:
    def __init__(self, *, cases: int, enterprises: int, years: int, seed: int):
        self.rng = random.Random(seed)
        self.n_cases = cases
        self.n_enterprises = enterprises
        self.now = timezone.now()
        self.start = self.now - dt.timedelta(days=365 * years)
        self.calendar = work_calendar()
        self.password = make_password(PASSWORD)
        self.serial = 0

    def log(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.t0:6.1f}s] {message}", flush=True)

    # --- the county's frame --------------------------------------------------------------------

    def departments(self) -> None:
        self.depts: dict[str, Department] = {}
        specs = [(places.OFFICE[0], places.OFFICE[1], places.OFFICE[2], Department.Kind.OFFICE)]
        specs += [(c, n, s, Department.Kind.BUREAU) for c, n, s, _t in places.BUREAUS]
        specs += [(c, n, n, Department.Kind.TOWNSHIP) for c, n in places.TOWNSHIPS]
        specs += [(places.PARK[0], places.PARK[1], places.PARK[2], Department.Kind.PARK)]
        specs += [(c, n, s, Department.Kind.UTILITY) for c, n, s, _t in places.UTILITIES]
        for code, name, short, kind in specs:
            self.depts[code], _ = Department.objects.get_or_create(
                name=name, defaults={"short_name": short, "kind": kind}
            )
        self.townships = [self.depts[c] for c, _n in places.TOWNSHIPS] + [self.depts["kfq"]]
        self.leads = [d for code, d in self.depts.items() if code != "office"]
        self.categories = []
        for code, name, days, lead in places.CATEGORIES:
            category, _ = Category.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "default_resolve_days": days,
                    "default_department": self.depts.get(lead),
                },
            )
            self.categories.append(category)
        # Loaded with their default departments: the timelines read them for every case.
        self.categories = list(
            Category.objects.filter(pk__in=[c.pk for c in self.categories]).select_related(
                "default_department"
            )
        )
        self.category_weights = [problems.CATEGORY_WEIGHTS.get(c.code, 5) for c in self.categories]
        self.titles = defaultdict(list)
        for template in problems.TEMPLATES:
            self.titles[template.category].append(template.title)
        self.log(f"{len(self.depts)} departments, {len(self.categories)} categories")

    def users(self) -> None:
        User = get_user_model()
        prefix = f"bench{self.rng.randrange(10**6):06d}_"
        count = 260
        users = User.objects.bulk_create(
            [User(username=f"{prefix}{i}", password=self.password) for i in range(count)]
        )
        self.pool = users
        office, _ = User.objects.get_or_create(username="bench_office")
        leader, _ = User.objects.get_or_create(username="bench_leader")
        for user in (office, leader):
            user.password = self.password
            user.save(update_fields=["password"])
        DepartmentStaff.objects.get_or_create(
            user=office, defaults={"department": self.depts["office"]}
        )
        self.office, self.leader = office, leader
        staff = []
        self.clerks = {}
        taken = set(DepartmentStaff.objects.values_list("user_id", flat=True))
        free = iter(u for u in users[170:] if u.pk not in taken)
        for code, dept in self.depts.items():
            if code == "office":
                continue
            user = next(free, None)
            if user is None:
                break
            staff.append(DepartmentStaff(user=user, department=dept))
            self.clerks[dept.pk] = user
        DepartmentStaff.objects.bulk_create(staff)
        self.log(f"{len(users) + 2} users")

    @staticmethod
    def industry_forces() -> list[tuple[str, tuple[str, ...]]]:
        """The demo county's industry task forces, and one for every industry they leave out."""
        forces = [(name, inds) for name, inds, _heads in demo_enterprises.INDUSTRY_TASK_FORCES]
        named = {i for _name, inds in forces for i in inds}
        rest = tuple(i for i in demo_enterprises.PRODUCTS if i not in named)
        return [*forces, ("综合产业专班", rest)]

    def enterprises_and_task_forces(self) -> None:
        industries = list(demo_enterprises.PRODUCTS)
        offset = Enterprise.objects.count()
        rows = []
        for i in range(self.n_enterprises):
            industry = self.rng.choice(industries)
            product = self.rng.choice(demo_enterprises.PRODUCTS[industry])
            brand = self.rng.choice(demo_enterprises.BRANDS)
            rows.append(
                Enterprise(
                    name=f"江西{brand}{product}有限公司（{offset + i + 1:05d}）",
                    credit_code=credit_code(offset + i + 1),
                    industry=industry,
                    township=self.rng.choice(self.townships),
                    is_key=i < 33,
                )
            )
        self.enterprises = Enterprise.objects.bulk_create(rows, batch_size=BATCH)
        taskforces, members, links = [], [], []
        pool = iter(self.pool)
        heads = [d for d in self.depts.values() if d.kind == Department.Kind.BUREAU]
        for enterprise in self.enterprises[:33]:
            taskforces.append(
                TaskForce(
                    name=f"{enterprise.name}专班", kind=TaskForce.Kind.KEY_ENTERPRISE, active=True
                )
            )
        for name, _inds in self.industry_forces():
            taskforces.append(
                TaskForce(
                    name=f"{name}（{self.rng.randrange(10**6)}）",
                    kind=TaskForce.Kind.INDUSTRY,
                    active=True,
                )
            )
        taskforces = TaskForce.objects.bulk_create(taskforces)
        key_forces, industry_forces = taskforces[:33], taskforces[33:]
        self.cadres_of = defaultdict(list)
        for index, tf in enumerate(taskforces):
            leader = self.leader if index in (0, 33) else next(pool)
            members.append(
                TaskForceMember(task_force=tf, user=leader, role=TaskForceMember.Role.LEADER)
            )
            for dept in self.rng.sample(heads, 2):
                members.append(
                    TaskForceMember(
                        task_force=tf,
                        user=next(pool),
                        role=TaskForceMember.Role.HEAD,
                        department=dept,
                    )
                )
            cadre = next(pool)
            members.append(
                TaskForceMember(task_force=tf, user=cadre, role=TaskForceMember.Role.CADRE)
            )
            self.cadres_of[tf.pk].append(cadre)
        TaskForceMember.objects.bulk_create(members)
        self.forces_of = defaultdict(list)
        for tf, enterprise in zip(key_forces, self.enterprises[:33], strict=True):
            links.append(TaskForceEnterprise(task_force=tf, enterprise=enterprise))
            self.forces_of[enterprise.pk].append(tf)
        by_industry = {}
        for tf, (_name, inds) in zip(industry_forces, self.industry_forces(), strict=True):
            for industry in inds:
                by_industry[industry] = tf
        for enterprise in self.enterprises[33:]:
            tf = by_industry.get(enterprise.industry)
            if tf is not None and self.rng.random() > 0.01:
                links.append(TaskForceEnterprise(task_force=tf, enterprise=enterprise))
                self.forces_of[enterprise.pk].append(tf)
        TaskForceEnterprise.objects.bulk_create(links, batch_size=BATCH)
        self.log(
            f"{len(self.enterprises)} enterprises, {len(taskforces)} task forces, {len(links)} coverages"
        )

    # --- the cases ---------------------------------------------------------------------------

    def moment(self) -> dt.datetime:
        """When a problem was recorded: over the years, more of them lately."""
        span = (self.now - self.start).total_seconds()
        fraction = self.rng.random() ** 0.7
        moment = self.start + dt.timedelta(seconds=span * fraction)
        return moment.astimezone(CHINA).replace(
            hour=self.rng.randint(8, 17), minute=self.rng.randint(0, 59)
        )

    def later(self, moment: dt.datetime, low_hours: float, high_hours: float) -> dt.datetime | None:
        result = moment + dt.timedelta(hours=self.rng.uniform(low_hours, high_hours))
        return result if result < self.now else None

    def status_for(self, created: dt.datetime) -> str:
        age = (self.now - created).days
        if age > 120:
            weights = [
                (S.CLOSED, 88),
                (S.REPLIED, 4),
                (S.IN_PROGRESS, 5),
                (S.ASSIGNED, 1),
                (S.SUBMITTED, 1),
                (S.MERGED, 1),
            ]
        elif age > 20:
            weights = [
                (S.CLOSED, 45),
                (S.REPLIED, 15),
                (S.IN_PROGRESS, 30),
                (S.ASSIGNED, 5),
                (S.SUBMITTED, 3),
                (S.MERGED, 2),
            ]
        else:
            weights = [
                (S.CLOSED, 5),
                (S.REPLIED, 10),
                (S.IN_PROGRESS, 40),
                (S.ASSIGNED, 25),
                (S.SUBMITTED, 18),
                (S.MERGED, 2),
            ]
        return self.rng.choices([s for s, _ in weights], [w for _, w in weights])[0]

    def cases(self) -> None:
        counters = dict(CaseCounter.objects.values_list("year", "last"))
        rows, plans = [], []
        for _ in range(self.n_cases):
            created = self.moment()
            category = self.rng.choices(self.categories, self.category_weights)[0]
            enterprise = self.rng.choice(self.enterprises)
            status = self.status_for(created)
            year = created.year
            counters[year] = counters.get(year, 0) + 1
            title = self.rng.choice(self.titles.get(category.code) or ["其他问题"]).replace(
                "{n}", str(self.rng.randint(2, 9))
            )
            case = Case(
                number=f"{year}-{counters[year]:05d}",
                year=year,
                sequence=counters[year],
                title=title,
                description="",
                category=category,
                enterprise=enterprise,
                source=self.rng.choice(
                    [Case.Source.VISIT] * 6 + [Case.Source.SELF_REPORT, Case.Source.IMPORT]
                ),
                status=S.SUBMITTED,
                created_at=created,
                updated_at=created,
            )
            plan = self.timeline(case, status)
            rows.append(case)
            plans.append(plan)
        for year, last in counters.items():
            CaseCounter.objects.update_or_create(year=year, defaults={"last": last})
        # The merged point at a survivor: any earlier case.
        Case.objects.bulk_create(rows, batch_size=BATCH)
        self.log(f"{len(rows)} cases")
        merged = [c for c in rows if c.status == S.MERGED]
        for case in merged:
            case.merged_into = rows[self.rng.randrange(len(rows))]
            if case.merged_into.pk == case.pk or case.merged_into.status == S.MERGED:
                case.merged_into = None
                case.status = S.SUBMITTED
        Case.objects.bulk_update(merged, ["merged_into", "status"], batch_size=BATCH)
        self.children(rows, plans)

    def timeline(self, case: Case, status: str) -> dict:
        """Fill the case's stamps for the state it should end in; return what else to write."""
        plan = {"events": [(K.CREATED, case.created_at, None, {})]}
        if status in (S.SUBMITTED, S.MERGED):
            case.status = status
            return plan
        lead = case.category.default_department or self.rng.choice(self.leads)
        if self.rng.random() < 0.3:
            lead = self.rng.choice(self.leads)
        assigned = self.later(case.created_at, 2, 96)
        if assigned is None:
            return plan
        if self.rng.random() < 0.03:  # returned once, then reassigned
            returned_by = self.rng.choice(self.leads)
            plan["events"].append((K.ASSIGNED, assigned, returned_by, {}))
            plan["events"].append((K.RETURNED, assigned + dt.timedelta(hours=20), returned_by, {}))
            case.return_count = 1
            assigned = self.later(assigned, 40, 120)
            if assigned is None:
                return plan
        case.lead_department = lead
        case.assigned_at = assigned
        case.contact_due_at = due_after(
            assigned, settings.CONTACT_DEADLINE_WORKING_DAYS, self.calendar
        )
        case.resolve_due_at = due_after(assigned, case.category.default_resolve_days, self.calendar)
        case.status = S.ASSIGNED
        plan["events"].append((K.ASSIGNED, assigned, lead, {}))
        if status == S.ASSIGNED:
            return plan
        on_time = self.rng.random() < 0.85
        contacted = (
            self.later(assigned, 1, 60) if on_time else self.later(case.contact_due_at, 2, 120)
        )
        if contacted is None:
            return plan
        case.contacted_at, case.status = contacted, S.IN_PROGRESS
        plan["events"].append((K.ACCEPTED, contacted, lead, {}))
        if self.rng.random() < 0.05:
            asked = contacted + dt.timedelta(days=2)
            if asked < self.now and asked < case.resolve_due_at:
                case.resolve_due_at += dt.timedelta(days=10)
                plan["events"].append((K.EXTENSION_REQUESTED, asked, lead, {}))
                plan["events"].append(
                    (K.EXTENSION_DECIDED, asked + dt.timedelta(days=1), lead, {"approved": True})
                )
        if self.rng.random() < 0.05:
            plan["commitment"] = (
                contacted,
                (contacted + dt.timedelta(days=10)).date(),
                self.rng.random() < 0.8,
            )
        if self.rng.random() < 0.2:
            plan["co"] = self.rng.choice(self.leads)
        if status == S.IN_PROGRESS:
            return plan
        window = (case.resolve_due_at - contacted).total_seconds() / 3600
        replied = self.later(
            contacted, 4, max(8.0, window * (0.9 if self.rng.random() < 0.75 else 1.4))
        )
        if replied is None:
            return plan
        case.replied_at, case.status, case.reply_round = replied, S.REPLIED, 1
        case.outcome = Case.Outcome.RESOLVED if self.rng.random() < 0.85 else Case.Outcome.EXPLAINED
        case.reply = "已办结"
        plan["events"].append((K.REPLIED, replied, lead, {}))
        if self.rng.random() < 0.6:
            rated = self.later(replied, 12, 200)
            if rated is not None:
                level = self.rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
                case.rating = level
                upheld = level in Case.DISSATISFIED_RATINGS and self.rng.random() < 0.2
                plan["rating"] = (rated, level, lead, upheld)
                plan["events"].append((K.RATED, rated, lead, {"rating": level}))
                if level in Case.DISSATISFIED_RATINGS:
                    case.reopen_count = 1
                    plan["events"].append((K.REOPENED, rated, lead, {}))
        if status == S.CLOSED:
            closed = self.later(replied, 24, 400)
            if closed is not None:
                case.closed_at, case.status = closed, S.CLOSED
                plan["events"].append((K.CLOSED, closed, lead, {}))
        return plan

    def children(self, rows: list[Case], plans: list[dict]) -> None:
        events, ratings, commitments, co = [], [], [], []
        through = Case.co_departments.through
        for case, plan in zip(rows, plans, strict=True):
            for kind, moment, dept, data in plan["events"]:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=kind,
                        department=dept,
                        created_at=moment,
                        public=True,
                        data=data,
                        actor=self.office,
                    )
                )
            if "rating" in plan:
                moment, level, dept, upheld = plan["rating"]
                ratings.append(
                    Rating(
                        case=case,
                        reply_round=1,
                        level=level,
                        rated_by=self.office,
                        department=dept,
                        recorded_by_cadre=True,
                        appeal=Rating.Appeal.UPHELD if upheld else "",
                        created_at=moment,
                    )
                )
            if "commitment" in plan:
                moment, due_on, kept = plan["commitment"]
                kept_at = dt.datetime.combine(due_on, dt.time(16), tzinfo=CHINA) if kept else None
                if kept_at and kept_at > self.now:
                    kept_at = None
                commitments.append(
                    Commitment(
                        case=case,
                        committed_by=self.office,
                        department=case.lead_department,
                        text="限期完成",
                        due_on=due_on,
                        kept_at=kept_at,
                        created_at=moment,
                    )
                )
            if "co" in plan and plan["co"] != case.lead_department:
                co.append(through(case_id=case.pk, department_id=plan["co"].pk))
        for model, objects in (
            (CaseEvent, events),
            (Rating, ratings),
            (Commitment, commitments),
            (through, co),
        ):
            model.objects.bulk_create(objects, batch_size=BATCH)
        self.log(
            f"{len(events)} events, {len(ratings)} ratings, {len(commitments)} commitments, {len(co)} co-departments"
        )

    def visits(self) -> None:
        """Visits by the task forces' cadres: about one for every two cases, more of them lately."""
        covered = [(e, tfs) for e in self.enterprises if (tfs := self.forces_of.get(e.pk))]
        rows = []
        for _ in range(self.n_cases // 2):
            enterprise, forces = self.rng.choice(covered)
            tf = self.rng.choice(forces)
            moment = self.moment()
            rows.append(
                Visit(
                    enterprise=enterprise,
                    cadre=self.cadres_of[tf.pk][0],
                    task_force=tf,
                    visited_on=moment.date(),
                    kind=self.rng.choice(Visit.Kind.values),
                    created_at=moment,
                )
            )
        Visit.objects.bulk_create(rows, batch_size=BATCH)
        self.log(f"{len(rows)} visits")

    def run(self) -> None:
        self.t0 = time.perf_counter()
        with stamps_as_given(), transaction.atomic():
            self.departments()
            self.users()
            self.enterprises_and_task_forces()
            self.visits()
            self.cases()
        self.log("done")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=3_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20210422)
    parser.add_argument("--append", action="store_true", help="add to a database that holds cases")
    args = parser.parse_args(argv)
    if not settings.DEBUG:
        print(
            "Refusing to generate a test county in production mode (DEBUG is off).", file=sys.stderr
        )
        return 2
    if Case.objects.exists() and not args.append:
        print("The database already holds cases; pass --append to add to them.", file=sys.stderr)
        return 2
    Generator(
        cases=args.cases, enterprises=args.enterprises, years=args.years, seed=args.seed
    ).run()
    print(
        f"Logins: bench_office (the county office), bench_leader (a county leader); password {PASSWORD}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
