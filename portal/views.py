"""The enterprise portal: my cases, raise a problem, attachments (accounts: account_views).

Views parse input, call one service or selector, render. The shared case page (/cases/<pk>/,
web.case_views) shows each case's public timeline and takes the rating.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import CONTACT, RESOLVE, Clock, clock
from cases.files import max_bytes, max_files, max_request_bytes, size_label
from cases.models import Case, CaseAttachment, CaseEvent, Rating
from cases.roles import Actor
from cases.selectors import cases_visible_to, work_calendar
from cases.timeline import recorded_by
from enterprises.models import Enterprise
from portal import selectors, services
from portal.forms import RaiseProblemForm
from web.downloads import StoredFileMissing, stored_file_response
from web.forms import attach_errors
from web.middleware import request_actor, request_actor_or_403

CASES_PER_PAGE = 20


def _contact(request) -> Actor:
    return request_actor_or_403(
        request, lambda actor: actor.enterprise_id, _("此页面供企业联系人使用。")
    )


def _inbox(request) -> dict | None:
    """The notifications inbox link with the unread count, once the inbox page exists."""
    try:
        url = reverse("notifications")
    except NoReverseMatch:
        return None
    from notifications.inbox import notifications_for

    return {"url": url, "unread": notifications_for(request.user, unread_only=True).count()}


@dataclass(frozen=True)
class Row:
    case: Case
    contact: Clock | None
    resolve: Clock | None
    next: selectors.NextStep
    rating: Rating | None = None

    @property
    def latest_label(self) -> str:
        kind = self.case.latest_kind
        if kind == CaseEvent.Kind.ASSIGNED and self.case.lead_department_id:
            department = self.case.lead_department.name
            if self.case.assignments > 1:
                return _("改由%(department)s办理") % {"department": department}
            return _("交%(department)s办理") % {"department": department}
        return CaseEvent.Kind(kind).label if kind in CaseEvent.Kind.values else ""

    @property
    def handler(self) -> dict | None:
        return selectors.handler(self.case)

    @property
    def recorded_by(self) -> str:
        return recorded_by(self.rating) if self.rating else ""

    @property
    def latest_unit(self) -> str:
        """Who did the latest update (CaseEvent.unit_label, from the row's annotations)."""
        return CaseEvent.unit_label_of(self.case.latest_unit_kind, self.case.latest_unit_name)

    @property
    def awaiting_rating(self) -> bool:
        return self.case.status == Case.Status.REPLIED and not self.case.rated_this_round

    @property
    def reopened_after_rating(self) -> bool:
        return (
            self.case.status == Case.Status.IN_PROGRESS
            and self.case.rating in Case.DISSATISFIED_RATINGS
        )


@login_required
def my_cases(request):
    """我的诉求: every case of my enterprise, where it stands, and what to do next."""
    actor = _contact(request)
    cases = selectors.my_cases(actor)
    show = request.GET.get("show", "")
    show = show if show in selectors.FILTERS else "all"
    page = Paginator(cases.filter(selectors.filter_q(show)), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    now, calendar = timezone.now(), work_calendar()
    ratings = selectors.latest_ratings(case.pk for case in page.object_list)
    rows = [
        Row(
            case,
            clock(case, CONTACT, now, calendar),
            clock(case, RESOLVE, now, calendar),
            selectors.next_step(
                case,
                rated=case.rated_this_round,
                now=now,
                calendar=calendar,
                urged_at=case.urged_at,
            ),
            ratings.get(case.pk),
        )
        for case in page.object_list
    ]
    return render(
        request,
        "portal/cases.html",
        {
            "enterprise": Enterprise.objects.only("name").get(pk=actor.enterprise_id),
            "page": page,
            "rows": rows,
            "show": show,
            "counts": selectors.tab_counts(actor),
            "inbox": _inbox(request),
        },
    )


@login_required
def raise_problem(request):
    """反映问题: the contact's own problem, with photos or PDFs, straight to the office's triage."""
    actor = _contact(request)
    posted = request.method == "POST"
    if posted and _content_length(request) > max_request_bytes():
        # Refused before Django reads (and spools to disk) an upload far beyond what is allowed.
        return _upload_too_large(request)
    form = RaiseProblemForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            case = services.problem_raise(
                actor=actor,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                category=form.cleaned_data["category"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("问题已提交，编号 %(number)s。县委办将尽快交由相关部门办理，进展会显示在这里。")
                % {"number": case.number},
            )
            return redirect(reverse("portal:cases") + f"#case-{case.pk}")
    return render(
        request,
        "portal/raise.html",
        {"form": form, "contact_days": settings.CONTACT_DEADLINE_WORKING_DAYS},
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _upload_too_large(request):
    messages.error(
        request,
        _("提交的附件太大：最多 %(count)d 个，每个不超过 %(size)s。请压缩或减少附件后重新提交。")
        % {"count": max_files(), "size": size_label(max_bytes())},
    )
    return render(
        request,
        "portal/raise.html",
        {"form": RaiseProblemForm(), "contact_days": settings.CONTACT_DEADLINE_WORKING_DAYS},
        status=413,
    )


@login_required
def attachment_download(request, pk: int):
    """An attachment, to anyone who may see its case; to anyone else it does not exist (404)."""
    visible = cases_visible_to(request_actor(request)).values("pk")
    attachment = get_object_or_404(CaseAttachment.objects.filter(case_id__in=visible), pk=pk)
    try:
        return stored_file_response(attachment)
    except StoredFileMissing:
        raise Http404(_("附件文件已不存在。")) from None
