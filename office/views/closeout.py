"""销号: replied cases waiting for close-out, newly rated first, with the reply and the rating, a
search and filters (department, rating); close one or many.
The closed tab lists closed cases, each of which can be reopened with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases import workflow
from cases.closeout import unrated_close_after, waiting
from cases.models import Case, Rating
from cases.search import searching
from cases.selectors import cases_visible_to, work_calendar
from office.access import office_required
from office.forms import CloseoutFilterForm, NoteForm, ReopenForm
from office.pages import paginate, refused_note
from web.middleware import request_actor
from web.query import ids_param, safe_next
from web.refusals import refusal_message


def _replied(request, form: CloseoutFilterForm):
    """The replied cases, newly rated first (the enterprise has spoken: they can be closed now),
    then those still waiting for a rating, longest waiting first."""
    rated_at = Rating.objects.filter(case=OuterRef("pk"), reply_round=OuterRef("reply_round"))
    replied = (
        cases_visible_to(request_actor(request))
        .filter(status=Case.Status.REPLIED)
        .select_related("enterprise", "lead_department")
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.order_by("-reply_round"), to_attr="latest")
        )
        .annotate(rated_at=Subquery(rated_at.values("created_at")[:1]))
    )
    return form.apply(replied).order_by(
        F("rated_at").desc(nulls_last=True), F("replied_at").asc(), "pk"
    )


@office_required
def closeout(request):
    if request.GET.get("tab") == "closed":
        return _closed(request)
    actor = request_actor(request)
    now, calendar = timezone.now(), work_calendar(actor.county_id)
    form = CloseoutFilterForm(request.GET, actor=actor)
    replied = _replied(request, form)  # (validates the form)
    page = paginate(
        request, replied, searched=form.is_valid() and searching(form.cleaned_data["q"])
    )
    rows = []
    for case in page.object_list:
        rating = next((r for r in case.latest if r.reply_round == case.reply_round), None)
        rows.append((case, rating, waiting(case, now, calendar)))
    return render(
        request,
        "office/closeout.html",
        {
            "tab": "waiting",
            "filter_form": form,
            "page": page,
            "rows": rows,
            "note_form": NoteForm(),
            "unrated_days": unrated_close_after(),
        },
        status=400 if form.errors else 200,
    )


def _closed(request, errors: dict | None = None):
    closed = (
        cases_visible_to(request_actor(request))
        .filter(status=Case.Status.CLOSED)
        .select_related("enterprise", "lead_department")
        .order_by("-closed_at", "-pk")
    )
    page = paginate(request, closed)
    errors = errors or {}
    rows = [(case, errors.get(case.pk) or ReopenForm(prefix=f"r{case.pk}")) for case in page]
    return render(request, "office/closeout.html", {"tab": "closed", "page": page, "rows": rows})


@office_required
@require_POST
def close(request):
    """Close the selected replied cases, all or none."""
    ids = ids_param(request.POST, "case")
    cases = list(cases_visible_to(request_actor(request)).filter(pk__in=ids).order_by("pk"))
    back = safe_next(request, reverse("office:closeout"))
    if not cases:
        messages.error(request, _("请先勾选要销号的问题。"))
        return redirect(back)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, refused_note(form))
        return redirect(back)
    with refusal_message(request) as outcome:
        workflow.cases_close(
            actor=request_actor(request), cases=cases, note=form.cleaned_data["note"]
        )
    if outcome.ok:
        messages.success(
            request,
            ngettext("已销号 %(count)d 件问题。", "已销号 %(count)d 件问题。", len(cases))
            % {"count": len(cases)},
        )
    return redirect(back)


@office_required
@require_POST
def reopen(request, pk: int):
    actor = request_actor(request)
    case = get_object_or_404(cases_visible_to(actor), pk=pk)
    form = ReopenForm(request.POST, prefix=f"r{case.pk}")
    if not form.is_valid():
        return _closed(request, errors={case.pk: form})
    with refusal_message(request) as outcome:
        workflow.case_reopen(actor=actor, case=case, reason=form.cleaned_data["reason"])
    if outcome.ok:
        messages.success(request, _("问题 %(number)s 已重新办理。") % {"number": case.number})
    return redirect(f"{reverse('office:closeout')}?tab=closed")
