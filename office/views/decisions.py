"""审核 (the office's decisions): the queues of decisions waiting for the office — extension and suspension requests,
returned cases (re-assign, or refuse the return and keep the assignment: 指定办理), and rating
appeals. Each decision is one workflow call with an optional note."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import workflow
from cases.models import Case, CaseEvent, Rating, Request
from cases.selectors import cases_visible_to
from office.access import office_required
from office.forms import NoteForm
from office.pages import paginate, refused_note
from web.middleware import request_actor
from web.refusals import refusal_message

QUEUES = {
    "extension": gettext_lazy("延期审核"),
    "suspension": gettext_lazy("挂起审核"),
    "return": gettext_lazy("退回审核"),
    "appeal": gettext_lazy("评价申诉"),
}


@office_required
def decisions(request):
    visible = cases_visible_to(request_actor(request))
    pending = Request.objects.filter(state=Request.State.PENDING, case__in=visible).select_related(
        "case", "case__enterprise", "case__lead_department", "requested_by"
    )
    returned = (
        visible.filter(status=Case.Status.SUBMITTED, returned_from__isnull=False)
        .select_related("enterprise", "returned_from", "category")
        .annotate(
            return_reason=Subquery(
                CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.RETURNED)
                .order_by("-created_at", "-pk")
                .values("note")[:1]
            )
        )
        .order_by("updated_at", "pk")
    )
    appeals = Rating.objects.filter(appeal=Rating.Appeal.PENDING, case__in=visible).select_related(
        "case", "case__enterprise", "department", "rated_by"
    )
    queues = [
        ("extension", pending.filter(kind=Request.Kind.EXTENSION).order_by("created_at")),
        ("suspension", pending.filter(kind=Request.Kind.SUSPENSION).order_by("created_at")),
        ("return", returned),
        ("appeal", appeals.order_by("created_at")),
    ]
    return render(
        request,
        "office/decisions.html",
        {
            "queues": [
                {"name": name, "label": QUEUES[name], "page": paginate(request, items, param=name)}
                for name, items in queues
            ]
        },
    )


@office_required
@require_POST
def decide(request, queue: str, pk: int):
    """approve/refuse (uphold/reject for an appeal; refuse = keep the assignment for a return)."""
    if queue not in QUEUES:
        raise Http404
    actor = request_actor(request)
    case = get_object_or_404(cases_visible_to(actor), pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, _("请选择同意或不同意。"))
        return redirect("office:decisions")
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, refused_note(form))
        return redirect("office:decisions")
    note = form.cleaned_data["note"]
    approve = decision == "approve"
    with refusal_message(request) as outcome:
        if queue == "extension":
            workflow.case_decide_extension(actor=actor, case=case, approve=approve, note=note)
        elif queue == "suspension":
            workflow.case_decide_suspension(actor=actor, case=case, approve=approve, note=note)
        elif queue == "appeal":
            workflow.case_decide_appeal(actor=actor, case=case, uphold=approve, note=note)
        elif approve:
            # Accepting a return needs no step of its own: the case waits in triage.
            return redirect(f"{reverse('office:assign')}?case={case.pk}")
        else:
            workflow.case_refuse_return(actor=actor, case=case, note=note)
    if outcome.ok:
        messages.success(request, _DONE[queue][approve] % {"number": case.number})
    return redirect("office:decisions")


_DONE = {
    "extension": {
        True: gettext_lazy("已同意问题 %(number)s 的延期申请。"),
        False: gettext_lazy("已驳回问题 %(number)s 的延期申请。"),
    },
    "suspension": {
        True: gettext_lazy("已同意问题 %(number)s 挂起。"),
        False: gettext_lazy("已驳回问题 %(number)s 的挂起申请。"),
    },
    "appeal": {
        True: gettext_lazy("问题 %(number)s 的评价申诉成立，该评价不计入统计。"),
        False: gettext_lazy("问题 %(number)s 的评价申诉不成立。"),
    },
    "return": {
        False: gettext_lazy("已驳回问题 %(number)s 的退回，由原牵头部门继续办理（指定办理）。"),
    },
}
