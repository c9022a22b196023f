"""交办函 of the demo's 交办会: the office issues one to each lead department the afternoon of the
meeting (cases.letters, so each takes its 文号 and the department is told), and a clerk there signs
its 回执 within a couple of working days — all but a few, most of them from the latest meeting,
which are still waiting when the demo starts."""

from __future__ import annotations

import datetime as dt
import random

from cases.letters import letter_cases, letter_contact_defaults, letter_issue, letter_sign
from cases.models import AssignmentLetter, Meeting
from demo.clock import Beyond
from demo.runner import Runner
from enterprises.models import Department

# Their own random numbers, so the rest of the county comes out as it did before the letters.
SEED = "letters"
UNSIGNED_LATEST, UNSIGNED_EARLIER = 0.5, 0.05


def issue_letters(r: Runner, meetings: list[Meeting]) -> list[AssignmentLetter]:
    rng = random.Random(SEED)
    assignment = sorted(
        (m for m in meetings if m.kind == Meeting.Kind.ASSIGNMENT), key=lambda m: m.held_on
    )
    letters = []
    for meeting in assignment:
        unsigned = UNSIGNED_LATEST if meeting is assignment[-1] else UNSIGNED_EARLIER
        for department in _lead_departments(meeting):
            letter = _issue(r, meeting, department)
            if letter is None:
                continue
            letters.append(letter)
            if rng.random() >= unsigned:
                _sign(r, rng, letter)
    return letters


def _lead_departments(meeting: Meeting) -> list[Department]:
    ids = {c.lead_department_id for c in meeting.cases.all() if c.lead_department_id}
    departments = Department.objects.filter(pk__in=ids).order_by("name")
    return [d for d in departments if letter_cases(meeting, d).exists()]


def _issue(r: Runner, meeting: Meeting, department: Department) -> AssignmentLetter | None:
    office = r.county.actor(r.county.clerks["office"][0])
    try:
        moment = r.at(r.tl.moment(r.tl.workday_from(meeting.held_on), 16))
    except Beyond:
        return None
    return letter_issue(
        actor=office,
        meeting=meeting,
        department=department,
        now=moment,
        **letter_contact_defaults(office.user),
    )


def _sign(r: Runner, rng: random.Random, letter: AssignmentLetter) -> None:
    clerks = r.county.clerks.get(r.county.code_of(letter.department))
    if not clerks:
        return
    clerk = clerks[0] if rng.random() < 0.7 else rng.choice(clerks)
    day = r.tl.shift(r.tl.workday_from(letter.issued_at.date()), rng.randint(0, 2))
    moment = r.tl.moment(day, rng.randint(9, 16), rng.randint(0, 59))
    moment = max(moment, letter.issued_at + dt.timedelta(minutes=rng.randint(20, 90)))
    try:
        r.at(moment)
    except Beyond:
        return
    note = rng.choice(["", "", "已安排专人对接，三个工作日内联系企业。", "已转分管领导阅处。"])
    letter_sign(actor=r.county.actor(clerk), letter=letter, note=note, now=moment)
