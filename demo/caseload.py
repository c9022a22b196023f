"""The county's caseload from March 2021 to today: which cases, whose, when, on which track.

Counts per track are fixed, so every state of DESIGN §4 is present; the random seed picks the
enterprises, problems and dates, so the county comes out the same on every run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from cases.models import Case, Visit
from cases.workdays import local_date
from demo.clock import Beyond
from demo.enterprises import HONGDA, POULTRY, STEEL, UNCOVERED_ENTERPRISES, YIBO
from demo.problems import CATEGORY_WEIGHTS, TEMPLATES, Template
from demo.runner import Batch, Life, Opening, Runner, co_of, lead_of
from demo.stories import STORY_TRACKS, at, story_openings
from demo.tracks import TRACKS

CHINESE_NUMBERS = "一 二 三 四 五 六 七 八 九 十 十一 十二".split()
# 交办会: the first on 22 April 2021 (第一批), then one each spring and autumn.
BATCH_DAYS = [
    dt.date(2021, 4, 22),
    dt.date(2021, 8, 19),
    dt.date(2022, 3, 17),
    dt.date(2022, 9, 15),
    dt.date(2023, 3, 16),
    dt.date(2023, 9, 14),
    dt.date(2024, 3, 21),
    dt.date(2024, 9, 12),
    dt.date(2025, 3, 20),
    dt.date(2025, 9, 18),
    dt.date(2026, 3, 19),
    dt.date(2026, 9, 17),
]
YEAR_WEIGHTS = {2021: 30, 2022: 16, 2023: 14, 2024: 14, 2025: 15, 2026: 11}
GENERAL = None  # any time from March 2021 to August 2026, weighted towards the first year
FIRST_BATCH_SHARE = 0.2
BATCH_REACH = 75  # days: problems logged this long before a 交办会 wait for it (most of them)


@dataclass(frozen=True)
class Plan:
    track: str
    count: int
    window: tuple[dt.date, dt.date] | tuple[int, int] | None = GENERAL
    variants: tuple[str, ...] = ("",)
    enterprise: str | None = None
    lead: str | None = None
    source: str | None = None


def d(y, m, dd):
    return dt.date(y, m, dd)


HISTORY = [
    Plan("closed", 170),
    Plan("closed_explained", 35),
    Plan("redo_closed", 10),
    Plan("appeal_closed", 4, variants=("upheld", "rejected")),
    Plan("return_reassigned", 8),
    Plan("return_refused_closed", 4),
    Plan("office_reopen", 3),
    Plan("office_reopen", 2, (d(2025, 1, 6), d(2025, 12, 19)), ("open",)),
    Plan("long_running", 6, (d(2025, 3, 3), d(2026, 6, 30))),
    Plan("overdue_in_progress", 6, (d(2025, 9, 1), d(2026, 8, 31))),
    Plan("assigned_overdue", 4, (d(2025, 10, 8), d(2026, 9, 30))),
    Plan("replied", 6, (d(2026, 6, 1), d(2026, 9, 30))),
    Plan("replied", 6, (d(2026, 6, 1), d(2026, 9, 30)), ("rated",)),
    Plan("suspended", 4, (d(2026, 4, 1), d(2026, 9, 30))),
    Plan("suspended", 3, GENERAL, ("resumed",)),
]
# Recent cases: windows are working days before today.
FRESH = [
    Plan("fresh_submitted", 8, (1, 6)),
    Plan("fresh_submitted", 1, (1, 3), enterprise=STEEL, source=Case.Source.SELF_REPORT),
    Plan("fresh_returned", 3, (6, 9)),
    Plan("fresh_assigned", 4, (2, 4)),
    Plan("fresh_assigned", 2, (2, 4), lead="gxj"),
    Plan("fresh_assigned", 1, (10, 14)),
    Plan("fresh_assigned", 2, (1, 2), ("paper",), source=Case.Source.IMPORT),
    Plan("fresh_designated", 2, (8, 9)),
    Plan("fresh_in_progress", 9, (5, 15)),
    Plan("fresh_in_progress", 2, (5, 12), lead="gxj"),
    Plan("fresh_in_progress", 1, (5, 12), enterprise=STEEL),
    Plan("fresh_extension", 2, (9, 12)),
    Plan("fresh_extension", 1, (9, 12), lead="gxj"),
    Plan("fresh_extension", 2, (9, 12), ("refused",)),
    Plan("fresh_suspension", 2, (11, 13)),
    Plan("fresh_reopened", 3, (20, 22), ("", "appealed", "rejected")),
    Plan("fresh_replied", 7, (8, 18)),
    Plan("fresh_replied", 1, (8, 12), enterprise=STEEL),
    Plan("fresh_replied", 4, (9, 18), ("rated",)),
    Plan("fresh_replied", 1, (9, 18), ("rated",), lead="gxj"),
]
MERGED = 12
STORY_PROBLEMS = [
    (STEEL, "厂区电压不稳，设备无法满负荷运行"),
    (STEEL, "电焊、数控等技术工人紧缺"),
    (STEEL, "扩建用地指标不足"),
    (YIBO, "电焊、数控等技术工人紧缺"),
    (POULTRY, "电费成本偏高，希望降低用电成本"),
    (HONGDA, "新上生产线需电力增容"),
]

KIND_NOTES = {
    Visit.Kind.PUBLICIZE: "宣传“四进四问”活动和惠企政策，发放政策汇编，询问企业需求。",
    Visit.Kind.INSPECT: "走访生产车间，了解企业生产经营、订单和用工情况。",
    Visit.Kind.ADVISE: "召开企业座谈会，听取企业对优化营商环境的意见建议。",
    Visit.Kind.RESOLVE: "回访企业，了解此前反映问题的办理成效。",
}
SUGGESTIONS = [
    "建议进一步精简项目审批材料。",
    "建议定期组织银企对接活动。",
    "建议园区增设员工食堂和公交站点。",
    "建议建立企业诉求快速响应群。",
    "建议加大本地产品在政府投资项目中的推介力度。",
    "建议职业学校按企业需求开设订单班。",
]


class Caseload:
    def __init__(self, runner: Runner):
        self.r = runner
        self.county = runner.county
        self.rng = runner.rng
        self.tl = runner.tl
        self.batches = [
            Batch(f"第{CHINESE_NUMBERS[i]}批", self.tl.moment(day, 9, 30))
            for i, day in enumerate(BATCH_DAYS)
        ]
        covered = [e for e in self.county.enterprises if self.county.cadres[e.pk]]
        self.key = [e for e in covered if self.county.is_key(e)]
        self.others = [e for e in covered if not self.county.is_key(e)]
        self.lives: list[Life] = []
        # Problems the stories already tell, not to be told again by chance.
        self.asked: set[tuple[int, str]] = {
            (self.county.by_name[name].pk, title) for name, title in STORY_PROBLEMS
        }
        self.truncated = 0

    # --- planning -------------------------------------------------------------------------------

    def plan(self) -> list[Opening]:
        history = [life for plan in HISTORY for life in self._lives(plan)]
        history.append(self._first_batch_road())
        history += self._duplicates(history)
        history += self._uncovered()
        for life in history:
            self._batch(life)
        fresh = [life for plan in FRESH for life in self._lives(plan)]
        stories = story_openings(self.r, self.batches[0])
        openings = stories + self._openings(history + fresh) + self._plain_visits()
        self.lives = [life for o in openings for life in o.lives]
        return sorted(openings, key=lambda o: o.moment)

    def _lives(self, plan: Plan) -> list[Life]:
        lives = []
        for n in range(plan.count):
            enterprise = (
                self.county.by_name[plan.enterprise] if plan.enterprise else self._enterprise()
            )
            explained = plan.track == "closed_explained"
            for _attempt in range(10):
                template = self._template(enterprise, explained=explained, lead=plan.lead)
                # The same problem twice from one enterprise reads as an unmerged duplicate.
                if (enterprise.pk, template.title) not in self.asked:
                    break
            self.asked.add((enterprise.pk, template.title))
            life = self._life(plan.track, enterprise, template, self._created(plan))
            life.variant = plan.variants[n % len(plan.variants)]
            if explained or (
                plan.track == "closed" and template.explained and self.rng.random() < 0.1
            ):
                life.outcome = Case.Outcome.EXPLAINED
            if plan.source:
                life.source = plan.source
            lives.append(life)
        return lives

    def _life(self, track: str, enterprise, template: Template, created: dt.datetime) -> Life:
        rng = self.rng
        source = Case.Source.VISIT
        roll = rng.random()
        if roll < 0.12 and enterprise.pk in self.county.contacts:
            source = Case.Source.SELF_REPORT
        elif roll < 0.17:
            source = Case.Source.IMPORT
        return Life(
            track=track,
            enterprise=enterprise,
            template=template,
            created=created,
            source=source,
            title=template.title,
            detail=template.detail.format(n=rng.randint(2, 9)),
            lead=lead_of(self.county, enterprise, template),
            co=co_of(self.county, enterprise, template),
        )

    def _enterprise(self):
        pool = self.key if self.rng.random() < 0.55 else self.others
        return self.rng.choice(pool)

    def _template(self, enterprise, *, explained: bool = False, lead: str | None = None):
        candidates = [
            t
            for t in TEMPLATES
            if (not t.industries or enterprise.industry in t.industries)
            and (t.explained or not explained)
            and (lead is None or t.lead == lead)
        ]
        per_category = defaultdict(int)
        for t in candidates:
            per_category[t.category] += 1
        weights = [CATEGORY_WEIGHTS[t.category] / per_category[t.category] for t in candidates]
        return self.rng.choices(candidates, weights)[0]

    def _created(self, plan: Plan) -> dt.datetime:
        tl, rng = self.tl, self.rng
        window = plan.window
        if plan.track.startswith("fresh_"):
            return tl.office_time(tl.days_ago(rng.randint(*window)))
        if window is GENERAL:
            if rng.random() < FIRST_BATCH_SHARE:
                window = (d(2021, 3, 3), d(2021, 4, 20))
            else:
                years = list(YEAR_WEIGHTS)
                year = rng.choices(years, [YEAR_WEIGHTS[y] for y in years])[0]
                window = (
                    d(2021, 3, 1) if year == 2021 else d(year, 1, 4),
                    d(2026, 8, 31) if year == 2026 else d(year, 12, 20),
                )
        return tl.office_time(tl.day_in(*window))

    def _first_batch_road(self) -> Life:
        """跟踪督办 since the first batch: a park road, extended year after year."""
        enterprise = self.county.by_name["江西力拓汽车零部件有限公司"]
        template = next(t for t in TEMPLATES if t.title.startswith("园区道路缺失"))
        return self._life("long_running", enterprise, template, at(2021, 4, 12, 10))

    def _duplicates(self, history: list[Life]) -> list[Life]:
        """The same problem reported twice: the office merges the second into the first."""
        targets = [life for life in history if life.track in ("closed", "closed_explained")]
        duplicates = []
        for target in self.rng.sample(targets, MERGED):
            day = self.tl.shift(local_date(target.created), self.rng.randint(1, 8))
            life = self._life(
                "merged", target.enterprise, target.template, self.tl.office_time(day)
            )
            life.detail = f"（企业再次反映）{target.detail}"
            life.merge_into = target
            duplicates.append(life)
        return duplicates

    def _uncovered(self) -> list[Life]:
        """One enterprise no task force covers rang the office: entered by the office itself."""
        enterprise = self.county.by_name[UNCOVERED_ENTERPRISES[0][0]]
        template = self._template(enterprise, lead="jrb")
        life = self._life("closed", enterprise, template, at(2023, 6, 13, 15))
        life.source = Case.Source.SELF_REPORT
        return [life]

    def _batch(self, life: Life) -> None:
        if life.track == "merged":
            return
        day = local_date(life.created)
        for batch in self.batches:
            meeting_day = local_date(batch.moment)
            if meeting_day - dt.timedelta(days=BATCH_REACH) <= day < meeting_day:
                if batch is self.batches[0] or self.rng.random() < 0.8:
                    life.batch = batch
                    batch.lives.append(life)
                return

    def _openings(self, lives: list[Life]) -> list[Opening]:
        """Cases found on visits share the visit when they came up within a week of each other."""
        openings = []
        by_enterprise: dict[int, list[Life]] = defaultdict(list)
        for life in lives:
            if life.source == Case.Source.VISIT:
                by_enterprise[life.enterprise.pk].append(life)
            else:
                openings.append(Opening(life.created, life.enterprise, [life]))
        for group in by_enterprise.values():
            group.sort(key=lambda life: life.created)
            current = None
            for life in group:
                joins = (
                    current is not None
                    and life.track not in ("merged",)
                    and not life.track.startswith("fresh_")
                    and current.lives[0].track != "merged"
                    and not current.lives[0].track.startswith("fresh_")
                    and life.created - current.moment < dt.timedelta(days=7)
                    and len(current.lives) < 3
                )
                if joins:
                    life.created = current.moment
                    current.lives.append(life)
                    continue
                current = self._visit(life.enterprise, life.created, [life])
                openings.append(current)
        for opening in openings:
            if opening.cadre is not None:
                titles = "；".join(life.title for life in opening.lives)
                opening.notes += f"企业反映{len(opening.lives)}个问题：{titles}。"
        return openings

    def _visit(self, enterprise, moment: dt.datetime, lives: list[Life]) -> Opening:
        rng = self.rng
        if moment.date() < d(2021, 5, 1):
            kind = Visit.Kind.PUBLICIZE
        else:
            kind = rng.choices(
                [Visit.Kind.INSPECT, Visit.Kind.PUBLICIZE, Visit.Kind.ADVISE], [65, 20, 15]
            )[0]
        notes = KIND_NOTES[kind]
        if kind == Visit.Kind.ADVISE:
            notes += rng.choice(SUGGESTIONS)
        cadre = rng.choice(self.county.cadres[enterprise.pk])
        return Opening(moment, enterprise, lives, cadre=cadre, kind=kind, notes=notes)

    def _plain_visits(self) -> list[Opening]:
        """Visits that found no problem: worth recording too (and all four kinds of 问)."""
        openings = []
        last = self.tl.days_ago(1)
        for enterprise in self.key + self.others:
            share = 0.7 if self.county.is_key(enterprise) else 0.3
            for year in YEAR_WEIGHTS:
                if self.rng.random() >= share:
                    continue
                first = d(2021, 3, 1) if year == 2021 else d(year, 1, 4)
                day = self.tl.day_in(first, min(d(year, 12, 25), last))
                opening = self._visit(enterprise, self.tl.office_time(day), [])
                if self.rng.random() < 0.15:
                    opening.kind = Visit.Kind.RESOLVE
                    opening.notes = (
                        KIND_NOTES[Visit.Kind.RESOLVE] + "企业反映此前问题已解决，暂无新的诉求。"
                    )
                else:
                    opening.notes += "企业暂无新的诉求。"
                openings.append(opening)
        return openings

    # --- running --------------------------------------------------------------------------------

    def run(self, openings: list[Opening]) -> None:
        tracks = {**TRACKS, **STORY_TRACKS}
        for opening in openings:
            try:
                self.r.open(opening)
            except Beyond:
                self.truncated += len(opening.lives)
                continue
            for life in opening.lives:
                try:
                    tracks[life.track](self.r, life)
                except Beyond:
                    self.truncated += 1
