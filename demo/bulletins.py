"""考核 and 奖惩 in the demo county: the office's evaluation rules, kept with their history, and a
few bulletins — praise for 县工信局's transformer of a week (the newspaper's story), and at the end
of the campaign's first quarter and of the last four, praise for the unit that replied most on time
and criticism or a formal talk for another that let cases run late — issued through
cases.bulletins, so the evaluation shows their points and the departments find them.

Nothing here draws from the county's random generator: the rest of the demo comes out as before.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import F, Q

from analysis.models import EvaluationRules
from analysis.rules import default_rules, rules_save, rules_values
from cases.bulletins import bulletin_issue
from cases.models import Bulletin, Case
from cases.workdays import local_date, start_of_day
from demo.enterprises import STEEL
from demo.people import JOINED
from demo.runner import Runner
from enterprises.models import Department

# The office's rules: the first version when the campaign began; the revision of 2024, which
# counts a reply left unrated for ten working days as satisfied and weighs the resolution rate
# more, as the county's 2024 考核办法 did.
RULES = [
    (JOINED, {}, "首版：依据《进贤县“四进四问”工作考核办法（试行）》。"),
    (
        dt.datetime(2024, 1, 2, 9, tzinfo=JOINED.tzinfo),
        {
            "weight_contact": 15,
            "weight_reply": 25,
            "weight_resolve": 25,
            "weight_satisfaction": 25,
            "weight_commitment": 10,
            "unrated": EvaluationRules.Unrated.SATISFIED,
            "unrated_days": 10,
        },
        "2024年修订：企业反馈后满10个工作日未评价的视为满意；提高解决率权重。",
    ),
]
# The quarters whose end brings bulletins: the campaign's first, and the last four before today.
FIRST_QUARTER_END = dt.date(2021, 6, 30)
RECENT_QUARTERS = 4


def issue_rules_and_bulletins(r: Runner) -> list[Bulletin]:
    office = r.county.demo["office"]
    _vertical_units()
    for moment, changes, note in RULES:
        r.at(moment)
        rules_save(
            actor=office,
            values={**rules_values(default_rules()), **changes},
            effective_from=moment.date(),
            note=note,
        )
    bulletins = [_transformer_praise(r, office)]
    for start, end in _quarters(r.tl.today):
        moment = r.tl.office_time(r.tl.workday_from(end + dt.timedelta(days=1)))
        if moment.date() >= r.tl.today:
            continue
        r.at(moment)
        bulletins += _quarter_bulletins(office, start, end, moment)
    return bulletins


def _transformer_praise(r: Runner, office) -> Bulletin:
    """The newspaper's story: 县工信局 got 荣信钢构 a transformer within a week (demo.stories)."""
    case = Case.objects.get(enterprise__name=STEEL, title="电压不稳，无法满负荷生产")
    day = r.tl.workday_from(local_date(case.closed_at) + dt.timedelta(days=1))
    r.at(r.tl.office_time(day))
    return _issue(
        office,
        Bulletin.Kind.PRAISE,
        case.lead_department,
        "关于表扬县工信局一周内解决荣信钢构用电难题的通报",
        "江西进贤荣信钢构公司反映电压不稳、无法满负荷生产。县工信局接到交办后当即上门对接，"
        "协调国网进贤县供电公司增设变压器，一个星期内解决问题，企业非常满意。\n"
        "经县“四进四问”工作领导小组研究，对县工信局予以通报表扬。",
        Case.objects.filter(pk=case.pk),
        r.clock.now(),
    )


def _vertical_units() -> None:
    """The tax bureau is a 县直 bureau by kind but vertically managed (垂管): it is ranked with the
    power company, not with the county's own departments."""
    Department.objects.filter(name="县税务局").update(
        assessment_group=Department.AssessmentGroup.VERTICAL
    )


def _quarters(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    ends = [FIRST_QUARTER_END]
    end = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - dt.timedelta(days=1)
    recent = []
    while len(recent) < RECENT_QUARTERS and end > FIRST_QUARTER_END:
        recent.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
        end = dt.date(end.year, (end.month - 1) // 3 * 3 + 1, 1) - dt.timedelta(days=1)
    ends += sorted(recent)
    return [(dt.date(e.year, e.month - 2, 1), e) for e in ends]


def _quarter_bulletins(office, start: dt.date, end: dt.date, moment: dt.datetime) -> list:
    """Praise for the unit with the most cases of the quarter replied on time; criticism for
    another with the most replied late or overdue at the quarter's end — a formal talk if that
    is three or more. None when nobody stands out."""
    assigned = Case.objects.filter(
        assigned_at__gte=start_of_day(start),
        assigned_at__lt=start_of_day(end + dt.timedelta(days=1)),
        lead_department__isnull=False,
    ).exclude(status=Case.Status.MERGED)
    closing = start_of_day(end + dt.timedelta(days=1))
    on_time = Counter(
        assigned.filter(replied_at__lte=F("resolve_due_at")).values_list(
            "lead_department", flat=True
        )
    )
    late = Counter(
        assigned.filter(
            Q(replied_at__gt=F("resolve_due_at"))
            | Q(replied_at__isnull=True, resolve_due_at__lt=closing)
        ).values_list("lead_department", flat=True)
    )
    quarter = f"{end.year}年第{(end.month - 1) // 3 + 1}季度"
    issued = []
    if on_time:
        best, count = max(on_time.items(), key=lambda item: (item[1], -item[0]))
        department = Department.objects.get(pk=best)
        issued.append(
            _issue(
                office,
                Bulletin.Kind.PRAISE,
                department,
                f"关于表扬{department.name}{quarter}高效办理企业诉求的通报",
                f"{quarter}，{department.name}牵头办理的企业问题中有{count}件在办结期限内反馈办理结果，"
                "对接及时、措施有力，企业评价较好。经县“四进四问”工作领导小组研究，予以通报表扬。\n"
                "希望各单位以先进为榜样，把企业诉求办实办好。",
                assigned.filter(lead_department=department, replied_at__lte=F("resolve_due_at")),
                moment,
            )
        )
    praised = {b.department_id for b in issued}
    late = Counter({dept: n for dept, n in late.items() if dept not in praised})
    if late:
        worst, count = max(late.items(), key=lambda item: (item[1], -item[0]))
        department = Department.objects.get(pk=worst)
        kind = Bulletin.Kind.INTERVIEW if count >= 3 else Bulletin.Kind.CRITICISM
        action = "约谈该单位主要负责人" if kind == Bulletin.Kind.INTERVIEW else "予以通报批评"
        issued.append(
            _issue(
                office,
                kind,
                department,
                f"关于{department.name}{quarter}企业诉求办理超期问题的通报",
                f"{quarter}，{department.name}牵头办理的企业问题中有{count}件未在办结期限内反馈，"
                f"影响企业发展。经县“四进四问”工作领导小组研究，{action}。\n"
                "请该单位认真查找原因，限期整改，并将整改情况书面报县委办。",
                assigned.filter(lead_department=department).filter(
                    Q(replied_at__gt=F("resolve_due_at"))
                    | Q(replied_at__isnull=True, resolve_due_at__lt=closing)
                ),
                moment,
            )
        )
    return issued


def _issue(office, kind, department, title, text, cases, moment) -> Bulletin:
    return bulletin_issue(
        actor=office,
        kind=kind,
        department=department,
        title=title,
        text=text,
        cases=list(cases.order_by("number")[:10]),
        now=moment,
    )
