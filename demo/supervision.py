"""督办单 in the demo county: two notices to 县工信局 (the demo department login `dept`) on its
most overdue cases — one issued a couple of weeks ago and answered, one issued two working days
ago and still waiting for its answer — so `make run` shows both states."""

from __future__ import annotations

from django.db.models import Max

from cases import supervision_notices as notices
from cases.models import SupervisionNotice
from demo.runner import Runner

ANSWERED_TEXT = (
    "你单位牵头的上述问题均已超过办结期限。请主要负责人亲自过问，五个工作日内逐一与企业对接，"
    "明确解决时限和责任人，并将落实情况书面报县委办。"
)
ANSWER = (
    "收到督办单后，局主要负责人召开专题会议逐一研究：已于次日上门与企业对接，"
    "明确分管领导和责任股室；其中用地问题已协调自然资源局出具意见，"
    "其余问题列出整改时间表，每周向县委办报送一次进展。"
)
WAITING_TEXT = (
    "上述问题逾期未办结，企业多次催办。请于回复期限前报送整改方案，"
    "说明逾期原因、下一步措施和办结时间。"
)


def issue_supervision_notices(r: Runner) -> list[SupervisionNotice]:
    """The two notices, each on cases still open when it is issued."""
    department = r.county.dept("gxj")
    office = r.county.office_head()
    clerk = r.county.actor(r.county.demo["dept"])
    issued = []
    plans = [
        (r.tl.days_ago(12), 3, ANSWERED_TEXT, r.tl.days_ago(8)),
        (r.tl.days_ago(2), 2, WAITING_TEXT, None),
    ]
    taken: set[int] = set()
    for day, count, text, answered_on in plans:
        moment = r.tl.moment(day, 10, 30)
        # A timeline is written in order: only cases whose history was over by then.
        candidates = notices.cases_to_supervise(department).annotate(
            last_event=Max("events__created_at")
        )
        cases = list(candidates.filter(last_event__lt=moment).exclude(pk__in=taken)[:count])
        if not cases:
            continue
        taken.update(case.pk for case in cases)
        r.at(moment)
        notice = notices.supervision_notice_issue(
            actor=office, department=department, cases=cases, text=text, now=moment
        )
        if answered_on is not None:
            answered = r.tl.moment(answered_on, 16, 20)
            r.at(answered)
            notices.supervision_notice_answer(
                actor=clerk, notice=notice, answer=ANSWER, now=answered
            )
        issued.append(notice)
    return issued
