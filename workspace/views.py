"""The department workspace (部门工作台): the inbox, ticking off breakdown items, the group robot.

Views stay thin: scoping comes from cases.selectors, every change from cases.workflow or
workspace.services. The case itself is handled on the shared case page (web's case_detail).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import workflow
from cases.bulletins import bulletins_of, numbered
from cases.errors import ActionForbidden, InvalidState
from cases.models import BreakdownItem
from cases.roles import DEPARTMENT, Actor
from cases.selectors import cases_visible_to
from cases.supervision_notices import notices_to_answer
from enterprises.models import Department
from notifications.models import WebhookSubscription
from notifications.webhooks import webhook_event_kinds
from web.middleware import request_actor, request_actor_or_403, request_calendar
from workspace.forms import WebhookForm
from workspace.selectors import department_inbox
from workspace.services import department_webhook_save

NOTICES_SHOWN = 5  # the unanswered 督办单 the inbox lists; the rest on the notices page
BULLETINS_SHOWN = 5  # the department's latest 奖惩通报


def _department_actor(request) -> Actor:
    return request_actor_or_403(
        request,
        lambda actor: actor.has_role(DEPARTMENT),
        _("部门工作台只对责任单位的工作人员开放。"),
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def inbox(request):
    """我的待办: what my department must do, the most urgent first; each part pages on its own
    (?urgent_page=2)."""
    inbox = department_inbox(
        _department_actor(request),
        now=timezone.now(),
        calendar=request_calendar(request),
        pages=request.GET,
    )
    # 督办单 not answered yet, the earliest due first (cases.supervision_notices).
    notices, waiting = notices_to_answer(inbox.department, NOTICES_SHOWN)
    return render(
        request,
        "workspace/inbox.html",
        {
            "inbox": inbox,
            "department": inbox.department,
            "notices": notices,
            "notices_waiting": waiting,
            # 奖惩: the office's latest bulletins on this department (cases.bulletins).
            "bulletins": numbered(bulletins_of(inbox.department.pk)[:BULLETINS_SHOWN]),
        },
    )


@login_required
@require_POST
def item_done(request, pk: int):
    """Tick off one breakdown item (责任清单) — from the inbox, with htmx, or as a plain form."""
    actor = _department_actor(request)
    visible = BreakdownItem.objects.filter(case__in=cases_visible_to(actor))
    item = get_object_or_404(visible.select_related("case", "case__enterprise"), pk=pk)
    error = None
    try:
        item = workflow.breakdown_item_complete(actor=actor, item=item)
    except (ActionForbidden, InvalidState) as refused:
        error = refused.message
    if _is_htmx(request):
        # htmx swaps 2xx answers only: the row itself says whether the tick was refused.
        return render(request, "workspace/_item_row.html", {"item": item, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("任务“%(measure)s”已标记完成。") % {"measure": item.measure})
    return redirect("workspace:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def webhook(request):
    """群机器人: the department's head sets its webhook URL and the messages sent there."""
    actor = request_actor(request)
    if not (actor.is_department_head and actor.department_id):
        raise PermissionDenied(_("只有本单位主要负责人可以设置群机器人。"))
    department = get_object_or_404(Department, pk=actor.department_id)
    form = WebhookForm.for_department(
        department,
        webhook_event_kinds(department),
        data=request.POST or None,
        subscription=WebhookSubscription.objects.filter(department=department).first(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            department_webhook_save(
                actor=actor,
                department=department,
                webhook_url=form.cleaned_data["webhook_url"],
                event_kinds=form.chosen_kinds(),
                robot=form.cleaned_data["robot"] or WebhookSubscription.Robot.TEXT,
                sign_secret=form.cleaned_data["sign_secret"] or None,
                keyword=form.cleaned_data["keyword"],
                mention_clerks=form.cleaned_data["mention_clerks"],
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, _("群机器人设置已保存。"))
            return redirect("workspace:webhook")
    return render(request, "workspace/webhook.html", {"form": form, "department": department})
