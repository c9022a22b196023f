"""营商环境指数 (issue 22): the city's one figure per county, 0–100, and its ranking of the counties.

Computed only from the rates each county's own evaluation already counts (analysis.evaluation,
over the county's snapshot: analysis.city.county_figures) — 响应率, 办结率, 解决率, 满意率, 践诺率 —
so a county reads on its evaluation page the very figures the city weighs here; this module
computes no rate of its own, only their weighted mean:

    指数 = 100 × Σ(权重 × 比率) ÷ Σ(权重), over the rates the county has something to count for
    (a rate with nothing to count yet leaves its weight out, as the evaluation's score does).

A county with fewer than MIN_ASSIGNED cases assigned in the period, or with no rate at all, is
listed but not ranked (the evaluation's rule for a unit with too few cases). Equal indexes, as
printed (one decimal), share a rank. The page prints the formula and every component
(definitions), from the same WEIGHTS.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analysis import evaluation
from analysis.city import CountyFigures

# Each component: the evaluation's rate (analysis.models.RATES) and its weight in the index.
WEIGHTS = {"contact": 25, "reply": 25, "resolve": 20, "satisfaction": 20, "commitment": 10}
# A county is ranked once this many of its cases were assigned in the period.
MIN_ASSIGNED = 10


def index_of(totals: evaluation.Totals) -> float | None:
    """The index of one county's figures (None: no rate to weigh yet)."""
    counted = [
        (weight, getattr(totals, f"{rate}_rate"))
        for rate, weight in WEIGHTS.items()
        if getattr(totals, f"{rate}_rate") is not None
    ]
    if not counted:
        return None
    return 100 * sum(w * r for w, r in counted) / sum(w for w, _r in counted)


@dataclass(frozen=True)
class CountyIndex:
    figures: CountyFigures
    index: float | None
    rank: int | None  # None: listed, not ranked (see why)

    @property
    def components(self) -> list[float | None]:
        """The rates weighed, in WEIGHTS' order (None: nothing to count yet)."""
        return [getattr(self.figures.totals, f"{rate}_rate") for rate in WEIGHTS]

    @property
    def why_unranked(self) -> str:
        if self.rank is not None:
            return ""
        if self.index is None:
            return _("尚无可计比率")
        return _("交办不足 %(n)d 件") % {"n": MIN_ASSIGNED}


def ranking(rows: list[CountyFigures]) -> list[CountyIndex]:
    """The counties by their index, best first; the unranked after them (by index, then name)."""
    indexed = [(index_of(row.totals), row) for row in rows]

    def ranked(index: float | None, row: CountyFigures) -> bool:
        return index is not None and row.totals.assigned >= MIN_ASSIGNED

    indexed.sort(
        key=lambda pair: (
            not ranked(*pair),
            -round(pair[0], 1) if pair[0] is not None else 1,
            pair[1].county.pk,
        )
    )
    result, previous, rank = [], None, 0
    for position, (index, row) in enumerate(indexed, start=1):
        if not ranked(index, row):
            result.append(CountyIndex(row, index, None))
            continue
        if round(index, 1) != previous:
            rank, previous = position, round(index, 1)
        result.append(CountyIndex(row, index, rank))
    return result


def component_labels() -> list[str]:
    labels = evaluation.rate_labels()
    return [labels[rate] for rate in WEIGHTS]


def formula() -> str:
    labels = evaluation.rate_labels()
    terms = " + ".join(f"{labels[rate]} × {weight}" for rate, weight in WEIGHTS.items())
    return _(
        "营商环境指数 = 100 ×（%(terms)s）÷ 参与计算的权重之和。某项比率尚无可计数据（例如统计期间内还没有到期的对接）的，该项及其权重都不计入；满分 100。"
    ) % {"terms": terms}


def definitions() -> list[tuple[str, str]]:
    """What each component means — the county evaluation's own 口径, so a county reads the same
    figure on its 考核 page — and the ranking rule."""
    labels = evaluation.rate_labels()
    texts = {
        "contact": _(
            "统计期间内交办的问题中，已对接或对接期限（交办次日起第3个工作日）已过的为应对接；在期限内签收对接的为按时对接。响应率 = 按时对接 ÷ 应对接。"
        ),
        "reply": _(
            "已反馈或办结期限已过（挂起中的除外）的为应办结；在办结期限（含批准的延期）之前反馈的为按时办结。办结率 = 按时办结 ÷ 应办结。"
        ),
        "resolve": _(
            "已反馈的问题中，办理结果为“已解决”的比例；“政策障碍，已解释到位”算作未解决。解决率 = 已解决 ÷ 已反馈。"
        ),
        "satisfaction": _(
            "企业评价中“非常满意、满意、基本满意”所占比例，按各县考核规则计入未评价视为满意的；申诉成立的评价不计。"
        ),
        "commitment": _(
            "承诺期限在统计期间内的亮诺事项中，按期践诺 ÷（按期践诺 + 逾期践诺或已过期限未践诺）。"
        ),
    }
    rows = [
        (
            _("%(label)s（权重 %(weight)d）") % {"label": labels[rate], "weight": weight},
            texts[rate],
        )
        for rate, weight in WEIGHTS.items()
    ]
    rows.append(
        (
            _("排名"),
            _(
                "按指数从高到低排名，指数（保留一位小数）相同的名次并列。统计期间内交办不足 %(n)d 件、或尚无任何可计比率的县（区）列出但不排名。各项比率与该县“考核”页的全县合计为同一数字，均取自各县的考核统计。"
            )
            % {"n": MIN_ASSIGNED},
        )
    )
    return rows
