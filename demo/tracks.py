"""The tracks a case's life can follow, from 待交办 to 已销号 and every detour of DESIGN §4.

A track is a function of the runner and the life. Historical tracks step forward from the case's
creation with realistic gaps; recent ones (``fresh_…``) are pinned to working days before today,
so the county always has work waiting: cases to triage, deadlines running, ratings to give.
"""

from __future__ import annotations

import datetime as dt

from cases.closeout import unrated_close_after
from cases.models import Case
from cases.workdays import end_of_day, local_date
from demo.runner import Life, Runner

R = Case.Rating


def assign_moment(r: Runner, life: Life) -> dt.datetime:
    if life.batch is not None:
        return life.batch.moment + dt.timedelta(minutes=r.rng.randint(0, 90))
    return r.tl.after(life.created, 0, 2)


def _recent(r: Runner) -> dt.datetime:
    """The last moment a step may take: yesterday's close of office (today is still to come)."""
    return r.tl.moment(r.tl.days_ago(1), 17, 30)


def handled(r: Runner, life: Life, *, assigned: dt.datetime | None = None) -> dt.datetime:
    """Assigned, accepted and worked on; answers the moment the reply is due to go out."""
    t = assigned or r.assign(life, assign_moment(r, life))
    t = r.accept(life, r.accept_moment(life, t))
    reply_at = r.reply_moment(life, t)
    r.work(life, t, reply_at)
    return reply_at


def rated_and_closed(r: Runner, life: Life, t: dt.datetime, *, rate_share: float = 0.8) -> None:
    rated = False
    if r.rng.random() < rate_share:
        t = r.tl.after(t, 1, 8)
        if life.outcome == Case.Outcome.EXPLAINED:
            level = r.rng.choices(
                [R.BASICALLY_SATISFIED, R.SATISFIED, R.VERY_SATISFIED], [5, 4, 1]
            )[0]
        else:
            level = r.satisfied()
        rated = r.rate(life, t, level)
    if rated:
        r.close(life, r.tl.after(t, 1, 6))
    else:  # 未评价: the office closes it once the reply has waited its working days
        wait = unrated_close_after()
        r.close(life, r.tl.after(t, wait, wait + 5))


def redo(r: Runner, life: Life, t: dt.datetime) -> dt.datetime:
    """After a dissatisfied rating reopened it: more work, and a second reply."""
    reply_at = r.reply_moment(life, t)
    r.work(life, t, reply_at, notes=(1, 2))
    return r.reply(life, reply_at, Case.Outcome.RESOLVED)


# --- historical tracks ------------------------------------------------------------------------


def closed(r: Runner, life: Life) -> None:
    t = r.reply(life, handled(r, life))
    rated_and_closed(r, life, t)


def redo_closed(r: Runner, life: Life) -> None:
    t = r.reply(life, handled(r, life))
    t = r.tl.after(t, 1, 6)
    r.rate(life, t, r.rng.choice([R.DISSATISFIED, R.VERY_DISSATISFIED]))
    t = redo(r, life, t)
    t = r.tl.after(t, 1, 6)
    r.rate(life, t, r.satisfied())
    r.close(life, r.tl.after(t, 1, 5))


def appeal_closed(r: Runner, life: Life) -> None:
    t = r.reply(life, handled(r, life))
    t = r.tl.after(t, 1, 5)
    r.rate(life, t, R.VERY_DISSATISFIED)
    t = r.appeal(life, r.tl.after(t, 0, 2))
    t = r.decide_appeal(life, r.tl.after(t, 1, 4), uphold=life.variant == "upheld")
    t = redo(r, life, t)
    rated_and_closed(r, life, t, rate_share=1.0)


def return_reassigned(r: Runner, life: Life) -> None:
    wrong = life.co[0] if life.co else r.county.dept(r.rng.choice(["gxj", "fgw", "swj"]))
    if wrong == life.lead:
        wrong = r.county.dept("fgw" if life.lead != r.county.dept("fgw") else "gxj")
    t = r.assign(life, assign_moment(r, life), lead=wrong)
    t = r.return_(life, r.tl.after(t, 0, 2), right=life.lead)
    t = r.assign(life, r.tl.after(t, 1, 3), note="根据退回意见，重新交办。")
    rated_and_closed(r, life, r.reply(life, handled(r, life, assigned=t)))


def return_refused_closed(r: Runner, life: Life) -> None:
    t = r.assign(life, assign_moment(r, life))
    t = r.return_(life, r.tl.after(t, 0, 2), right=r.county.dept("fgw"))
    t = r.refuse_return(life, r.tl.after(t, 1, 2))
    rated_and_closed(r, life, r.reply(life, handled(r, life, assigned=t)))


def office_reopen(r: Runner, life: Life) -> None:
    t = r.reply(life, handled(r, life))
    t = r.tl.after(t, 1, 5)
    r.rate(life, t, r.satisfied())
    t = r.close(life, r.tl.after(t, 1, 5))
    t = r.reopen(life, r.tl.after(t, 10, 40), "企业再次反映问题出现反复，县委办决定重新办理。")
    if life.variant == "open":
        r.work(life, t, min(r.tl.after(t, 5, 15), _recent(r)), notes=(1, 2))
        return
    rated_and_closed(r, life, redo(r, life, t), rate_share=1.0)


def merged(r: Runner, life: Life) -> None:
    r.merge(life, r.tl.after(life.created, 1, 3))


def long_running(r: Runner, life: Life) -> None:
    """跟踪督办: a long job, its deadline extended step by step, still in hand today."""
    t = r.assign(life, assign_moment(r, life))
    t = r.accept(life, r.tl.after(t, 0, 2))
    horizon = _recent(r)
    while life.case.resolve_due_at < horizon + dt.timedelta(days=20):
        due = life.case.resolve_due_at
        ask_day = min(r.tl.shift(local_date(due), -r.rng.randint(1, 3)), r.tl.days_ago(2))
        ask = max(r.tl.office_time(ask_day), t + dt.timedelta(hours=1))
        if ask >= due:
            break  # an extension is asked before the deadline, never after: overdue it stays
        r.work(life, t, ask, notes=(1, 2))
        new_due = end_of_day(r.tl.shift(local_date(due), r.rng.randint(100, 240)))
        t = r.request_extension(life, ask, new_due)
        t = r.decide_extension(life, min(r.tl.after(t, 0, 2), horizon), approve=True)
    r.work(life, t, min(r.tl.after(t, 5, 20), horizon), notes=(1, 2))


def overdue_in_progress(r: Runner, life: Life) -> None:
    t = r.assign(life, assign_moment(r, life))
    t = r.accept(life, r.accept_moment(life, t))
    end = min(r.tl.after(life.case.resolve_due_at, 5, 30), _recent(r))
    r.work(life, t, end, commitments="missed")


def assigned_overdue(r: Runner, life: Life) -> None:
    r.assign(life, assign_moment(r, life))


def replied(r: Runner, life: Life) -> None:
    t = r.reply(life, handled(r, life))
    if life.variant == "rated":
        r.rate(life, r.tl.after(t, 1, 6), r.satisfied())


def suspended(r: Runner, life: Life) -> None:
    t = r.assign(life, assign_moment(r, life))
    t = r.accept(life, r.accept_moment(life, t))
    ask = r.tl.between(t, max(life.case.resolve_due_at, t + dt.timedelta(days=3)), 1)[0]
    r.work(life, t, ask, notes=(1, 2))
    t = r.request_suspension(life, ask)
    t = r.decide_suspension(life, r.tl.after(t, 0, 2))
    if life.variant != "resumed":
        return
    t = r.resume(life, r.tl.after(t, 5, 20))
    reply_at = r.reply_moment(life, t)
    r.work(life, t, reply_at, notes=(1, 2))
    rated_and_closed(r, life, r.reply(life, reply_at))


# --- recent tracks, pinned to working days before today ----------------------------------------


def _day(r: Runner, n: int) -> dt.datetime:
    return r.tl.office_time(r.tl.days_ago(max(1, n)))


def _ago(r: Runner, life: Life) -> int:
    """How many working days ago the case came in."""
    created, n = local_date(life.created), 1
    while r.tl.days_ago(n) > created:
        n += 1
    return n


def _in_hand(r: Runner, life: Life, assign_ago: int, accept_ago: int) -> dt.datetime:
    t = r.assign(life, max(_day(r, assign_ago), life.created + dt.timedelta(minutes=30)))
    return r.accept(life, max(_day(r, accept_ago), t + dt.timedelta(minutes=30)))


def fresh_submitted(r: Runner, life: Life) -> None:
    """Waiting for the office to triage it."""


def fresh_returned(r: Runner, life: Life) -> None:
    """Sent to the wrong department, which returned it: back with the office to reassign."""
    k = _ago(r, life)
    wrong = r.county.dept("fgw" if life.lead != r.county.dept("fgw") else "gxj")
    t = r.assign(life, _day(r, k - 1), lead=wrong)
    r.return_(life, max(_day(r, k - 2), t + dt.timedelta(hours=1)), right=life.lead)


def fresh_assigned(r: Runner, life: Life) -> None:
    k = _ago(r, life)
    if life.variant == "paper":
        # 据纸质台账补录: entered today-ish, assigned on its real (earlier) date; already overdue.
        r.assign(
            life,
            life.created + dt.timedelta(minutes=20),
            assigned_at=_day(r, k + r.rng.randint(5, 8)),
            note="据纸质交办台账补录，交办时间按交办函日期登记。",
        )
        return
    r.assign(life, max(_day(r, k - 1), life.created + dt.timedelta(minutes=30)))


def fresh_designated(r: Runner, life: Life) -> None:
    k = _ago(r, life)
    t = r.assign(life, _day(r, k - 1))
    t = r.return_(life, max(_day(r, k - 2), t + dt.timedelta(hours=1)), right=r.county.dept("fgw"))
    r.refuse_return(life, max(_day(r, k - 3), t + dt.timedelta(hours=1)))


def fresh_in_progress(r: Runner, life: Life) -> None:
    k = _ago(r, life)
    t = _in_hand(r, life, k - 1, k - 2)
    r.work(life, t, _day(r, 1) + dt.timedelta(hours=1), commitments="open")


def fresh_extension(r: Runner, life: Life) -> None:
    """The resolve deadline is near: the department asks for more time (refused, now and then)."""
    days = life.case.category.default_resolve_days
    assign_ago = min(days - 1, r.rng.randint(4, 8))
    t = _in_hand(r, life, assign_ago, assign_ago - 1)
    ask = max(_day(r, 2), t + dt.timedelta(hours=1))
    r.work(life, t, ask, notes=(1, 1), commitments="open")
    due = end_of_day(r.tl.shift(local_date(life.case.resolve_due_at), r.rng.randint(10, 20)))
    t = r.request_extension(life, ask, due, "需协调上级部门审批，申请延长办结期限。")
    if life.variant == "refused":
        r.decide_extension(life, max(_day(r, 1), t + dt.timedelta(hours=1)), approve=False)


def fresh_suspension(r: Runner, life: Life) -> None:
    t = _in_hand(r, life, 10, 9)
    ask = _day(r, 2)
    r.work(life, t, ask, notes=(1, 2), commitments="open")
    r.request_suspension(life, ask)


def fresh_reopened(r: Runner, life: Life) -> None:
    t = _in_hand(r, life, 19, 18)
    reply_at = _day(r, 8)
    r.work(life, t, reply_at)
    r.reply(life, reply_at)
    r.rate(life, _day(r, 6), r.rng.choice([R.DISSATISFIED, R.VERY_DISSATISFIED]))
    if life.variant in ("appealed", "rejected"):
        t = r.appeal(life, _day(r, 5))
        if life.variant == "rejected":
            r.decide_appeal(life, _day(r, 3), uphold=False)
    r.progress(life, _day(r, 2), "已重新上门与企业对接，制定整改方案。")


def fresh_replied(r: Runner, life: Life) -> None:
    k = _ago(r, life)
    t = _in_hand(r, life, k - 1, k - 2)
    reply_at = _day(r, 5 if life.variant == "rated" else r.rng.randint(1, 3))
    r.work(life, t, reply_at)
    r.reply(life, reply_at)
    if life.variant == "rated":
        r.rate(life, _day(r, r.rng.randint(2, 4)), r.satisfied())


TRACKS = {
    "closed": closed,
    "closed_explained": closed,
    "redo_closed": redo_closed,
    "appeal_closed": appeal_closed,
    "return_reassigned": return_reassigned,
    "return_refused_closed": return_refused_closed,
    "office_reopen": office_reopen,
    "merged": merged,
    "long_running": long_running,
    "overdue_in_progress": overdue_in_progress,
    "assigned_overdue": assigned_overdue,
    "replied": replied,
    "suspended": suspended,
    "fresh_submitted": fresh_submitted,
    "fresh_returned": fresh_returned,
    "fresh_assigned": fresh_assigned,
    "fresh_designated": fresh_designated,
    "fresh_in_progress": fresh_in_progress,
    "fresh_extension": fresh_extension,
    "fresh_suspension": fresh_suspension,
    "fresh_reopened": fresh_reopened,
    "fresh_replied": fresh_replied,
}
