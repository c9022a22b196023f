"""The cadre's pages (结对干部): my enterprises, log a visit, a visit, the return-visit ratings,
and the visit photos. Each view parses input, calls one service or selector, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST, require_safe

from cases import intake, workflow
from cases.deadlines import standing
from cases.errors import ActionForbidden, ClientIdTaken, InvalidState
from cases.models import Case, Commitment, Rating, Visit
from cases.selectors import cases_visible_to, photos_visible_to, visits_visible_to, work_calendar
from cases.visits import days_since, is_stale, stale_after_days
from fieldwork import services, sync
from fieldwork.forms import (
    MAX_PROBLEMS,
    RatingForm,
    VisitForm,
    problem_formset,
    problems_typed,
    show_errors,
)
from fieldwork.selectors import enterprises_overview, my_enterprises, open_cases
from fieldwork.sync import field_actor, json_login_required
from web.downloads import file_download
from web.middleware import request_actor
from web.query import id_param, search_param

ENTERPRISES_PER_PAGE = 30
CASES_SHOWN_PER_ENTERPRISE = 5
RECENT_VISITS = 10
RECENT_CLOSED = 20


def _with_clocks(cases, now, calendar):
    """Each open case's current deadline (cases.deadlines): working days left, or how late."""
    for case in cases:
        case.clock = standing(case, now, calendar)
    return cases


@login_required
@require_GET
def enterprises(request):
    """我的企业: the enterprises of my task forces, the neglected and overdue ones first."""
    actor = field_actor(request)
    now = timezone.now()
    search = search_param(request.GET, "q")
    page = Paginator(
        enterprises_overview(actor, now=now, search=search), ENTERPRISES_PER_PAGE
    ).get_page(request.GET.get("page"))
    calendar = work_calendar()
    today = timezone.localdate()
    for enterprise in page.object_list:
        _with_clocks(enterprise.open_cases, now, calendar)
        enterprise.overdue_count = sum(1 for c in enterprise.open_cases if c.overdue)
        enterprise.more_cases = max(0, len(enterprise.open_cases) - CASES_SHOWN_PER_ENTERPRISE)
        enterprise.days_since = days_since(enterprise.last_visit, today)
        enterprise.stale = is_stale(enterprise.last_visit, today)
    return render(
        request,
        "fieldwork/enterprises.html",
        {
            "page": page,
            "search": search,
            "stale_days": stale_after_days(),
            "cases_shown": CASES_SHOWN_PER_ENTERPRISE,
        },
    )


@login_required
@require_GET
def enterprise(request, pk: int):
    """One enterprise of mine: its open cases with their clocks and commitments, recent visits."""
    actor = field_actor(request)
    enterprise = get_object_or_404(my_enterprises(actor).select_related("township"), pk=pk)
    now = timezone.now()
    cases = list(
        open_cases(actor, now)
        .filter(enterprise=enterprise)
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("committed_by"))
        )
        .annotate(rated=_rated_this_round())
    )
    _with_clocks(cases, now, work_calendar())
    today = timezone.localdate()
    for case in cases:
        for commitment in case.commitments.all():
            commitment.state = commitment.state_on(today)
    visits = (
        visits_visible_to(actor)
        .filter(enterprise=enterprise)
        .select_related("cadre")
        .annotate(case_count=Count("cases"))
        .order_by("-visited_on", "-id")  # a GROUP BY query ignores Meta.ordering
        .prefetch_related("photos")[:RECENT_VISITS]
    )
    closed = (
        cases_visible_to(actor)
        .filter(enterprise=enterprise)
        .exclude(status__in=Case.OPEN_STATUSES)
        .select_related("lead_department")
        .order_by(F("closed_at").desc(nulls_last=True), "-id")[:RECENT_CLOSED]
    )
    return render(
        request,
        "fieldwork/enterprise.html",
        {
            "enterprise": enterprise,
            "cases": cases,
            "awaiting_rating": [
                c for c in cases if c.status == Case.Status.REPLIED and not c.rated
            ],
            "visits": visits,
            "closed": closed,
        },
    )


def _rated_this_round() -> Exists:
    return Exists(Rating.objects.filter(case=OuterRef("pk"), reply_round=OuterRef("reply_round")))


@json_login_required()
def visit_new(request):
    """登记走访: the visit, its problems (rows added with htmx) and photos, saved in one go.

    The phone's offline uploader posts the same form with `Accept: application/json`, the id it
    gave the visit (client_id) and perhaps the 签到位置, and gets JSON back (fieldwork.sync)."""
    actor = field_actor(request)
    as_json = sync.wants_json(request)
    if request.method != "POST":
        initial = {
            "enterprise": id_param(request.GET, "enterprise"),
            "kind": request.GET.get("kind"),
        }
        form = VisitForm(actor=actor, initial=initial)
        return _render_visit_form(request, form, problem_formset())
    form = VisitForm(request.POST, request.FILES, actor=actor)
    formset = problem_formset(request.POST)
    try:
        # A resend (a lost answer, a double tap) finds the first visit before anything else is
        # checked: the enterprise may have moved since, a category been retired.
        client_id = form.client_id_sent()
        if client_id and (sent := intake.visit_sent_before(actor, client_id)):
            return sync.visit_saved(sent) if as_json else _visit_saved(request, *sent, sent=True)
        if form.is_valid() and formset.is_valid():
            rows, problems = problems_typed(formset)
            try:
                logged = services.visit_log(actor=actor, problems=problems, **form.visit_kwargs())
            except ValidationError as error:
                show_errors(error, form, formset, rows)
            except ActionForbidden as refused:  # the enterprise left the cadre's task forces
                if as_json:
                    return sync.enterprise_moved()
                form.add_error("enterprise", refused.message)
            else:
                return sync.visit_saved(logged) if as_json else _visit_saved(request, *logged)
    except ClientIdTaken as taken:
        if as_json:
            return sync.refusal(409, sync.CLIENT_ID_TAKEN, taken.message)
        form.add_error(None, taken.message)
    if as_json:
        if form.enterprise_moved():
            return sync.enterprise_moved()
        return sync.form_invalid(form, formset)
    return _render_visit_form(request, form, formset, status=400)


def _render_visit_form(request, form, formset, status=200):
    return render(
        request,
        "fieldwork/visit_form.html",
        {
            "form": form,
            "formset": formset,
            "max_problems": MAX_PROBLEMS,
            "photos_lost": form.is_bound and bool(request.FILES.getlist("photos")),
        },
        status=status,
    )


def _visit_saved(request, visit: Visit, cases: list[Case], sent: bool = False):
    if sent:
        messages.info(request, _("这条走访之前已上传过，未重复登记。"))
    elif cases:
        messages.success(
            request,
            _("走访已登记，发现的 %(count)d 个问题已提交县委办交办。") % {"count": len(cases)},
        )
    else:
        messages.success(request, _("走访已登记：本次未发现问题。"))
    if visit.kind == Visit.Kind.RESOLVE:
        return redirect("fieldwork:return_visit", pk=visit.pk)
    return redirect("fieldwork:visit", pk=visit.pk)


def _visible_visit(request, pk: int) -> Visit:
    return get_object_or_404(
        visits_visible_to(request_actor(request)).select_related(
            "enterprise", "cadre", "task_force"
        ),
        pk=pk,
    )


@login_required
@require_GET
def visit(request, pk: int):
    visit = _visible_visit(request, pk)
    actor = request_actor(request)
    return render(
        request,
        "fieldwork/visit.html",
        {
            "visit": visit,
            "photos": visit.photos.all(),
            "cases": cases_visible_to(actor).filter(visit=visit).select_related("lead_department"),
        },
    )


@login_required
@require_GET
def return_visit(request, pk: int):
    """回访: the replied cases of the visited enterprise, each with a rating form."""
    visit = _visible_visit(request, pk)
    return _render_return_visit(request, visit)


def _render_return_visit(request, visit: Visit, bound: dict | None = None, status=200):
    actor = request_actor(request)
    replied = (
        cases_visible_to(actor)
        .filter(enterprise=visit.enterprise_id, status=Case.Status.REPLIED)
        .select_related("lead_department")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.select_related("rated_by")))
        .order_by("replied_at", "id")
    )
    cases = []
    replied = list(replied)
    # A cadre whose own unit handles a case may not record its rating (cases.workflow).
    conflicts = workflow.rating_conflicts(actor, replied)
    for case in replied:
        case.this_round = next(
            (r for r in case.ratings.all() if r.reply_round == case.reply_round), None
        )
        case.form = (bound or {}).get(case.pk) or RatingForm(prefix=f"case-{case.pk}")
        case.conflict = conflicts.get(case.pk, "")
        cases.append(case)
    return render(
        request,
        "fieldwork/return_visit.html",
        {
            "visit": visit,
            "cases": cases,
            "may_rate": visit.kind == Visit.Kind.RESOLVE and visit.cadre_id == actor.user.pk,
        },
        status=status,
    )


@login_required
@require_POST
def return_visit_rate(request, pk: int, case_pk: int):
    visit = _visible_visit(request, pk)
    actor = request_actor(request)
    case = get_object_or_404(cases_visible_to(actor), pk=case_pk, enterprise=visit.enterprise_id)
    form = RatingForm(request.POST, prefix=f"case-{case.pk}")
    if conflict := workflow.rating_conflict(actor, case):
        messages.error(request, conflict)
        return _render_return_visit(request, visit, status=403)
    if form.is_valid():
        try:
            case = services.return_visit_rate(
                actor=actor, visit=visit, case=case, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(error, form)
        except InvalidState as conflict:
            messages.warning(request, conflict.message)
            return redirect("fieldwork:return_visit", pk=visit.pk)
        else:
            _rated_message(request, case)
            return redirect("fieldwork:return_visit", pk=visit.pk)
    return _render_return_visit(request, visit, {case.pk: form}, status=400)


def _rated_message(request, case: Case) -> None:
    if case.status == Case.Status.IN_PROGRESS:
        messages.warning(
            request,
            _("已代录评价“%(rating)s”：企业不满意，问题 %(number)s 已退回重新办理。")
            % {"rating": case.get_rating_display(), "number": case.number},
        )
    else:
        messages.success(
            request,
            _("已代录问题 %(number)s 的评价“%(rating)s”。")
            % {"rating": case.get_rating_display(), "number": case.number},
        )


@login_required
@require_safe
@cache_control(private=True, max_age=3600)
def photo(request, pk: int, thumbnail: bool = False):
    """A visit photo, to those who may see the visit or a case it found; never a public URL."""
    record = get_object_or_404(photos_visible_to(request_actor(request)), pk=pk)
    small = thumbnail and bool(record.thumbnail)
    file = record.thumbnail if small else record.image
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return file_download(
        handle,
        content_type="image/jpeg" if small else record.content_type,
        original_name=record.original_name,
        fallback_name=_("走访照片"),
    )
