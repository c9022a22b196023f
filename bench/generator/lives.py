"""One case's life, planned before anything is written: when it was raised, the state its age
says it ends in, and the stamps and events that lead there — deadlines from the domain's rules
(bench.generator.deadlines), returns, extensions, commitments, ratings and reopenings."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bench.generator.county import County
from bench.generator.deadlines import Deadlines
from bench.generator.mix import PROGRESS_NOTES, RATINGS, STATES_BY_AGE, K, S
from cases.models import Case, Category
from cases.workdays import CHINA, local_date


@dataclass
class Plan:
    """A case's row and what hangs off it, before ids are known."""

    case: dict
    events: list[tuple] = field(default_factory=list)  # (kind, moment, department_id, data)
    rating: tuple | None = None
    commitment: tuple | None = None
    co_department: int | None = None


class Lives:
    """Plans cases over the years from start to now, in the county, one after the other."""

    def __init__(
        self,
        rng: random.Random,
        county: County,
        deadlines: Deadlines,
        *,
        now: dt.datetime,
        start: dt.datetime,
    ):
        self.rng = rng
        self.county = county
        self.deadlines = deadlines
        self.now = now
        self.start = start

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
        county = self.county
        created = self.moment()
        category = self.rng.choices(county.categories, county.category_weights)[0]
        enterprise = (
            self.rng.choice(county.key_ids)
            if self.rng.random() < 0.1
            else self.rng.choice(county.enterprise_ids)
        )
        year = created.year
        counters[year] = counters.get(year, 0) + 1
        title = self.rng.choice(county.titles.get(category.code) or ["其他问题"])
        case = {
            "number": f"{year}-{counters[year]:05d}",
            "year": year,
            "sequence": counters[year],
            "title": title.replace("{n}", str(self.rng.randint(2, 9))),
            "description": "企业反映：" + title.replace("{n}", "若干"),
            "category_id": category.pk,
            "enterprise_id": enterprise,
            "county_id": county.county_id,
            "source": self.rng.choice(["visit"] * 6 + ["self_report", "import"]),
            "status": S.SUBMITTED,
            "created_at": created,
            "updated_at": created,
            "created_by_id": county.office_id,
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
        leads = self.county.leads
        lead = self.county.default_lead.get(category.pk) or self.rng.choice(leads)
        if self.rng.random() < 0.3:
            lead = self.rng.choice(leads)
        assigned = self.later(case["created_at"], 2, 96)
        if assigned is None:
            return
        if self.rng.random() < 0.03:  # returned once as misassigned, then reassigned
            wrong = self.rng.choice(leads)
            events.append((K.ASSIGNED, assigned, wrong, {}))
            events.append((K.RETURNED, assigned + dt.timedelta(hours=20), wrong, {}))
            case["return_count"] = 1
            assigned = self.later(assigned, 40, 120)
            if assigned is None:
                return
        contact_due_at = self.deadlines.contact_due(assigned)
        case.update(
            lead_department_id=lead,
            assigned_at=assigned,
            contact_due_at=contact_due_at,
            resolve_due_at=self.deadlines.resolve_due(assigned, category.default_resolve_days),
            # the counts cases.calendar moves when the office enters a year's schedule
            contact_due_from=local_date(assigned),
            contact_due_working_days=self.deadlines.contact_working_days(),
            resolve_due_from=local_date(assigned),
            resolve_due_working_days=category.default_resolve_days,
            status=S.ASSIGNED,
            batch=f"{assigned.year}年第{(assigned.month + 2) // 3}批",
        )
        events.append((K.ASSIGNED, assigned, lead, {}))
        if self.rng.random() < 0.2:
            plan.co_department = self.rng.choice(leads)
        if status == S.ASSIGNED:
            return
        self.handling(plan, status, lead, assigned, contact_due_at)

    def handling(
        self,
        plan: Plan,
        status: str,
        lead: int,
        assigned: dt.datetime,
        contact_due_at: dt.datetime,
    ) -> None:
        """Accepted (mostly in time), progress, perhaps an extension or a commitment; then the
        reply, a rating (a bad one reopens the case unless upheld on appeal) and the close-out."""
        case, events = plan.case, plan.events
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
