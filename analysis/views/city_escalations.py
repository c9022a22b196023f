"""上报市级 (cases.workflow.city), the city's side: the city office's inbox of what its counties
escalated, with the assignment to a city department; a city department's inbox, with its 签收 and
answer. What each reads is cases.selectors.city_escalations_visible_to; what each may do, the
workflow's."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Case as Switch
from django.db.models import Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analysis.access import city_department_required, city_required
from analysis.city_forms import (
    CityAnswerForm,
    CityAssignForm,
    CityContactForm,
    city_department_choices,
)
from cases import workflow
from cases.errors import InvalidState
from cases.models import CityEscalation
from cases.selectors import city_escalations_visible_to
from web.forms import attach_errors
from web.middleware import request_actor, request_calendar


def _escalations(request):
    return city_escalations_visible_to(request_actor(request)).select_related(
        "case__county", "case__enterprise", "case__category", "city_department"
    )


# Escalations a page: a city's years of them are paged in the database, those waiting on the reader
# first (its ordering), not read whole and sorted in Python.
PER_PAGE = 20


def _page(request, escalations, waiting: Q) -> Page:
    """The page asked for of `escalations`: those `waiting` first, the newest first within each."""
    ordered = escalations.annotate(
        waiting=Switch(When(waiting, then=Value(0)), default=Value(1))
    ).order_by("waiting", "-escalated_at", "-pk")
    return Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))


def _histories(escalations) -> dict[int, list[CityEscalation]]:
    """Every escalation of each case of the rows, the first first (a case may go up again once
    answered): one query."""
    by_case: dict[int, list[CityEscalation]] = defaultdict(list)
    rows = CityEscalation.objects.filter(case_id__in={e.case_id for e in escalations})
    for escalation in rows.select_related("city_department").order_by("escalated_at", "pk"):
        by_case[escalation.case_id].append(escalation)
    return by_case


def _rows(request, escalations, forms_for) -> list[dict]:
    now, calendar = timezone.now(), request_calendar(request)
    histories = _histories(escalations)
    rows = []
    for escalation in escalations:
        clocks = workflow.city_clocks(escalation, now, calendar)
        late = [c for c in clocks.values() if c is not None and c.state in ("overdue", "late")]
        history = histories[escalation.case_id]
        ids = [e.pk for e in history]
        round_ = ids.index(escalation.pk) + 1 if escalation.pk in ids else 1
        rows.append(
            {
                "e": escalation,
                "clocks": clocks,
                "late": bool(late),
                "round": round_,
                "earlier": history[: round_ - 1],
                **forms_for(escalation),
            }
        )
    return rows


def _city_forms(bound: dict, choices: list):
    def forms_for(escalation: CityEscalation) -> dict:
        if escalation.state != CityEscalation.State.ESCALATED:
            return {}
        form = bound.get(escalation.pk) or CityAssignForm(
            choices=choices, prefix=f"e{escalation.pk}"
        )
        return {"assign_form": form}

    return forms_for


@city_required
def city_escalations(request):
    """The city office's inbox: every escalation of its counties, the unassigned first."""
    return _city_page(request, {})


def _city_page(request, bound: dict, status: int = 200):
    # waiting on the city's office: not yet given to a city department
    page = _page(request, _escalations(request), Q(city_department__isnull=True, answered_at=None))
    choices = city_department_choices(request_actor(request).city_id)
    rows = _rows(request, page.object_list, _city_forms(bound, choices))
    context = {"rows": rows, "page": page}
    return render(request, "analysis/city_escalations.html", context, status=status)


@city_required
@require_POST
def city_escalation_assign(request, pk: int):
    escalation = get_object_or_404(_escalations(request), pk=pk)
    choices = city_department_choices(escalation.city_id)
    form = CityAssignForm(request.POST, choices=choices, prefix=f"e{pk}")
    if form.is_valid():
        try:
            assigned = workflow.city_escalation_assign(
                actor=request_actor(request), escalation=escalation, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        except InvalidState as conflict:
            messages.warning(request, conflict.message)
            return redirect("analysis:city_escalations")
        else:
            messages.success(
                request,
                _("已交%(department)s办理。") % {"department": assigned.city_department.name},
            )
            return redirect("analysis:city_escalations")
    return _city_page(request, {pk: form}, 400)


def _department_forms(bound: dict):
    def forms_for(escalation: CityEscalation) -> dict:
        if escalation.answered_at is not None:
            return {}
        own = bound.get(escalation.pk, {})
        prefix = f"e{escalation.pk}"
        forms = {"answer_form": own.get("answer") or CityAnswerForm(prefix=prefix)}
        if escalation.contacted_at is None:
            forms["contact_form"] = own.get("contact") or CityContactForm(prefix=prefix)
        return forms

    return forms_for


@city_department_required
def city_department_inbox(request):
    """A city department's inbox: the escalations given to it, the unanswered first."""
    return _department_page(request, {})


def _department_page(request, bound: dict, status: int = 200):
    page = _page(request, _escalations(request), Q(answered_at=None))  # waiting: its answer
    rows = _rows(request, page.object_list, _department_forms(bound))
    context = {"rows": rows, "page": page}
    return render(request, "analysis/city_department_inbox.html", context, status=status)


ACTS = {
    "contact": (CityContactForm, workflow.city_escalation_contact, _("已签收。")),
    "answer": (CityAnswerForm, workflow.city_escalation_answer, _("已答复，答复已送达县里。")),
}


@city_department_required
@require_POST
def city_department_act(request, pk: int, action: str):
    escalation = get_object_or_404(_escalations(request), pk=pk)
    if action not in ACTS:
        raise Http404
    form_class, run, done = ACTS[action]
    form = form_class(request.POST, prefix=f"e{pk}")
    if form.is_valid():
        try:
            run(actor=request_actor(request), escalation=escalation, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        except InvalidState as conflict:
            messages.warning(request, conflict.message)
            return redirect("analysis:city_department_inbox")
        else:
            messages.success(request, str(done))
            return redirect("analysis:city_department_inbox")
    return _department_page(request, {pk: {action: form}}, 400)
