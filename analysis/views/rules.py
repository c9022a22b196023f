"""考核规则: the office reads the rules in force and their history, and saves a new version — in
force from today or later, never an edit of one a past period was scored by (analysis.rules)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analysis import evaluation
from analysis.access import office_required
from analysis.forms import RulesForm
from analysis.models import EvaluationRules
from analysis.rules import rules_history, rules_in_force, rules_save, rules_values
from cases.models import Bulletin
from web.forms import attach_errors
from web.middleware import request_actor


@office_required
@require_http_methods(["GET", "POST"])
def rules_page(request):
    """The rules in force, the form of a new version (starting from them), every version."""
    today = timezone.localdate()
    actor = request_actor(request)
    current = rules_in_force(today, actor.county_id)
    form = RulesForm(
        request.POST or None, initial={**rules_values(current), "effective_from": today}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = rules_save(
                actor=actor,
                values=data,
                effective_from=data["effective_from"],
                note=data["note"],
            )
        except ValidationError as invalid:
            attach_errors(form, invalid)
        else:
            messages.success(
                request,
                _("新版考核规则已保存，自 %(day)s 起施行。")
                % {"day": saved.effective_from.isoformat()},
            )
            return redirect("analysis:rules")
    history = list(rules_history(actor.county_id))
    return render(
        request,
        "analysis/rules.html",
        {
            "form": form,
            "current": current,
            "current_rows": _summary(current),
            "history": [
                (rules, _summary(rules), _state(rules, current, today)) for rules in history
            ],
            "today": today,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _state(rules: EvaluationRules, current: EvaluationRules, today) -> str:
    """现行, 待施行 (from a later day) or 已停用, for the history's badge."""
    if rules.pk == current.pk:
        return "current"
    return "upcoming" if rules.effective_from > today else "past"


def _summary(rules: EvaluationRules) -> list[tuple[str, str]]:
    """A version's rules as (what, value) lines, the way the pages print them."""
    weights = rules.weights()
    points = rules.bulletin_points()
    unrated = (
        _("满 %(days)d 个工作日未评价视为满意") % {"days": rules.unrated_days}
        if rules.counts_unrated
        else _("不计入满意率")
    )
    return [
        *(
            (_("%(rate)s权重") % {"rate": label}, str(weights[rate]))
            for rate, label in evaluation.rate_labels().items()
        ),
        (_("未评价"), unrated),
        (_("每次退回"), _("扣 %(n)s 分") % {"n": evaluation.points(rules.deduction_return)}),
        (_("每次重办"), _("扣 %(n)s 分") % {"n": evaluation.points(rules.deduction_reopen)}),
        *(
            (label, _("%(n)s 分") % {"n": evaluation.points(points[kind], signed=True)})
            for kind, label in Bulletin.Kind.choices
        ),
        (_("参与排名"), _("交办至少 %(n)d 件") % {"n": rules.min_ranked}),
    ]
