"""The volume, streamed with COPY a chunk at a time: each planned case's row, events, rating,
commitment, co-department and notifications, the reminder ladder's rungs the sweep would have
sent by now (with its cursor), and the task forces' visits."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import connection

from bench.generator.county import County
from bench.generator.deadlines import Deadlines
from bench.generator.lives import Lives, Plan
from bench.generator.mix import CHUNK, DEPARTMENT_KINDS, K, S
from bench.generator.tables import Table, next_id
from cases.models import Case, CaseCounter, CaseEvent, Commitment, Rating, Visit
from cases.workdays import CHINA
from notifications.models import Notification, Reminder

N = Notification


class Writer:
    """Writes what Lives plans, as the workflow would have left it, with ids of its own."""

    def __init__(
        self,
        rng: random.Random,
        county: County,
        lives: Lives,
        deadlines: Deadlines,
        *,
        now: dt.datetime,
        log: Callable[[str], None],
    ):
        self.rng = rng
        self.county = county
        self.lives = lives
        self.deadlines = deadlines
        self.now = now
        self.log = log
        self.case_50: int | None = None
        self.counts: dict[str, int] = {}

    def cases(self, n_cases: int, counters: dict[int, int]) -> None:
        """n_cases of the county; `counters` (the last number of each year) carries on from the
        cases written before, in this county or another, and is filled from the database."""
        for year, last in CaseCounter.objects.values_list("year", "last"):
            counters[year] = max(counters.get(year, 0), last)
        through = Case.co_departments.through
        out = {
            "case": Table(Case, next_id(Case)),
            "event": Table(CaseEvent, next_id(CaseEvent)),
            "notification": Table(Notification, next_id(Notification)),
            "reminder": Table(Reminder, next_id(Reminder)),
            "rating": Table(Rating, next_id(Rating)),
            "commitment": Table(Commitment, next_id(Commitment)),
            "co": Table(through, next_id(through)),
        }
        self.unmerged: list[int] = []
        plans: list[Plan] = []
        for _ in range(n_cases):
            plans.append(self.lives.plan(counters))
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
                    and case.get("lead_department_id") == self.county.busiest
                    and self.now - case["contacted_at"] > dt.timedelta(days=20)
                ):
                    self.lives.fifty_events(plan)
                    self.case_50 = out["case"].next_id + plans.index(plan)
                    break
        self.write_chunk(plans, out)
        with connection.cursor() as cursor:
            for table in out.values():
                table.flush(cursor)
        self.log(f"{out['case'].rows:,} cases written")

    def write_chunk(self, plans: list[Plan], out: dict[str, Table]) -> None:
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
            self.hanging(plan, case_id, rater, out)
            self.notifications(plan, case_id, out)

    def hanging(self, plan: Plan, case_id: int, rater: dict, out: dict[str, Table]) -> None:
        """The case's rating, commitment (亮诺) and co-department."""
        case = plan.case
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
                committed_by_id=self.county.office_id,
                department_id=case["lead_department_id"],
                text="限期完成",
                due_on=due_on,
                kept_at=kept_at if kept_at and kept_at < self.now else None,
                created_at=moment,
            )
        if plan.co_department and plan.co_department != case.get("lead_department_id"):
            out["co"].add(case_id=case_id, department_id=plan.co_department)

    def reminders(self, plan: Plan, case_id: int, out: dict[str, Table]) -> None:
        """The ladder's rungs already due, as the sweep would have sent them; the cursor after."""
        case = plan.case
        if case["status"] not in (S.ASSIGNED, S.IN_PROGRESS):
            return
        running = self.deadlines.running(case)
        sent = {}
        for deadline in running:
            level = self.deadlines.level_now(deadline.due_at)
            if level is None:
                continue
            sent[deadline] = level
            starts = self.deadlines.level_starts(deadline.due_at)
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
        result = self.deadlines.plan(running, sent)
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
                user_id=self.county.contact_of[case["enterprise_id"]],
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

    def acted(self, kind: str, department_id: int | None) -> dict:
        """Who writes an event of this kind and for which unit, as cases.units names it: the
        office assigns, merges, decides and closes; the lead department's clerk does the rest."""
        county = self.county
        if kind in DEPARTMENT_KINDS and department_id in county.clerk_of:
            return {
                "actor_id": county.clerk_of[department_id],
                "unit_kind": CaseEvent.Unit.DEPARTMENT,
                "unit_name": county.dept_names[department_id],
            }
        return {
            "actor_id": county.office_id,
            "unit_kind": CaseEvent.Unit.OFFICE,
            "unit_name": county.depts["office"].name,
        }

    def rater(self, enterprise_id: int) -> dict:
        """Who rates a reply (and so reopens it): the cadre of the enterprise's task force on a
        return visit, or the enterprise's contact where no task force covers it."""
        county = self.county
        forces = county.forces_of.get(enterprise_id)
        if forces:
            return {
                "actor_id": county.cadres_of[forces[0]],
                "unit_kind": CaseEvent.Unit.TASKFORCE,
                "unit_name": county.force_names[forces[0]],
            }
        return {
            "actor_id": county.contact_of[enterprise_id],
            "unit_kind": CaseEvent.Unit.ENTERPRISE,
            "unit_name": county.enterprise_names[enterprise_id],
        }

    def survivor(self) -> int | None:
        """A merged case points at one written before it, not merged itself."""
        if not self.unmerged:
            return None
        return self.unmerged[self.rng.randrange(len(self.unmerged))]

    def visits(self, n_visits: int) -> None:
        """Visits by the task forces' cadres over the years."""
        county = self.county
        covered = [(e, tfs) for e, tfs in county.forces_of.items() if tfs]
        table = Table(Visit, next_id(Visit))
        with connection.cursor() as cursor:
            for i in range(n_visits):
                enterprise, forces = self.rng.choice(covered)
                tf = self.rng.choice(forces)
                moment = self.lives.moment()
                table.add(
                    enterprise_id=enterprise,
                    cadre_id=county.cadres_of[tf],
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
