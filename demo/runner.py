"""The steps of a case's life, each one call into cases.intake or cases.workflow at its moment.

Nothing here writes a status or a deadline itself: the services do, so every case's timeline is
the one the workflow would have written had the county used the system since March 2021.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import User

from cases import intake, workflow
from cases.models import Case, Visit
from cases.roles import Actor
from cases.workdays import end_of_day, local_date
from demo import problems as texts
from demo.clock import Clock
from demo.county import County
from demo.problems import Template
from demo.timeline import Timeline
from enterprises.models import Department, Enterprise

SATISFIED = (
    (Case.Rating.VERY_SATISFIED, 45),
    (Case.Rating.SATISFIED, 40),
    (Case.Rating.BASICALLY_SATISFIED, 15),
)


@dataclass
class Batch:
    """交办批次: the cases the office hands out together at one 交办会."""

    name: str
    moment: dt.datetime
    lives: list[Life] = field(default_factory=list)


@dataclass
class Life:
    """One case's planned history: how it starts, and which track it follows."""

    track: str
    enterprise: Enterprise
    template: Template
    created: dt.datetime
    source: str = Case.Source.VISIT
    outcome: str = Case.Outcome.RESOLVED
    batch: Batch | None = None
    merge_into: Life | None = None
    title: str = ""
    detail: str = ""
    variant: str = ""  # a track's variation: an appeal upheld or rejected, say
    lead: Department | None = None
    co: list[Department] = field(default_factory=list)
    case: Case | None = None
    # What happened, for the meetings' minutes.
    assigned_at: dt.datetime | None = None
    resolve_due_at: dt.datetime | None = None
    replied_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None


@dataclass
class Opening:
    """How one or more cases enter: a cadre's visit with its problems, or a single report."""

    moment: dt.datetime
    enterprise: Enterprise
    lives: list[Life]
    cadre: User | None = None  # None: a self-report (enterprise) or an import (office)
    kind: str = Visit.Kind.INSPECT
    notes: str = ""


def lead_of(county: County, enterprise: Enterprise, template: Template) -> Department:
    code = template.lead
    if code == "township":
        return county.township(enterprise)
    if code is None:
        return county.categories[template.category].default_department
    return county.dept(code)


def co_of(county: County, enterprise: Enterprise, template: Template) -> list[Department]:
    lead = lead_of(county, enterprise, template)
    co = []
    for code in template.co:
        department = county.township(enterprise) if code == "township" else county.dept(code)
        if department != lead and department not in co:
            co.append(department)
    return co


class Runner:
    def __init__(self, county: County, timeline: Timeline, clock: Clock):
        self.county = county
        self.tl = timeline
        self.clock = clock
        self.rng = county.rng

    def at(self, moment: dt.datetime) -> dt.datetime:
        return self.clock.set(moment)

    # --- who ------------------------------------------------------------------------------------

    def lead_clerk(self, life: Life) -> Actor:
        return self.county.clerk(life.lead)

    def worker(self, life: Life) -> Actor:
        if life.co and self.rng.random() < 0.25:
            return self.county.clerk(self.rng.choice(life.co))
        return self.lead_clerk(life)

    def cadre(self, enterprise: Enterprise) -> Actor | None:
        cadres = self.county.cadres[enterprise.pk]
        return self.county.actor(self.rng.choice(cadres)) if cadres else None

    # --- how cases enter ------------------------------------------------------------------------

    def open(self, opening: Opening) -> None:
        t = self.at(opening.moment)
        enterprise = opening.enterprise
        if opening.cadre is not None:
            _visit, cases = intake.visit_create(
                actor=self.county.actor(opening.cadre),
                enterprise=enterprise,
                visited_on=local_date(t),
                kind=opening.kind,
                notes=opening.notes,
                problems=[
                    intake.Problem(life.title, life.detail, self.category(life))
                    for life in opening.lives
                ],
                now=t,
            )
        else:
            [life] = opening.lives
            contact = self.county.contacts.get(enterprise.pk)
            if life.source == Case.Source.SELF_REPORT and contact is not None:
                actor = self.county.actor(contact)
            else:
                actor = self.county.office()
            cases = [
                intake.case_create(
                    actor=actor,
                    enterprise=enterprise,
                    title=life.title,
                    description=life.detail,
                    category=self.category(life),
                    source=life.source,
                    now=t,
                )
            ]
        for life, case in zip(opening.lives, cases, strict=True):
            life.case = case

    def category(self, life: Life):
        return self.county.categories[life.template.category]

    # --- the workflow ---------------------------------------------------------------------------

    def assign(
        self,
        life: Life,
        t: dt.datetime,
        *,
        lead: Department | None = None,
        assigned_at: dt.datetime | None = None,
        resolve_due_at: dt.datetime | None = None,
        note: str = "",
    ) -> dt.datetime:
        t = self.at(t)
        if lead is not None and lead != life.lead:
            co = [d for d in life.co if d != lead]
        else:
            lead, co = life.lead, life.co
        batch = life.batch.name if life.batch and life.assigned_at is None else None
        if batch and not note:
            note = f"{batch}问题，交办会集中交办。"
        life.case = workflow.case_assign(
            actor=self.county.office(),
            case=life.case,
            lead_department=lead,
            co_departments=co,
            resolve_due_at=resolve_due_at,
            assigned_at=assigned_at,
            batch=batch,
            note=note,
            now=t,
        )
        if life.assigned_at is None:
            life.assigned_at = life.case.assigned_at
            life.resolve_due_at = life.case.resolve_due_at
        return t

    def accept(self, life: Life, t: dt.datetime, note: str = "") -> dt.datetime:
        t = self.at(t)
        contact = life.enterprise.contact_name or "负责人"
        method, template = self.rng.choice(texts.CONTACT_NOTES)
        if note:
            method = "visit"  # the stories' first contacts were all made in person
        life.case = workflow.case_accept(
            actor=self.lead_clerk(life),
            case=life.case,
            contact_note=note or template.format(contact=contact),
            contact_method=method,
            contact_person=contact,
            contact_mobile=self.county.contact_mobiles.get(life.enterprise.pk, ""),
            now=t,
        )
        return t

    def accept_moment(self, life: Life, assigned: dt.datetime) -> dt.datetime:
        """Mostly within the 3 working days; now and then late."""
        if self.rng.random() < 0.88:
            return self.tl.after(assigned, 0, 3)
        return self.tl.after(assigned, 4, 8)

    def reply_moment(self, life: Life, accepted: dt.datetime) -> dt.datetime:
        due = life.case.resolve_due_at
        if self.rng.random() < 0.85 and due - accepted > dt.timedelta(days=1):
            return self.tl.between(accepted + dt.timedelta(hours=20), due, 1)[0]
        return self.tl.after(max(accepted, due), 1, 10)

    def work(
        self,
        life: Life,
        start: dt.datetime,
        end: dt.datetime,
        *,
        commitments: str = "settled",
        notes: tuple[int, int] = (1, 3),
    ) -> None:
        """Between acceptance and reply: breakdown items, commitments and progress, in time order.

        commitments: "settled" (kept on time, kept late, or missed), "open" (due after today),
        "missed" (never kept).
        """
        rng, tl = self.rng, self.tl
        steps: list[tuple[dt.datetime, partial]] = []
        due_day = local_date(life.case.resolve_due_at)
        if rng.random() < 0.4:
            measures = rng.sample(life.template.measures, k=min(2, len(life.template.measures)))
            for measure in measures:
                department = rng.choice(life.co) if life.co and rng.random() < 0.6 else life.lead
                [made] = tl.between(start, end, 1)
                due_on = min(due_day, tl.shift(local_date(made), rng.randint(3, 12)))
                if due_on < local_date(made):
                    continue
                holder: dict = {}
                steps.append(
                    (made, partial(self._add_item, life, department, measure, due_on, holder))
                )
                if commitments == "settled" and rng.random() < 0.85:
                    [done] = tl.between(made, end, 1)
                    steps.append((done, partial(self._complete_item, life, holder)))
        if commitments != "settled" or rng.random() < 0.45:
            [made] = tl.between(start, end, 1)
            if commitments == "open":
                due_on = tl.shift(tl.today, rng.randint(2, 10))
            else:
                due_on = tl.shift(local_date(made), rng.randint(2, 8))
            who = self._committer(life)
            text = rng.choice(texts.COMMITMENTS).format(
                day=f"{due_on.month}月{due_on.day}日", measure=rng.choice(life.template.measures)
            )
            holder = {}
            steps.append((made, partial(self._commit, life, who, text, due_on, holder)))
            if commitments == "settled":
                roll = rng.random()
                if roll < 0.75:
                    kept = tl.between(made, min(end, end_of_day(due_on)), 1)[0]
                elif roll < 0.88:
                    kept = tl.office_time(tl.shift(due_on, rng.randint(1, 3)))
                else:
                    kept = None  # missed: the promise lapses, and the record shows it
                if kept is not None and kept < end:
                    steps.append((kept, partial(self._keep, who, holder)))
        for moment in tl.between(start, end, rng.randint(*notes)):
            steps.append((moment, partial(self._progress, life)))
        for moment, step in sorted(steps, key=lambda s: s[0]):
            step(self.at(moment))

    def _add_item(self, life, department, measure, due_on, holder, t):
        holder["item"] = workflow.case_add_breakdown_item(
            actor=self.lead_clerk(life),
            case=life.case,
            department=department,
            measure=measure,
            due_on=due_on,
        )

    def _complete_item(self, life, holder, t):
        item = holder["item"]
        actor = self.county.clerk(item.department) if item.department != life.lead else None
        workflow.breakdown_item_complete(actor=actor or self.lead_clerk(life), item=item, now=t)

    def _committer(self, life: Life) -> Actor:
        roll = self.rng.random()
        if roll < 0.15 and self.county.cadres[life.enterprise.pk]:
            return self.cadre(life.enterprise)
        if roll < 0.3 and life.co:
            return self.county.clerk(self.rng.choice(life.co))
        return self.lead_clerk(life)

    def _commit(self, life, who, text, due_on, holder, t):
        holder["commitment"] = workflow.case_add_commitment(
            actor=who, case=life.case, text=text, due_on=due_on, now=t
        )

    def _keep(self, who, holder, t):
        workflow.commitment_keep(
            actor=who, commitment=holder["commitment"], note="已按承诺完成。", now=t
        )

    def _progress(self, life, t):
        public = self.rng.random() < 0.5
        note = self.rng.choice(texts.PUBLIC_PROGRESS if public else texts.INTERNAL_PROGRESS)
        workflow.case_add_progress(
            actor=self.worker(life), case=life.case, note=note, public=public
        )

    def progress(
        self, life: Life, t: dt.datetime, note: str, *, public: bool = True
    ) -> dt.datetime:
        t = self.at(t)
        workflow.case_add_progress(
            actor=self.lead_clerk(life), case=life.case, note=note, public=public
        )
        return t

    def reply(
        self, life: Life, t: dt.datetime, outcome: str | None = None, text: str = ""
    ) -> dt.datetime:
        t = self.at(t)
        outcome = outcome or life.outcome
        template = life.template
        if not text:
            text = template.explained if outcome == Case.Outcome.EXPLAINED else template.resolved
            text = text.format(n=self.rng.randint(2, 9))
        life.case = workflow.case_reply(
            actor=self.lead_clerk(life), case=life.case, outcome=outcome, reply=text, now=t
        )
        life.replied_at = life.replied_at or t
        return t

    def satisfied(self) -> str:
        levels, weights = zip(*SATISFIED, strict=True)
        return self.rng.choices(levels, weights)[0]

    def rate(self, life: Life, t: dt.datetime, level: str, comment: str = "") -> bool:
        """The contact rates online, or a cadre records the rating on a return visit (回访)."""
        comment = comment or self.rng.choice(texts.RATING_COMMENTS[level])
        contact = self.county.contacts.get(life.enterprise.pk)
        # Only a cadre whose own unit does not handle the case may record its rating.
        cadres = [
            self.county.actor(user)
            for user in self.county.cadres[life.enterprise.pk]
            if not workflow.rating_conflict(self.county.actor(user), life.case)
        ]
        cadre = self.rng.choice(cadres) if cadres else None
        if contact is not None and (cadre is None or self.rng.random() < 0.45):
            t = self.at(t)
            life.case = workflow.case_rate(
                actor=self.county.actor(contact),
                case=life.case,
                rating=level,
                comment=comment,
                now=t,
            )
            return True
        if cadre is None:
            return False
        t = self.at(t)
        label = Case.Rating(level).label
        intake.visit_create(
            actor=cadre,
            enterprise=life.enterprise,
            visited_on=local_date(t),
            kind=Visit.Kind.RESOLVE,
            notes=f"回访企业，了解“{life.case.title}”的办理情况。企业评价：{label}。{comment}",
            now=t,
        )
        t = self.at(t + dt.timedelta(minutes=5))
        life.case = workflow.case_rate(
            actor=cadre, case=life.case, rating=level, comment=comment, now=t
        )
        return True

    def close(self, life: Life, t: dt.datetime) -> dt.datetime:
        t = self.at(t)
        note = "企业评价满意，同意销号。" if life.case.rating else "已反馈办理结果，同意销号。"
        life.case = workflow.case_close(
            actor=self.county.office(), case=life.case, note=note, now=t
        )
        life.closed_at = life.closed_at or t
        return t

    def return_(self, life: Life, t: dt.datetime, right: Department) -> dt.datetime:
        t = self.at(t)
        reason = self.rng.choice(texts.RETURN_REASONS).format(
            category=self.category(life).name, right=right.short_name or right.name
        )
        life.case = workflow.case_return(
            actor=self.county.clerk(life.case.lead_department), case=life.case, reason=reason, now=t
        )
        return t

    def refuse_return(self, life: Life, t: dt.datetime) -> dt.datetime:
        t = self.at(t)
        note = "经研究，该问题仍由贵单位牵头办理，相关单位协办，请立即与企业对接（指定办理）。"
        life.case = workflow.case_refuse_return(
            actor=self.county.office(), case=life.case, note=note
        )
        return t

    def reopen(self, life: Life, t: dt.datetime, reason: str) -> dt.datetime:
        t = self.at(t)
        life.case = workflow.case_reopen(
            actor=self.county.office(), case=life.case, reason=reason, now=t
        )
        return t

    def appeal(self, life: Life, t: dt.datetime) -> dt.datetime:
        t = self.at(t)
        workflow.case_appeal_rating(
            actor=self.lead_clerk(life),
            case=life.case,
            reason="企业诉求超出现行政策范围，我单位已按政策解释到位并提供替代方案，该评价不尽合理。",
        )
        return t

    def decide_appeal(self, life: Life, t: dt.datetime, *, uphold: bool) -> dt.datetime:
        t = self.at(t)
        note = (
            "经核实，牵头部门已按政策办理并解释到位，申诉成立，该评价不计入统计。"
            if uphold
            else "经核实，问题确未得到实质解决，申诉不成立，请继续办理。"
        )
        workflow.case_decide_appeal(
            actor=self.county.office_head(), case=life.case, uphold=uphold, note=note
        )
        return t

    def request_extension(
        self, life: Life, t: dt.datetime, due: dt.datetime, reason: str = ""
    ) -> dt.datetime:
        t = self.at(t)
        workflow.case_request_extension(
            actor=self.lead_clerk(life),
            case=life.case,
            resolve_due_at=due,
            reason=reason or "项目涉及审批和施工环节，需时较长，申请延长办结期限，并按月报送进展。",
            now=t,
        )
        return t

    def decide_extension(self, life: Life, t: dt.datetime, *, approve: bool) -> dt.datetime:
        t = self.at(t)
        note = "同意延期，请按月报送进展。" if approve else "不同意延期，请按原期限办结。"
        life.case = workflow.case_decide_extension(
            actor=self.county.office(), case=life.case, approve=approve, note=note, now=t
        )
        return t

    def request_suspension(self, life: Life, t: dt.datetime) -> dt.datetime:
        t = self.at(t)
        workflow.case_request_suspension(
            actor=self.lead_clerk(life),
            case=life.case,
            reason=self.rng.choice(texts.SUSPEND_REASONS),
        )
        return t

    def decide_suspension(self, life: Life, t: dt.datetime, *, approve: bool = True) -> dt.datetime:
        t = self.at(t)
        life.case = workflow.case_decide_suspension(
            actor=self.county.office(),
            case=life.case,
            approve=approve,
            note="同意挂起，企业条件具备后恢复办理。" if approve else "不同意挂起。",
            now=t,
        )
        return t

    def resume(self, life: Life, t: dt.datetime) -> dt.datetime:
        t = self.at(t)
        life.case = workflow.case_resume(
            actor=self.lead_clerk(life), case=life.case, note="企业条件已具备，恢复办理。", now=t
        )
        return t

    def merge(self, life: Life, t: dt.datetime) -> dt.datetime:
        t = self.at(t)
        life.case = workflow.case_merge(
            actor=self.county.office(), case=life.case, into=life.merge_into.case
        )
        return t
