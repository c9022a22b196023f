"""A county — or a city's years — of cases, fast: the data the scale benchmark (issue 10) reads.

    python manage.py generate_load --cases 1000000 [--manifest var/bench/load.json]

The frame (departments, categories, users, enterprises, task forces with their members and
coverage) is small and goes through the ORM. The volume — cases, about five events and two
notifications per case, reminders, ratings, commitments, co-departments, visits — is streamed
to PostgreSQL with COPY, CHUNK cases at a time, so memory stays flat and a million cases take
minutes on two cores. It bypasses the workflow on purpose; what it writes has the workflow's
shape: deadlines from the real working-day calendar, the reminder ladder's rungs sent up to the
present with the cursor (`next_reminder_at`) and `escalation_level` the sweep would have left, so
a sweep right after generation finds nothing due.

The mix follows the county's life: problems over the years (more of them lately), nearly all of
the old ones closed, the recent ones in every state; one case in ten is a key enterprise's; a
few returned, reopened, extended, appealed. Sizes scale the county with the cases: about one
enterprise per thirty cases (3,000 at least) and 3 to 10 years of history.

Four logins for the benchmark (password PASSWORD): bench_office (the county office), bench_clerk
(a clerk of the busiest department), bench_enterprise (a key enterprise's contact), bench_leader
(a county leader of task forces). One case of the clerk's department carries 50 events. The
manifest (JSON) names them and the ids the benchmark's URLs need.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from cases.deadlines import (
    contact_due,
    contact_working_days,
    default_resolve_due,
    level_at,
    level_starts,
    running_deadlines,
)
from cases.demo import enterprises as demo_enterprises
from cases.demo import places, problems
from cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Commitment,
    Rating,
    Visit,
)
from cases.selectors import work_calendar
from cases.workdays import CHINA, local_date
from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
from enterprises.validators import credit_code_check_character
from notifications import ladder
from notifications.models import Notification, Reminder
from taskforces.models import TaskForce, TaskForceEnterprise, TaskForceMember

PASSWORD = "bench-county-only"
# What a generated case has not got unless its life says so (cases.deadlines reads attributes).
_NOT_YET = {"suspended_at": None, "contacted_at": None}
CHUNK = 20_000
S, K, R = Case.Status, CaseEvent.Kind, Case.Rating
N = Notification
RATINGS = [
    (R.VERY_SATISFIED, 45),
    (R.SATISFIED, 30),
    (R.BASICALLY_SATISFIED, 15),
    (R.DISSATISFIED, 7),
    (R.VERY_DISSATISFIED, 3),
]
# How a case ends up, by its age in days: (older than, [(status, weight)]), first match wins.
STATES_BY_AGE = [
    (365, [(S.CLOSED, 975), (S.REPLIED, 6), (S.IN_PROGRESS, 6), (S.MERGED, 12), (S.ASSIGNED, 1)]),
    (120, [(S.CLOSED, 88), (S.REPLIED, 4), (S.IN_PROGRESS, 5), (S.ASSIGNED, 1), (S.MERGED, 2)]),
    (
        20,
        [
            (S.CLOSED, 45),
            (S.REPLIED, 15),
            (S.IN_PROGRESS, 30),
            (S.ASSIGNED, 5),
            (S.SUBMITTED, 3),
            (S.MERGED, 2),
        ],
    ),
    (
        -1,
        [
            (S.CLOSED, 5),
            (S.REPLIED, 10),
            (S.IN_PROGRESS, 40),
            (S.ASSIGNED, 25),
            (S.SUBMITTED, 18),
            (S.MERGED, 2),
        ],
    ),
]
# The events a lead department's clerk writes (the office writes the others, the rater rates).
DEPARTMENT_KINDS = frozenset({K.RETURNED, K.ACCEPTED, K.PROGRESS, K.EXTENSION_REQUESTED, K.REPLIED})
PROGRESS_NOTES = ["已现场查看，正在协调", "已召开协调会", "已上报主管部门", "材料已收齐，正在办理"]


def credit_code(n: int) -> str:
    body = f"91360124LG{n:07d}"
    return body + credit_code_check_character(body)


# --- COPY ----------------------------------------------------------------------------------------


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class Table:
    """Rows of one model, buffered as COPY text; ids are given here, not by the sequence."""

    def __init__(self, model: type[models.Model], next_id: int | None = None):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.has_id = model._meta.pk.column == "id"
        self.columns = (["id"] if self.has_id else []) + [f.column for f in self.fields]
        self.defaults = {
            f.attname: (None if f.null and not f.has_default() else f.get_default())
            for f in self.fields
        }
        self.next_id = next_id or 1
        self.buffer = io.StringIO()
        self.rows = 0

    def add(self, **values) -> int:
        row = dict(self.defaults)
        row.update(values)
        pk = self.next_id
        self.next_id += 1
        cells = [str(pk)] if self.has_id else []
        cells += [_copy_text(row[f.attname]) for f in self.fields]
        self.buffer.write("\t".join(cells))
        self.buffer.write("\n")
        self.rows += 1
        return pk

    def flush(self, cursor) -> None:
        if not self.buffer.tell():
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        cursor.copy_expert(
            f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN', self.buffer
        )
        self.buffer = io.StringIO()

    def reset_sequence(self, cursor) -> None:
        if self.has_id:
            table = self.model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))'
            )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


# --- the plan of one case ------------------------------------------------------------------------


@dataclass
class Plan:
    """A case's row and what hangs off it, before ids are known."""

    case: dict
    events: list[tuple] = field(default_factory=list)  # (kind, moment, department_id, data)
    rating: tuple | None = None
    commitment: tuple | None = None
    co_department: int | None = None


@dataclass
class Manifest:
    cases: int
    password: str
    logins: dict[str, str]
    case_50: int | None
    department: int
    category: int
    enterprise: int
    generated_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class Generator:
    def __init__(
        self,
        *,
        cases: int,
        enterprises: int | None = None,
        years: int | None = None,
        seed: int = 20210422,
        log: Callable[[str], None] = print,
    ):
        self.rng = random.Random(seed)
        self.n_cases = cases
        self.n_enterprises = enterprises or max(3000, cases // 30)
        self.years = years or max(3, min(10, round(cases / 100_000)))
        self.now = timezone.now()
        self.start = self.now - dt.timedelta(days=365 * self.years)
        self.calendar = work_calendar()
        self.password = make_password(PASSWORD)
        self._log = log

    def log(self, message: str) -> None:
        self._log(f"[{time.perf_counter() - self.t0:7.1f}s] {message}")

    # --- the frame (ORM) ---------------------------------------------------------------------

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
        self.titles = defaultdict(list)
        for template in problems.TEMPLATES:
            self.titles[template.category].append(template.title)
        # The busiest department: the default of the most frequent categories.
        load = defaultdict(int)
        for category, weight in zip(self.categories, self.category_weights, strict=True):
            if category.default_department_id:
                load[category.default_department_id] += weight
        self.busiest = max(load, key=load.get)
        self.log(f"{len(self.depts)} departments, {len(self.categories)} categories")

    def users(self) -> None:
        User = get_user_model()
        self.prefix = f"load{self.rng.randrange(10**6):06d}_"
        self.pool = iter(
            User.objects.bulk_create(
                [User(username=f"{self.prefix}{i}", password=self.password) for i in range(400)]
            )
        )
        self.logins = {}
        for role in ("office", "clerk", "enterprise", "leader"):
            user, _ = User.objects.get_or_create(username=f"bench_{role}")
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
                )
            )
        enterprises = Enterprise.objects.bulk_create(rows, batch_size=5000)
        self.enterprise_ids = [e.pk for e in enterprises]
        self.enterprise_names = {e.pk: e.name for e in enterprises}
        self.key_ids = self.enterprise_ids[:33]
        # Every enterprise has its contact (联系人), who is told of replies; the first is ours.
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
        heads = [d for d in self.depts.values() if d.kind == Department.Kind.BUREAU]
        specs = [(f"{e.name}专班", TaskForce.Kind.KEY_ENTERPRISE) for e in enterprises[:33]]
        specs += [
            (f"{name}（{self.rng.randrange(10**6)}）", TaskForce.Kind.INDUSTRY)
            for name, _inds in self.industry_forces()
        ]
        forces = TaskForce.objects.bulk_create(
            [TaskForce(name=name, kind=kind, active=True) for name, kind in specs]
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

    # --- one case ----------------------------------------------------------------------------

    def moment(self) -> dt.datetime:
        """When a problem was recorded: over the years, more of them lately, in office hours."""
        span = (self.now - self.start).total_seconds()
        moment = self.start + dt.timedelta(seconds=span * self.rng.random() ** 0.7)
        moment = moment.astimezone(CHINA).replace(
            hour=self.rng.randint(8, 17), minute=self.rng.randint(0, 59)
        )
        return min(moment, self.now - dt.timedelta(minutes=5))

    def later(self, moment: dt.datetime, low_hours: float, high_hours: float) -> dt.datetime | None:
        result = moment + dt.timedelta(hours=self.rng.uniform(low_hours, high_hours))
        return result if result < self.now else None

    def status_for(self, created: dt.datetime) -> str:
        age = (self.now - created).days
        weights = next(w for older, w in STATES_BY_AGE if age > older)
        return self.rng.choices([s for s, _ in weights], [w for _, w in weights])[0]

    def plan(self, counters: dict[int, int]) -> Plan:
        created = self.moment()
        category = self.rng.choices(self.categories, self.category_weights)[0]
        enterprise = (
            self.rng.choice(self.key_ids)
            if self.rng.random() < 0.1
            else self.rng.choice(self.enterprise_ids)
        )
        year = created.year
        counters[year] = counters.get(year, 0) + 1
        title = self.rng.choice(self.titles.get(category.code) or ["其他问题"])
        case = {
            "number": f"{year}-{counters[year]:05d}",
            "year": year,
            "sequence": counters[year],
            "title": title.replace("{n}", str(self.rng.randint(2, 9))),
            "description": "企业反映：" + title.replace("{n}", "若干"),
            "category_id": category.pk,
            "enterprise_id": enterprise,
            "source": self.rng.choice(["visit"] * 6 + ["self_report", "import"]),
            "status": S.SUBMITTED,
            "created_at": created,
            "updated_at": created,
            "created_by_id": self.office_id,
        }
        plan = Plan(case=case, events=[(K.CREATED, created, None, {})])
        self.timeline(plan, category, self.status_for(created))
        return plan

    def timeline(self, plan: Plan, category: Category, status: str) -> None:
        """Fill the case's stamps for the state it should end in, and its events."""
        case, events = plan.case, plan.events
        if status == S.MERGED:
            case["status"] = S.MERGED  # merged_into is pointed at an earlier case afterwards
            events.append((K.MERGED, case["created_at"] + dt.timedelta(hours=3), None, {}))
            return
        if status == S.SUBMITTED:
            return
        lead = category.default_department_id or self.rng.choice(self.leads)
        if self.rng.random() < 0.3:
            lead = self.rng.choice(self.leads)
        assigned = self.later(case["created_at"], 2, 96)
        if assigned is None:
            return
        if self.rng.random() < 0.03:  # returned once as misassigned, then reassigned
            wrong = self.rng.choice(self.leads)
            events.append((K.ASSIGNED, assigned, wrong, {}))
            events.append((K.RETURNED, assigned + dt.timedelta(hours=20), wrong, {}))
            case["return_count"] = 1
            assigned = self.later(assigned, 40, 120)
            if assigned is None:
                return
        contact_due_at = contact_due(assigned, self.calendar)
        resolve_due_at = default_resolve_due(assigned, category.default_resolve_days, self.calendar)
        case.update(
            lead_department_id=lead,
            assigned_at=assigned,
            contact_due_at=contact_due_at,
            resolve_due_at=resolve_due_at,
            # the counts cases.calendar moves when the office enters a year's schedule
            contact_due_from=local_date(assigned),
            contact_due_working_days=contact_working_days(),
            resolve_due_from=local_date(assigned),
            resolve_due_working_days=category.default_resolve_days,
            status=S.ASSIGNED,
            batch=f"{assigned.year}年第{(assigned.month + 2) // 3}批",
        )
        events.append((K.ASSIGNED, assigned, lead, {}))
        if self.rng.random() < 0.2:
            plan.co_department = self.rng.choice(self.leads)
        if status == S.ASSIGNED:
            return
        on_time = self.rng.random() < 0.85
        contacted = self.later(assigned, 1, 60) if on_time else self.later(contact_due_at, 2, 120)
        if contacted is None:
            return
        case.update(contacted_at=contacted, status=S.IN_PROGRESS)
        events.append((K.ACCEPTED, contacted, lead, {}))
        step = contacted
        for _ in range(self.rng.choice([0, 1, 1, 2])):
            step = self.later(step, 24, 120)
            if step is None:
                break
            events.append((K.PROGRESS, step, lead, {"note": self.rng.choice(PROGRESS_NOTES)}))
        if self.rng.random() < 0.05:
            asked = contacted + dt.timedelta(days=2)
            if asked < self.now and asked < case["resolve_due_at"]:
                case["resolve_due_at"] += dt.timedelta(days=10)
                # an approved extension is a chosen date: no count for a calendar to move
                case.update(resolve_due_from=None, resolve_due_working_days=None)
                events.append((K.EXTENSION_REQUESTED, asked, lead, {}))
                decided = asked + dt.timedelta(days=1)
                events.append((K.EXTENSION_DECIDED, decided, lead, {"approved": True}))
        if self.rng.random() < 0.05:
            due_on = (contacted + dt.timedelta(days=10)).date()
            plan.commitment = (contacted, due_on, self.rng.random() < 0.8)
        if status == S.IN_PROGRESS:
            return
        window = (case["resolve_due_at"] - contacted).total_seconds() / 3600
        stretch = 0.9 if self.rng.random() < 0.75 else 1.4
        replied = self.later(contacted, 4, max(8.0, window * stretch))
        if replied is None:
            return
        outcome = "resolved" if self.rng.random() < 0.85 else "explained"
        case.update(
            replied_at=replied, status=S.REPLIED, reply_round=1, outcome=outcome, reply="已办结"
        )
        events.append((K.REPLIED, replied, lead, {"outcome": outcome}))
        if self.rng.random() < 0.6:
            rated = self.later(replied, 12, 200)
            if rated is not None:
                level = self.rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
                case["rating"] = level
                upheld = level in Case.DISSATISFIED_RATINGS and self.rng.random() < 0.2
                plan.rating = (rated, level, lead, upheld)
                events.append((K.RATED, rated, lead, {"rating": level}))
                if level in Case.DISSATISFIED_RATINGS and not upheld:
                    case["reopen_count"] = 1
                    events.append((K.REOPENED, rated, lead, {}))
        if status == S.CLOSED:
            closed = self.later(replied, 24, 400)
            if closed is not None:
                case.update(closed_at=closed, status=S.CLOSED)
                events.append((K.CLOSED, closed, lead, {}))

    def fifty_events(self, plan: Plan) -> None:
        """Grow one handled case of the clerk's department to 50 events (a long, hard case)."""
        moment = plan.case["contacted_at"]
        while len(plan.events) < 50:
            moment = moment + dt.timedelta(hours=7)
            note = f"第{len(plan.events)}次调度：{self.rng.choice(PROGRESS_NOTES)}"
            plan.events.append(
                (K.PROGRESS, moment, plan.case["lead_department_id"], {"note": note})
            )
        plan.case["updated_at"] = moment

    # --- the volume (COPY) -------------------------------------------------------------------

    def reminders(self, plan: Plan, case_id: int, out: dict[str, Table]) -> None:
        """The ladder's rungs already due, as the sweep would have sent them; the cursor after."""
        case = plan.case
        if case["status"] not in (S.ASSIGNED, S.IN_PROGRESS):
            return
        deadlines = running_deadlines(SimpleNamespace(**{**_NOT_YET, **case}))
        sent = {}
        for deadline in deadlines:
            level = level_at(deadline.due_at, self.now, self.calendar)
            if level is None:
                continue
            sent[deadline] = level
            starts = level_starts(deadline.due_at, self.calendar)
            for rung in range(level + 1):
                out["reminder"].add(
                    case_id=case_id,
                    deadline=deadline.kind,
                    due_at=deadline.due_at,
                    level=rung,
                    sent_at=starts[rung],
                )
            out["notification"].add(
                department_id=case["lead_department_id"],
                case_id=case_id,
                channel=N.Channel.IN_APP,
                kind=N.Kind.REMINDER,
                level=level,
                title=f"{case['number']} 督办提醒",
                dedup_key=f"load:{case_id}:reminder:{deadline.kind}:{level}",
                status=N.Status.SENT,
                sent_at=starts[level],
                created_at=starts[level],
            )
        result = ladder.plan(deadlines, sent, self.calendar)
        case["next_reminder_at"] = result.next_reminder_at
        case["escalation_level"] = result.escalation_level

    def notifications(self, plan: Plan, case_id: int, out: dict[str, Table]) -> None:
        """The notices a case's life leaves: the assignment to the department's group, the reply
        to the enterprise's contact (read after a fortnight)."""
        case = plan.case
        table = out["notification"]
        old = self.now - dt.timedelta(days=14)
        if case.get("assigned_at"):
            table.add(
                department_id=case["lead_department_id"],
                case_id=case_id,
                channel=N.Channel.IN_APP,
                kind=N.Kind.ASSIGNED,
                title=f"{case['number']} 新交办",
                dedup_key=f"load:{case_id}:assigned",
                status=N.Status.SENT,
                sent_at=case["assigned_at"],
                read_at=case["assigned_at"] if case["assigned_at"] < old else None,
                created_at=case["assigned_at"],
            )
        if case.get("replied_at"):
            table.add(
                user_id=self.contact_of[case["enterprise_id"]],
                case_id=case_id,
                channel=N.Channel.IN_APP,
                kind=N.Kind.REPLIED,
                title=f"{case['number']} 办理结果反馈",
                dedup_key=f"load:{case_id}:replied",
                status=N.Status.SENT,
                sent_at=case["replied_at"],
                read_at=case["replied_at"] if case["replied_at"] < old else None,
                created_at=case["replied_at"],
            )

    def write_chunk(self, plans: list[Plan], out: dict[str, Table]) -> None:
        through = out["co"]
        for plan in plans:
            case = plan.case
            case_id = out["case"].next_id
            self.reminders(plan, case_id, out)
            if case["status"] == S.MERGED:
                case["merged_into_id"] = self.survivor()
                if case["merged_into_id"] is None:
                    case["status"] = S.SUBMITTED
                    plan.events = plan.events[:1]
            out["case"].add(**case)
            if case["status"] != S.MERGED:
                self.unmerged.append(case_id)
            rater = self.rater(case["enterprise_id"])
            for kind, moment, dept, data in plan.events:
                out["event"].add(
                    case_id=case_id,
                    kind=kind,
                    **(rater if kind in (K.RATED, K.REOPENED) else self.acted(kind, dept)),
                    department_id=dept,
                    public=kind not in (K.RETURNED,),
                    note=data.get("note", ""),
                    data=data,
                    created_at=moment,
                )
            if plan.rating:
                moment, level, dept, upheld = plan.rating
                out["rating"].add(
                    case_id=case_id,
                    reply_round=1,
                    level=level,
                    rated_by_id=rater["actor_id"],
                    department_id=dept,
                    recorded_by_cadre=rater["unit_kind"] == CaseEvent.Unit.TASKFORCE,
                    appeal=Rating.Appeal.UPHELD if upheld else "",
                    created_at=moment,
                )
            if plan.commitment:
                moment, due_on, kept = plan.commitment
                kept_at = dt.datetime.combine(due_on, dt.time(16), tzinfo=CHINA) if kept else None
                out["commitment"].add(
                    case_id=case_id,
                    committed_by_id=self.office_id,
                    department_id=case["lead_department_id"],
                    text="限期完成",
                    due_on=due_on,
                    kept_at=kept_at if kept_at and kept_at < self.now else None,
                    created_at=moment,
                )
            if plan.co_department and plan.co_department != case.get("lead_department_id"):
                through.add(case_id=case_id, department_id=plan.co_department)
            self.notifications(plan, case_id, out)

    def acted(self, kind: str, department_id: int | None) -> dict:
        """Who writes an event of this kind and for which unit, as cases.units names it: the
        office assigns, merges, decides and closes; the lead department's clerk does the rest."""
        if kind in DEPARTMENT_KINDS and department_id in self.clerk_of:
            return {
                "actor_id": self.clerk_of[department_id],
                "unit_kind": CaseEvent.Unit.DEPARTMENT,
                "unit_name": self.dept_names[department_id],
            }
        return {
            "actor_id": self.office_id,
            "unit_kind": CaseEvent.Unit.OFFICE,
            "unit_name": self.depts["office"].name,
        }

    def rater(self, enterprise_id: int) -> dict:
        """Who rates a reply (and so reopens it): the cadre of the enterprise's task force on a
        return visit, or the enterprise's contact where no task force covers it."""
        forces = self.forces_of.get(enterprise_id)
        if forces:
            return {
                "actor_id": self.cadres_of[forces[0]],
                "unit_kind": CaseEvent.Unit.TASKFORCE,
                "unit_name": self.force_names[forces[0]],
            }
        return {
            "actor_id": self.contact_of[enterprise_id],
            "unit_kind": CaseEvent.Unit.ENTERPRISE,
            "unit_name": self.enterprise_names[enterprise_id],
        }

    def survivor(self) -> int | None:
        """A merged case points at one written before it, not merged itself."""
        if not self.unmerged:
            return None
        return self.unmerged[self.rng.randrange(len(self.unmerged))]

    def cases(self) -> None:
        counters = dict(CaseCounter.objects.values_list("year", "last"))
        through = Case.co_departments.through
        out = {
            "case": Table(Case, _next_id(Case)),
            "event": Table(CaseEvent, _next_id(CaseEvent)),
            "notification": Table(Notification, _next_id(Notification)),
            "reminder": Table(Reminder, _next_id(Reminder)),
            "rating": Table(Rating, _next_id(Rating)),
            "commitment": Table(Commitment, _next_id(Commitment)),
            "co": Table(through, _next_id(through)),
        }
        self.unmerged: list[int] = []
        self.case_50 = None
        plans: list[Plan] = []
        for _ in range(self.n_cases):
            plans.append(self.plan(counters))
            if len(plans) == CHUNK:
                self.flush(plans, out)
                plans = []
        self.flush(plans, out)
        with connection.cursor() as cursor:
            for table in out.values():
                table.reset_sequence(cursor)
        for year, last in counters.items():
            CaseCounter.objects.update_or_create(year=year, defaults={"last": last})
        self.counts = {name: table.rows for name, table in out.items()}
        self.log(", ".join(f"{rows:,} {name}s" for name, rows in self.counts.items()))

    def flush(self, plans: list[Plan], out: dict[str, Table]) -> None:
        """Write a chunk of planned cases and what hangs off them: one COPY per table."""
        if not plans:
            return
        if self.case_50 is None:
            for plan in plans:
                case = plan.case
                if (
                    case["status"] == S.IN_PROGRESS
                    and case.get("lead_department_id") == self.busiest
                    and self.now - case["contacted_at"] > dt.timedelta(days=20)
                ):
                    self.fifty_events(plan)
                    self.case_50 = out["case"].next_id + plans.index(plan)
                    break
        self.write_chunk(plans, out)
        with connection.cursor() as cursor:
            for table in out.values():
                table.flush(cursor)
        self.log(f"{out['case'].rows:,} cases written")

    def visits(self) -> None:
        """Visits by the task forces' cadres: about one for every two cases."""
        covered = [(e, tfs) for e, tfs in self.forces_of.items() if tfs]
        table = Table(Visit, _next_id(Visit))
        with connection.cursor() as cursor:
            for i in range(self.n_cases // 2):
                enterprise, forces = self.rng.choice(covered)
                tf = self.rng.choice(forces)
                moment = self.moment()
                table.add(
                    enterprise_id=enterprise,
                    cadre_id=self.cadres_of[tf],
                    task_force_id=tf,
                    visited_on=moment.date(),
                    kind=self.rng.choice(Visit.Kind.values),
                    notes="",
                    created_at=moment,
                )
                if i % CHUNK == CHUNK - 1:
                    table.flush(cursor)
            table.flush(cursor)
            table.reset_sequence(cursor)
        self.log(f"{table.rows:,} visits")

    def run(self) -> Manifest:
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_load writes with COPY: it needs PostgreSQL.")
        self.t0 = time.perf_counter()
        with transaction.atomic():
            self.departments()
            self.users()
            self.enterprises_and_task_forces()
            self.visits()
            self.cases()
        elapsed = time.perf_counter() - self.t0
        self.log("committed")
        return Manifest(
            cases=self.n_cases,
            password=PASSWORD,
            logins={role: user.username for role, user in self.logins.items()},
            case_50=self.case_50,
            department=self.busiest,
            category=self.categories[0].pk,
            enterprise=self.key_ids[0],
            generated_seconds=round(elapsed, 1),
            counts=self.counts,
        )
