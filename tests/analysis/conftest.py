"""A small county's spring of 2021, every case driven through the real workflow at its moment.

Every figure the analysis pages show is checked against numbers worked out by hand from this
story (the comments give the arithmetic). "Now" is Tuesday 15 June 2021, 10:00 Beijing time.

The working-day calendar of 2021 matters: Sunday 25 April and Saturday 8 May were working days
(调休 for May Day), 1–5 May and 12–14 June (端午) were holidays.

Enterprises: 荣信钢构 (steel, 民和镇, covered by the task force; Eva is its contact) and
桂柳家禽 (food, 李渡镇, covered by none; Bea is its contact).

A  steel  用电用能  assigned Thu 22 Apr 10:00 → 工信局, contact due Mon 26 Apr (Sun 25 worked).
   Contacted Sun 25 Apr — on time, 2 working days. Replied Sat 8 May (a working day) — the
   resolve deadline of 10 working days falls that very Saturday: on time, 10 working days.
   Rated 非常满意, closed 11 May. Had Mon–Fri been the calendar, contact would have taken 1 day.
B  steel  用电用能  assigned 22 Apr 11:00 → 工信局. Contacted Tue 27 Apr: LATE (a Mon–Fri clock
   would have said on time). Commitment due 5 May, kept 5 May. Replied 7 May; rated
   非常不满意 9 May (reopened); 工信局 appealed, the office upheld it: the rating is excluded.
   Replied again 20 May (due 21 May: on time), rated 满意 21 May. Waits for close-out.
C  food   用电用能  assigned Thu 6 May → 工信局, contact due Mon 10 May; contacted Sat 8 May (on
   time, 2 days). Replied 12 May, rated 不满意 13 May: reopened, new resolve due 27 May, never
   replied again → overdue, and flagged (3+ working days late).
D  food   用电用能  assigned Tue 1 Jun → 工信局, contact due Fri 4 Jun, never contacted → overdue,
   flagged.
E  steel  用电用能  assigned 6 May → 人社局, who returned it 7 May; assigned 10 May → 工信局,
   contacted 12 May (on time, 2 days). Extension asked 20 May, approved 21 May (due 30 Jun).
   Commitments: due 10 Jun (missed) and due 20 Jun (still open).
F  food   用工人才  recorded 10 Jun, waiting for triage.
G  steel  用工人才  found on Carl's visit of 17 May; assigned 17 May → 人社局, contacted 18 May
   (on time, 1 day).
H  food   a duplicate of F, merged into it: counted nowhere.
Carl also visited 荣信钢构 on 10 April and found nothing.
"""

from __future__ import annotations

import datetime as dt
import inspect
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases import intake, workflow
from cases.intake import Problem
from cases.models import Case
from enterprises.models import Department, Enterprise
from tests.conftest import CHINA

NOW = dt.datetime(2021, 6, 15, 10, 0, tzinfo=CHINA)


def at(y, m, d, hh=10, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=CHINA)


@contextmanager
def frozen(moment: dt.datetime):
    """timezone.now() answers `moment` inside the block (auto_now_add stamps included)."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield moment


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@dataclass
class Spring:
    county: object
    A: Case
    B: Case
    C: Case
    D: Case
    E: Case
    F: Case
    G: Case
    H: Case


def _step(moment, fn, **kwargs):
    with frozen(moment):
        takes_now = "now" in inspect.signature(fn).parameters
        return fn(now=moment, **kwargs) if takes_now else fn(**kwargs)


@pytest.fixture
def spring(county) -> Spring:
    cache.clear()  # no snapshot of the figures (analysis.snapshots) from another story
    c = county
    minhe = Department.objects.create(name="民和镇", kind=Department.Kind.TOWNSHIP)
    lidu = Department.objects.create(name="李渡镇", kind=Department.Kind.TOWNSHIP)
    Enterprise.objects.filter(pk=c.steel.pk).update(
        industry=Enterprise.Industry.STEEL, township=minhe
    )
    Enterprise.objects.filter(pk=c.poultry.pk).update(
        industry=Enterprise.Industry.FOOD, township=lidu
    )
    power, labour = c.power_category, c.labour_category

    def new(moment, enterprise, title, category=power):
        return _step(
            moment,
            intake.case_create,
            actor=c.office,
            enterprise=enterprise,
            title=title,
            description="",
            category=category,
            source=Case.Source.VISIT,
        )

    def assign(moment, case, dept):
        return _step(moment, workflow.case_assign, actor=c.office, case=case, lead_department=dept)

    def accept(moment, case, who=None):
        return _step(
            moment, workflow.case_accept, actor=who or c.dan, case=case, contact_note="已电话对接"
        )

    def reply(moment, case):
        return _step(
            moment, workflow.case_reply, actor=c.dan, case=case, outcome="resolved", reply="已办结"
        )

    def rate(moment, case, rating, who):
        return _step(moment, workflow.case_rate, actor=who, case=case, rating=rating)

    # Carl's visit with nothing to report.
    _step(
        at(2021, 4, 10),
        intake.visit_create,
        actor=c.carl,
        enterprise=c.steel,
        visited_on=dt.date(2021, 4, 10),
        kind="inspect",
    )

    A = new(at(2021, 4, 22, 9), c.steel, "电压不稳，无法满负荷生产")
    assign(at(2021, 4, 22, 10), A, c.gxj)
    accept(at(2021, 4, 25, 9), A)
    reply(at(2021, 5, 8, 15), A)
    rate(at(2021, 5, 10), A, "very_satisfied", c.eva)
    _step(at(2021, 5, 11), workflow.case_close, actor=c.office, case=A)

    B = new(at(2021, 4, 22, 9, 30), c.steel, "电费成本偏高")
    assign(at(2021, 4, 22, 11), B, c.gxj)
    accept(at(2021, 4, 27, 9), B)
    promise = _step(
        at(2021, 4, 28),
        workflow.case_add_commitment,
        actor=c.dan,
        case=B,
        text="5月5日前完成电价核对",
        due_on=dt.date(2021, 5, 5),
    )
    _step(at(2021, 5, 5), workflow.commitment_keep, actor=c.dan, commitment=promise)
    reply(at(2021, 5, 7), B)
    rate(at(2021, 5, 9), B, "very_dissatisfied", c.eva)
    _step(
        at(2021, 5, 10),
        workflow.case_appeal_rating,
        actor=c.dan,
        case=B,
        reason="企业诉求超出政策范围",
    )
    _step(at(2021, 5, 11), workflow.case_decide_appeal, actor=c.office, case=B, uphold=True)
    reply(at(2021, 5, 20), B)
    rate(at(2021, 5, 21), B, "satisfied", c.eva)

    C = new(at(2021, 5, 6, 9), c.poultry, "电压不稳定，无法满负荷运行")
    assign(at(2021, 5, 6, 9, 30), C, c.gxj)
    accept(at(2021, 5, 8), C)
    reply(at(2021, 5, 12), C)
    rate(at(2021, 5, 13), C, "dissatisfied", c.bea)

    D = new(at(2021, 6, 1, 8), c.poultry, "电费成本太高")
    assign(at(2021, 6, 1, 9), D, c.gxj)

    E = new(at(2021, 5, 6, 10), c.steel, "新上生产线需电力增容")
    assign(at(2021, 5, 6, 10, 30), E, c.rsj)
    _step(at(2021, 5, 7), workflow.case_return, actor=c.ren, case=E, reason="不归我们管")
    assign(at(2021, 5, 10, 9), E, c.gxj)
    accept(at(2021, 5, 12), E)
    _step(
        at(2021, 5, 20),
        workflow.case_request_extension,
        actor=c.dan,
        case=E,
        resolve_due_at=dt.datetime(2021, 6, 30, 23, 59, 59, tzinfo=CHINA),
        reason="设备到货需时间",
    )
    _step(at(2021, 5, 21), workflow.case_decide_extension, actor=c.office, case=E, approve=True)
    _step(
        at(2021, 5, 20, 11),
        workflow.case_add_commitment,
        actor=c.dan,
        case=E,
        text="6月10日前完成设备调试",
        due_on=dt.date(2021, 6, 10),
    )
    _step(
        at(2021, 5, 20, 12),
        workflow.case_add_commitment,
        actor=c.dan,
        case=E,
        text="6月20日前送电",
        due_on=dt.date(2021, 6, 20),
    )

    F = new(at(2021, 6, 10), c.poultry, "招工难，缺少熟练工人", category=labour)
    H = new(at(2021, 6, 10, 11), c.poultry, "招工难，缺熟练工人", category=labour)
    _step(at(2021, 6, 10, 12), workflow.case_merge, actor=c.office, case=H, into=F)

    _visit, (G,) = _step(
        at(2021, 5, 17, 9),
        intake.visit_create,
        actor=c.carl,
        enterprise=c.steel,
        visited_on=dt.date(2021, 5, 17),
        kind="resolve",
        problems=[Problem(title="缺少焊工", category=labour)],
    )
    assign(at(2021, 5, 17, 10), G, c.rsj)
    accept(at(2021, 5, 18), G, who=c.ren)

    cases = {
        k: Case.objects.get(pk=v.pk)
        for k, v in dict(A=A, B=B, C=C, D=D, E=E, F=F, G=G, H=H).items()
    }
    return Spring(county=county, **cases)
