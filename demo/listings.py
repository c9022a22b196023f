"""挂牌督办 in the demo county today: of the cases the ladder proposes (建议挂牌, three working days
late), the office has listed the two longest late, each with its reason; the county head (县长, the
demo login `leadership`) has written a 批示 on the first. The others wait on the board as
proposals, for the office to decide."""

from __future__ import annotations

import datetime as dt

from cases import workflow
from cases.deadlines import FLAGGED, current_due_at, reached_q
from cases.models import Case
from cases.selectors import work_calendar
from demo.runner import Runner

REASONS = [
    "逾期已超过3个工作日，企业多次来电反映，经县委办研究列入挂牌督办，请牵头部门限期办结。",
    "调度会议定：此问题久拖未决，列入挂牌督办，办理情况每周报县委办。",
]
INSTRUCTION = "请牵头部门主要负责人亲自过问，一周内拿出解决方案，办理情况报县政府。"


def list_flagged(r: Runner) -> list[Case]:
    """The office lists the two cases longest late on the ladder's top level; the 县长 instructs
    on the first. Done a few hours before the present, after the rest of the history."""
    now = r.clock.horizon
    proposed = list(
        Case.objects.filter(reached_q(FLAGGED, now, work_calendar()), listed_at__isnull=True)
        .annotate(due=current_due_at())
        .order_by("due", "pk")[: len(REASONS)]
    )
    office = r.county.actor(r.county.demo["office"])
    for n, (case, reason) in enumerate(zip(proposed, REASONS, strict=False)):
        moment = r.at(now - dt.timedelta(hours=4 - n))
        workflow.case_list(actor=office, case=case, reason=reason, now=moment)
    if proposed:
        r.at(now - dt.timedelta(hours=1))
        leadership = r.county.actor(r.county.demo["leadership"])
        workflow.case_instruct(actor=leadership, case=proposed[0], text=INSTRUCTION)
    return proposed
