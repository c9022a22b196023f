"""The meetings of the campaign, with minutes (纪要): the 交办会 that hand out each batch (the
first on 22 April 2021), the office's regular 调度会, and the task forces' own reviews."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from cases.models import Case, Meeting
from cases.workdays import end_of_day
from demo.enterprises import STEEL
from demo.runner import Batch, Life, Runner
from taskforces.models import TaskForceMember

# 调度会: monthly in the campaign's first year, then once a quarter.
DISPATCH_DAYS = [dt.date(2021, m, 27) for m in range(5, 13)] + [
    dt.date(y, m, 25) for y in range(2022, 2027) for m in (2, 5, 8, 11)
]


def hold_meetings(r: Runner, batches: list[Batch], lives: list[Life]) -> list[Meeting]:
    meetings = []
    for batch in batches:
        meetings.append(_assignment_meeting(r, batch))
    for day in DISPATCH_DAYS:
        day = r.tl.workday_from(day)
        if day < r.tl.today:
            meetings.append(_dispatch_meeting(r, day, lives))
    meetings += _task_force_reviews(r, lives)
    return [m for m in meetings if m is not None]


def _meeting(r: Runner, *, held: dt.datetime, cases, created_by, **fields) -> Meeting:
    r.at(held)
    meeting = Meeting.objects.create(held_on=held.date(), created_by=created_by, **fields)
    meeting.cases.set(cases)
    return meeting


def _leaders(r: Runner, n: int = 3) -> str:
    return "、".join(u.get_full_name() for u in r.county.leaders[:n])


def _assignment_meeting(r: Runner, batch: Batch) -> Meeting | None:
    cases = list(
        Case.objects.filter(batch=batch.name).select_related("category", "lead_department")
    )
    if not cases:
        return None
    categories = Counter(c.category.name for c in cases)
    leads = sorted(
        {c.lead_department.short_name or c.lead_department.name for c in cases if c.lead_department}
    )
    summary = "、".join(f"{name}{n}个" for name, n in categories.most_common())
    if batch.name == "第一批":
        opening = (
            "县“四进四问”领导小组将此前各职能部门下沉到企业分别摸排出的第一批508个问题分门别类、"
            "指定牵头部门，集中交办。摸排到的问题涉及道路交通完善、金融融资扶持、企业人才需求等；"
            "能处理的及时处理到位，有政策障碍的解释到位。"
        )
    else:
        opening = f"县“四进四问”领导小组办公室集中交办{batch.name}企业问题。"
    return _meeting(
        r,
        held=batch.moment,
        cases=cases,
        created_by=r.county.heads["office"],
        kind=Meeting.Kind.ASSIGNMENT,
        title=f"“四进四问”{batch.name}问题交办会",
        attendees=f"县领导{_leaders(r)}；县“四进四问”领导小组成员单位及{('、'.join(leads))}主要负责人",
        minutes=(
            f"{opening}本批录入系统{len(cases)}个问题，其中{summary}。"
            "各问题均已明确牵头部门、协办单位和办结时限。"
        ),
        decisions=(
            "1. 各责任单位接到交办函后3个工作日内与企业对接沟通、协调处理；\n"
            "2. 按照“工作项目化、项目责任化、责任清单化”要求细化分解，"
            "做到有分解、有措施、有调度、有纪要、有反馈、有奖惩；\n"
            "3. 处理结果及时反馈企业，并同步函告县委办销号。"
        ),
    )


def _open_on(life: Life, day: dt.date) -> bool:
    moment = end_of_day(day)
    return (
        life.case is not None
        and life.assigned_at is not None
        and life.assigned_at <= moment
        and (life.replied_at is None or life.replied_at > moment)
    )


def _dispatch_meeting(r: Runner, day: dt.date, lives: list[Life]) -> Meeting:
    moment = end_of_day(day)
    assigned = [life for life in lives if life.assigned_at and life.assigned_at <= moment]
    replied = [life for life in assigned if life.replied_at and life.replied_at <= moment]
    closed = [life for life in assigned if life.closed_at and life.closed_at <= moment]
    in_hand = [life for life in assigned if _open_on(life, day)]
    overdue = sorted(
        (life for life in in_hand if life.resolve_due_at < moment),
        key=lambda life: life.resolve_due_at,
    )
    discussed = (overdue or in_hand)[:10]
    return _meeting(
        r,
        held=r.tl.moment(day, 15),
        cases=[life.case for life in discussed],
        created_by=r.county.heads["office"],
        kind=Meeting.Kind.DISPATCH,
        title=f"“四进四问”工作调度会（{day.year}年{day.month}月）",
        attendees=f"县领导{_leaders(r, 2)}；县委办；各牵头部门分管负责人",
        minutes=(
            f"截至{day.year}年{day.month}月{day.day}日，累计交办问题{len(assigned)}个，已反馈{len(replied)}个，"
            f"已销号{len(closed)}个，办理中{len(in_hand)}个，其中超过办结期限{len(overdue)}个。"
            "会议逐个听取超期问题牵头部门的情况汇报，分析症结，明确下一步措施。"
        ),
        decisions=(
            "1. 超期问题牵头部门须在5个工作日内重新与企业对接并报送进展；\n"
            "2. 对需长时间跟踪解决的问题循序推进、跟踪督办；\n"
            "3. 对连续超期的单位在全县通报。"
        ),
    )


def _task_force_reviews(r: Runner, lives: list[Life]) -> list[Meeting]:
    """逐个研究: each key task force reviews its enterprise's problems from time to time."""
    meetings = []
    steel = r.county.by_name[STEEL]
    reviews = [(steel, dt.date(2021, 4, 20))]
    for enterprise in r.county.enterprises:
        if enterprise.pk not in r.county.key_task_force:
            continue
        for year in range(2022, 2027):
            if r.rng.random() < 0.25:
                day = r.tl.day_in(dt.date(year, 5, 6), dt.date(year, 6, 30))
                if day < r.tl.today:
                    reviews.append((enterprise, day))
    for enterprise, day in reviews:
        own = [life for life in lives if life.enterprise == enterprise and life.case is not None]
        if enterprise == steel and day == dt.date(2021, 4, 20):
            discussed = [
                life for life in own if life.batch is not None and life.created.year == 2021
            ]
        else:
            discussed = [life for life in own if _open_on(life, day)]
        if not discussed:
            continue
        task_force = r.county.key_task_force[enterprise.pk]
        members = task_force.members.select_related("user").order_by("role", "pk")
        leader = next(m.user for m in members if m.role == TaskForceMember.Role.LEADER)
        names = "、".join(m.user.get_full_name() for m in members)
        titles = "；".join(f"{life.case.number} {life.case.title}" for life in discussed)
        meetings.append(
            _meeting(
                r,
                held=r.tl.moment(day, 16),
                cases=[life.case for life in discussed],
                created_by=leader,
                task_force=task_force,
                kind=Meeting.Kind.TASKFORCE_REVIEW,
                title=f"{task_force.name}问题研究会",
                attendees=names,
                minutes=f"专班逐个研究{r.county.short(enterprise)}反映的问题：{titles}。",
                decisions="各问题明确牵头部门和结对干部跟踪责任，结对干部每周与企业对接一次。",
            )
        )
    return meetings
