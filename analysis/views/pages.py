"""The figures pages: dashboard (总览), evaluation (考核), task forces and cadres, pain points.
Each parses its period, calls the metrics, renders. The dashboard and this year's evaluation read
their figures from a snapshot (analysis.snapshots), which the office may have recomputed at once
(POST to the page). The printable period report and the 工作简报 are analysis.views.reports."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analysis import charts, evaluation, exports, painpoints, periods, snapshots, team_evaluation
from analysis.access import county_required, overview_required, ranking_required
from analysis.excel import XLSX_CONTENT_TYPE, write_workbook
from analysis.forms import PeriodForm
from cases.bulletins import numbered
from cases.models import Case
from cases.selectors import (
    cases_visible_to,
    taskforces_visible_to,
    visits_visible_to,
    work_calendar,
)
from cases.visits import stale_after_days
from web.middleware import request_actor
from web.query import require_valid


def _period_form(request, default: periods.Period) -> PeriodForm:
    return PeriodForm(request.GET or None, default=default)


def _status(form: PeriodForm) -> int:
    """A period that cannot be read is explained beside its field, over the default period's
    figures, and answered 400."""
    return 400 if form.is_bound and not form.is_valid() else 200


def _period_or_400(request, default: periods.Period) -> PeriodForm:
    """For the answers that do not show a form's errors (a download, the printable report): a
    period that cannot be read is a 400 naming the parameter."""
    form = _period_form(request, default)
    require_valid(form)
    return form


def _this_year() -> periods.Period:
    return periods.year(timezone.localdate().year)


def _xlsx(sheets, filename: str) -> FileResponse:
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def _refresh(request, recompute):
    """The office asks for figures computed now rather than at the last beat."""
    if not request_actor(request).is_office:
        raise PermissionDenied
    recompute()
    return redirect(request.get_full_path())


@overview_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    """总览: the office sees the county, a county leader their task forces' share."""
    actor = request_actor(request)
    if request.method == "POST":
        return _refresh(request, lambda: snapshots.dashboard_snapshot(actor, refresh=True))
    snapshot = snapshots.dashboard_snapshot(actor)
    figures = snapshot.figures
    chart_list = [
        charts.trend(figures.trend),
        charts.groups("by-category", _("按问题类别"), _("类别"), figures.by_category),
        charts.groups("by-industry", _("按行业"), _("行业"), figures.by_industry),
        charts.groups("by-township", _("按乡镇/园区"), _("乡镇/园区"), figures.by_township),
        charts.groups("by-taskforce", _("按专班"), _("专班"), figures.by_taskforce),
        charts.timing("contact-time", _("交办到对接用时"), figures.contact_time),
        charts.timing("reply-time", _("交办到反馈用时"), figures.reply_time),
    ]
    return render(
        request,
        "analysis/dashboard.html",
        {
            "figures": figures,
            "charts": chart_list,
            "scope_all": actor.sees_county,
            "computed_at": snapshot.computed_at,
            "can_refresh": actor.is_office,
            "timings": [
                (_("交办到对接"), figures.contact_time, "contact-timing"),
                (_("交办到反馈"), figures.reply_time, "reply-timing"),
            ],
        },
    )


def _evaluation_context(request, period):
    """The county's ranking over the period: the same whoever may read it (the office, the task
    forces' leaders, the county's leadership), counted over every case."""
    actor = request_actor(request)
    ranking = evaluation.department_evaluation(
        cases_visible_to(snapshots.county(actor.county_id)), period, county_id=actor.county_id
    )
    return actor, ranking


@ranking_required
@require_http_methods(["GET", "POST"])
def evaluation_page(request):
    """考核: the units ranked within their groups by the office's rules, the period's 奖惩, and
    the definition of every figure under the table. This year's ranking (the default) is read
    from its snapshot, any other period counted now."""
    actor = request_actor(request)
    default = _this_year()
    if request.method == "POST":
        return _refresh(
            request,
            lambda: snapshots.evaluation_snapshot(
                snapshots.county(actor.county_id), default, refresh=True
            ),
        )
    form = _period_form(request, default)
    period = form.chosen
    if period == default:
        snapshot = snapshots.evaluation_snapshot(snapshots.county(actor.county_id), period)
        ranking, computed_at = snapshot.figures, snapshot.computed_at
    else:
        _actor, ranking = _evaluation_context(request, period)
        computed_at = timezone.now()
    rules = ranking.rules
    return render(
        request,
        "analysis/evaluation.html",
        {
            "form": form,
            "period": period,
            "presets": periods.presets(),
            "ranking": ranking,
            "totals": evaluation.totals(ranking),
            "rules": rules,
            "rules_in_use": evaluation.rules_in_use(rules),
            "weights": [
                (label, rules.weights()[rate]) for rate, label in evaluation.rate_labels().items()
            ],
            "bulletins": numbered(evaluation.period_bulletins(period, actor.county_id)),
            "definitions": evaluation.definitions(rules, ranking.min_ranked),
            "levels": _levels(),
            "computed_at": computed_at,
            "is_office": actor.is_office,
            "can_refresh": period == default and actor.is_office,
        },
        status=_status(form),
    )


def _levels():
    return list(Case.Rating.choices)


def _teams(actor, period):
    taskforces = taskforces_visible_to(actor)
    visits = visits_visible_to(actor)
    return (
        team_evaluation.taskforce_evaluation(taskforces, visits, cases_visible_to(actor), period),
        team_evaluation.cadre_evaluation(taskforces, visits, period),
    )


@county_required
def evaluation_export(request):
    period = _period_or_400(request, _this_year()).chosen
    actor, ranking = _evaluation_context(request, period)
    taskforce_rows, cadre_rows = _teams(actor, period)
    notes = [
        f"{term}：{text}"
        for term, text in evaluation.definitions(ranking.rules, ranking.min_ranked)
    ]
    sheets = exports.evaluation_sheets(ranking, taskforce_rows, cadre_rows, period, notes)
    return _xlsx(sheets, _("部门考核_%(period)s.xlsx") % {"period": period.label})


@county_required
def teams(request):
    """专班与干部: visits made, problems found, enterprises nobody visited for 30 days."""
    form = _period_form(request, _this_year())
    period = form.chosen
    taskforce_rows, cadre_rows = _teams(request_actor(request), period)
    return render(
        request,
        "analysis/teams.html",
        {
            "form": form,
            "period": period,
            "presets": periods.presets(),
            "taskforces": taskforce_rows,
            "cadres": cadre_rows,
            "stale_days": stale_after_days(),
        },
        status=_status(form),
    )


def _painpoints(actor, period):
    cases = cases_visible_to(actor)
    groups, capped = painpoints.recurring(cases, period)
    grid = painpoints.matrix(cases, period)
    changes = painpoints.changes(cases, period)
    return {
        "hotspots": painpoints.hotspots(cases, period),
        "grid": grid,
        "recurring": groups,
        "capped": capped,
        "max_cases": painpoints.RECURRING_MAX_CASES,
        "longest": painpoints.longest_open(cases, work_calendar()),
        "changes": changes,
        "change_groups": [
            (_("按类别"), changes.by_category),
            (_("按行业"), changes.by_industry),
            (_("按乡镇/园区"), changes.by_township),
        ]
        if changes
        else [],
    }


@overview_required
def painpoints_page(request):
    """症结和痛点: where problems concentrate, which recur, which drag on, what changed."""
    form = _period_form(request, _this_year())
    period = form.chosen
    context = _painpoints(request_actor(request), period)
    context.update(
        form=form,
        period=period,
        presets=periods.presets(),
        heatmap=charts.heatmap(context["grid"]),
    )
    return render(request, "analysis/painpoints.html", context, status=_status(form))


@overview_required
def painpoints_export(request):
    period = _period_or_400(request, _this_year()).chosen
    c = _painpoints(request_actor(request), period)
    sheets = exports.painpoint_sheets(
        c["hotspots"], c["grid"], c["recurring"], c["longest"], c["changes"], period
    )
    return _xlsx(sheets, _("症结痛点_%(period)s.xlsx") % {"period": period.label})
