"""Task force pages (the 1+2+N team's own page, 逐个研究, review meetings) and the office's pages
for task forces, coverage (全覆盖) and people. Views parse input, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases import people
from cases.meetings import meeting_save
from cases.models import Meeting
from cases.selectors import cases_visible_to, taskforces_visible_to
from cases.taskforces import (
    case_review_mark,
    cases_review_mark,
    enterprises_not_visited,
    enterprises_without_taskforce,
    review_queue,
    reviewing_taskforce_ids,
    taskforce_enterprises,
    taskforce_save,
)
from cases.visits import days_since, is_stale, stale_after_days
from taskforce_pages.forms import AccountForm, MemberFormSet, ReviewMeetingForm, TaskForceForm
from taskforces.models import AccountChange, TaskForce, TaskForceMember
from web.forms import attach_errors
from web.middleware import request_actor, request_actor_or_403
from web.query import ids_param, int_param, safe_next, search_param
from web.refusals import refusal_message

MAX_STALE_DAYS = 3650
REVIEW_PER_PAGE = 30


def _office(request):
    return request_actor_or_403(
        request, lambda actor: actor.is_office, _("只有县委办可以使用此页面。")
    )


@login_required
def mine(request):
    """我的专班: each of my task forces with its members, enterprises and what waits for review."""
    actor = request_actor(request)
    today = timezone.localdate()
    task_forces = list(
        TaskForce.objects.filter(pk__in=actor.taskforce_ids).prefetch_related(
            Prefetch(
                "members", queryset=TaskForceMember.objects.select_related("user", "department")
            )
        )
    )
    for tf in task_forces:
        tf.enterprise_rows = list(taskforce_enterprises(tf, today=today))
        for e in tf.enterprise_rows:
            e.days_since = days_since(e.last_visit, today)
            e.stale = is_stale(e.last_visit, today)
        tf.meeting_rows = list(tf.meetings.order_by("-held_on")[:5])
    return render(
        request,
        "taskforces/mine.html",
        {
            "task_forces": task_forces,
            "review_count": review_queue(actor).count() if reviewing_taskforce_ids(actor) else None,
        },
    )


@login_required
def review(request):
    """逐个研究: the open problems of my task forces' enterprises not yet reviewed, newest first;
    tick some and mark them reviewed in one go."""
    actor = request_actor(request)
    if not reviewing_taskforce_ids(actor):
        raise PermissionDenied(_("只有专班县领导和部门主要领导研究问题。"))
    page = Paginator(review_queue(actor), REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "taskforces/review.html", {"page": page})


@login_required
@require_POST
def review_mark(request, pk: int):
    actor = request_actor(request)
    case = get_object_or_404(cases_visible_to(actor), pk=pk)
    with refusal_message(request, conflict_level=messages.INFO) as outcome:
        case_review_mark(actor=actor, case=case, note=request.POST.get("note", ""))
    if outcome.ok:
        messages.success(request, _("已标记 %(number)s 为已研究。") % {"number": case.number})
    return redirect("taskforces:review")


@login_required
@require_POST
def review_mark_many(request):
    """标记已研究 for the ticked problems, each with its optional note: all of them or none."""
    actor = request_actor(request)
    if not reviewing_taskforce_ids(actor):
        raise PermissionDenied(_("只有专班县领导和部门主要领导研究问题。"))
    back = safe_next(request, reverse("taskforces:review"))
    ids = set(ids_param(request.POST, "case"))
    if not ids:
        messages.error(request, _("请先勾选要标记为已研究的问题。"))
        return redirect(back)
    cases = list(cases_visible_to(actor).filter(pk__in=ids).order_by("-created_at", "-id"))
    if len(cases) != len(ids):
        messages.error(
            request, _("所选问题中有的不存在或不在您的专班范围内，未作标记，请刷新后重选。")
        )
        return redirect(back)
    notes = {case.pk: request.POST.get(f"note-{case.pk}", "") for case in cases}
    # The batch names the problem refused (ActionForbidden too): said here, not as a 403 page.
    none_marked = _("%(reason)s 所选问题均未标记。")
    with refusal_message(request, forbidden=True, say=none_marked) as outcome:
        cases_review_mark(actor=actor, cases=cases, notes=notes)
    if outcome.ok:
        messages.success(
            request,
            ngettext(
                "已将 %(count)d 件问题标记为已研究。",
                "已将 %(count)d 件问题标记为已研究。",
                len(cases),
            )
            % {"count": len(cases)},
        )
    return redirect(back)


@login_required
def meeting_new(request, pk: int):
    """A task force's own review meeting, with the cases discussed, decisions and minutes."""
    actor = request_actor(request)
    task_force = get_object_or_404(taskforces_visible_to(actor), pk=pk)
    cases = (
        cases_visible_to(actor)
        .filter(enterprise__task_forces=task_force)
        .select_related("enterprise")
    )
    form = ReviewMeetingForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.kind = Meeting.Kind.TASKFORCE_REVIEW
        meeting.task_force = task_force
        meeting.created_by = request.user
        try:
            meeting_save(meeting=meeting, cases=form.cleaned_data["cases"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已记录专班研究会。"))
            return redirect("taskforces:mine")
    return render(
        request,
        "taskforces/meeting_form.html",
        {"form": form, "task_force": task_force},
        status=400 if form.errors else 200,
    )


# --- the office ---------------------------------------------------------------------------------


@login_required
def manage(request):
    _office(request)
    task_forces = (
        taskforces_visible_to(request_actor(request))
        .prefetch_related(
            Prefetch("members", queryset=TaskForceMember.objects.select_related("user"))
        )
        .order_by("kind", "name")
    )
    page = Paginator(task_forces, 50).get_page(request.GET.get("page"))
    return render(request, "taskforces/manage.html", {"page": page})


@login_required
def edit(request, pk: int | None = None):
    """Create or edit a task force with its members and enterprises; the 1+2+N shape is enforced."""
    _office(request)
    actor = request_actor(request)
    task_force = (
        get_object_or_404(taskforces_visible_to(actor), pk=pk)
        if pk
        else TaskForce(county_id=actor.county_id)
    )
    form = TaskForceForm(request.POST or None, instance=task_force, actor=actor)
    initial = [
        {"user": m.user_id, "role": m.role, "department": m.department_id}
        for m in (task_force.members.all() if pk else [])
    ]
    members = MemberFormSet(
        request.POST or None, initial=initial, prefix="members", form_kwargs={"actor": actor}
    )
    if request.method == "POST" and form.is_valid() and members.is_valid():
        rows = [
            (row["user"], row["role"], row.get("department"))
            for row in members.cleaned_data
            if row and row.get("user") and not row.get("DELETE")
        ]
        try:
            taskforce_save(
                task_force=form.save(commit=False),
                members=rows,
                enterprises=form.cleaned_data["enterprise_list"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已保存专班“%(name)s”。") % {"name": task_force.name})
            return redirect("taskforces:manage")
    return render(
        request,
        "taskforces/edit.html",
        {"form": form, "members": members, "task_force": task_force},
    )


@login_required
def coverage(request):
    """全覆盖: enterprises no active task force covers, and those not visited for a while."""
    _office(request)
    days = int_param(
        request.GET,
        "days",
        default=stale_after_days(),
        min_value=1,
        max_value=MAX_STALE_DAYS,
        clamp=True,
    )
    actor = request_actor(request)
    uncovered = enterprises_without_taskforce(actor.county_id)
    unvisited = enterprises_not_visited(timezone.localdate(), days, actor.county_id)
    if request.GET.get("format") == "xlsx":
        return _coverage_workbook(uncovered, unvisited, days)
    return render(
        request,
        "taskforces/coverage.html",
        {
            "days": days,
            "uncovered": uncovered,
            "unvisited": Paginator(unvisited, 100).get_page(request.GET.get("page")),
        },
    )


def _coverage_workbook(uncovered, unvisited, days: int) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("未覆盖企业"))
    sheet.append(
        [_("企业名称"), _("统一社会信用代码"), _("所属乡镇/园区"), _("行业"), _("重点企业")]
    )
    for e in uncovered.iterator():
        sheet.append(
            [
                e.name,
                e.credit_code,
                str(e.township or ""),
                e.get_industry_display(),
                _("是") if e.is_key else "",
            ]
        )
    sheet = book.create_sheet(_("%(days)d天未走访企业") % {"days": days})
    sheet.append([_("企业名称"), _("统一社会信用代码"), _("所属乡镇/园区"), _("最近走访")])
    for e in unvisited.iterator():
        sheet.append(
            [
                e.name,
                e.credit_code,
                str(e.township or ""),
                e.last_visit.isoformat() if e.last_visit else _("从未走访"),
            ]
        )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="coverage.xlsx"'
    book.save(response)
    return response


@login_required
def people_list(request):
    _office(request)
    q = search_param(request.GET, "q")
    actor = request_actor(request)
    users = (
        people.accounts_visible_to(actor)
        .select_related("department_staff__department", "enterprise_contact__enterprise")
        .order_by("username")
    )
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    form = AccountForm(request.POST or None, actor=actor)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            user, password = people.account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            created = {"user": user, "password": password}
            form = AccountForm(actor=actor)
    return render(
        request,
        "taskforces/people.html",
        {
            "page": Paginator(users, 50).get_page(request.GET.get("page")),
            "q": q,
            "form": form,
            "created": created,
            "changes": AccountChange.objects.filter(
                account__in=people.accounts_visible_to(actor)
            ).select_related("account", "changed_by")[:30],
        },
    )


@login_required
@require_POST
def people_action(request, pk: int, action: str):
    _office(request)
    account = get_object_or_404(people.accounts_visible_to(request_actor(request)), pk=pk)
    with refusal_message(request):
        if action == "reset":
            password = people.account_reset_password(actor=request.user, account=account)
            # Shown in this answer only: a message would carry it in the signed (readable, not
            # encrypted) messages cookie and through the redirect.
            response = render(
                request,
                "taskforces/password_reset.html",
                {"account": account, "password": password},
            )
            add_never_cache_headers(response)
            return response
        if action in ("deactivate", "activate"):
            people.account_set_active(
                actor=request.user, account=account, active=action == "activate"
            )
            messages.success(request, _("已更新 %(user)s。") % {"user": account.username})
        else:
            raise PermissionDenied
    return redirect("taskforces:people")
