"""What the portal reads. Scoping comes from cases.selectors (the one answer to "who sees what");
these only narrow it and annotate it for the portal's pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, workflow
from cases.deadlines import with_overdue
from cases.models import Case, CaseAttachment, CaseEvent, Commitment, Rating
from cases.roles import Actor, actor_for
from cases.selectors import case_events_visible_to, cases_visible_to, enterprises_visible_to
from cases.timeline import day_label
from cases.workdays import WorkCalendar
from enterprises.models import Enterprise, EnterpriseContact
from taskforces.models import TaskForceMember

S = Case.Status
WAITING_STATUSES = (S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS)
FILTERS = ("open", "rate", "done")


def _as_actor(who) -> Actor:
    return who if isinstance(who, Actor) else actor_for(who)


def _count(queryset: QuerySet) -> Subquery:
    counted = queryset.order_by().values("case_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def my_cases(who, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Every case of the contact's enterprise, annotated for the list in one query: whether it is
    overdue now, whether the current reply is rated, its latest public update, attachments and
    commitments."""
    actor = _as_actor(who)
    if not actor.enterprise_id:
        return Case.objects.none()
    today = timezone.localdate(now)
    # The timeline the user may see, correlated to each row: for a contact, the public events.
    latest = case_events_visible_to(actor, OuterRef("pk")).order_by("-created_at", "-id")
    commitments = Commitment.objects.filter(case=OuterRef("pk"))
    events = CaseEvent.objects.filter(case=OuterRef("pk"))
    urged = events.filter(kind=CaseEvent.Kind.URGED, unit_kind=CaseEvent.Unit.ENTERPRISE)
    cases = cases_visible_to(actor).filter(enterprise_id=actor.enterprise_id)
    return (
        with_overdue(cases, now)
        .select_related("category", "lead_department", "merged_into", "returned_from")
        .annotate(
            rated_this_round=Exists(
                Rating.objects.filter(case=OuterRef("pk"), reply_round=OuterRef("reply_round"))
            ),
            latest_kind=Subquery(latest.values("kind")[:1]),
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
            latest_unit_kind=Subquery(latest.values("unit_kind")[:1]),
            latest_unit_name=Subquery(latest.values("unit_name")[:1]),
            assignments=_count(events.filter(kind=CaseEvent.Kind.ASSIGNED)),
            urged_at=Subquery(urged.order_by("-created_at", "-id").values("created_at")[:1]),
            attachment_count=_count(CaseAttachment.objects.filter(case=OuterRef("pk"))),
            commitments_total=_count(commitments),
            commitments_kept=_count(commitments.filter(kept_at__isnull=False)),
            commitments_missed=_count(commitments.filter(kept_at__isnull=True, due_on__lt=today)),
        )
        .order_by("-created_at", "-id")
    )


def filter_q(name: str) -> Q:
    """The portal's tabs: still being handled, waiting for my rating, finished."""
    awaiting_rating = Q(status=S.REPLIED, rated_this_round=False)
    if name == "open":
        return Q(status__in=WAITING_STATUSES)
    if name == "rate":
        return awaiting_rating
    if name == "done":
        return Q(status__in=(S.CLOSED, S.MERGED)) | Q(status=S.REPLIED, rated_this_round=True)
    return Q()


def tab_counts(who) -> dict[str, int]:
    """How many cases each tab holds, in one query over the plain rows: whether the current reply
    is rated is asked of the replied cases only, so an enterprise's years of closed cases are
    counted by their status alone (the same tabs as filter_q)."""
    actor = _as_actor(who)
    if not actor.enterprise_id:
        return dict.fromkeys(("all", *FILTERS), 0)
    rated = Q(
        Exists(Rating.objects.filter(case=OuterRef("pk"), reply_round=OuterRef("reply_round")))
    )
    replied = Q(status=S.REPLIED)
    return (
        cases_visible_to(actor)
        .filter(enterprise_id=actor.enterprise_id)
        .order_by()
        .aggregate(
            all=Count("pk"),
            open=Count("pk", filter=Q(status__in=WAITING_STATUSES)),
            rate=Count("pk", filter=replied & ~rated),
            done=Count("pk", filter=Q(status__in=(S.CLOSED, S.MERGED)) | (replied & rated)),
        )
    )


def enterprises_managed_by(who) -> QuerySet[Enterprise]:
    """Whose contacts' accounts this user may create: the office, any enterprise; a paired cadre,
    the enterprises of their task forces."""
    actor = _as_actor(who)
    if actor.is_office:
        return enterprises_visible_to(actor)
    cadre_of = [
        tf for tf, roles in actor.taskforce_roles.items() if TaskForceMember.Role.CADRE in roles
    ]
    if not cadre_of:
        return Enterprise.objects.none()
    return enterprises_visible_to(actor).filter(task_forces__in=cadre_of).distinct()


def contacts_managed_by(who) -> QuerySet[EnterpriseContact]:
    return EnterpriseContact.objects.filter(
        enterprise__in=enterprises_managed_by(who)
    ).select_related("user", "enterprise")


def search_enterprises(enterprises: QuerySet[Enterprise], query: str) -> QuerySet[Enterprise]:
    if not query:
        return enterprises
    return enterprises.filter(Q(name__icontains=query) | Q(credit_code__iexact=query))


def with_contact_count(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Each enterprise with how many contact logins it has, sorted by name, in one query."""
    contacts = EnterpriseContact.objects.filter(enterprise=OuterRef("pk"))
    return enterprises.annotate(
        contact_count=Coalesce(
            Subquery(
                contacts.order_by().values("enterprise").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )
    ).order_by("name", "pk")


def latest_ratings(case_ids) -> dict[int, Rating]:
    """Each case's latest rating with who recorded it, in one query (the portal's page of cards)."""
    ratings = (
        Rating.objects.filter(case_id__in=list(case_ids))
        .select_related("rated_by")
        .order_by("case_id", "-reply_round")
    )
    latest: dict[int, Rating] = {}
    for rating in ratings:
        latest.setdefault(rating.case_id, rating)
    return latest


# --- what comes next, in the enterprise's words --------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """Where a case stands and what happens next, as the enterprise reads it."""

    badge: str  # the status, in the enterprise's words
    text: str  # what happens next
    tone: str  # the badge's colour: secondary, primary, warning, success, danger, light
    may_urge: bool = False  # a deadline has passed: the enterprise may urge (催办)
    urge_again: dt.datetime | None = None  # urged already: when it may urge again
    urge_after: dt.datetime | None = None  # a deadline runs: the enterprise may urge once past it


def next_step(
    case: Case,
    *,
    rated: bool,
    now: dt.datetime,
    calendar: WorkCalendar,
    urged_at: dt.datetime | None = None,
) -> NextStep:
    """What happens next on a case, for its enterprise: at each status a sentence of who does
    what by when. `rated`: the current reply is rated; `urged_at`: the enterprise's last 催办."""
    S = Case.Status
    status = str(case.get_status_display())
    department = case.lead_department.name if case.lead_department_id else ""
    if case.status == S.SUBMITTED and case.returned_from_id:
        # Sent back by the department: the office finds the right one; not a step backwards.
        return NextStep(
            _("重新安排中"),
            _("县委办正在重新安排办理单位，安排好后会通知您。"),
            "primary",
        )
    if case.status == S.SUBMITTED:
        return NextStep(status, _("已收到，等待县委办交由相关部门办理。"), "secondary")
    if case.status == S.MERGED:
        return NextStep(
            status,
            _("与相同的问题 %(number)s 合并办理。") % {"number": case.merged_into.number},
            "light",
        )
    if case.status == S.CLOSED:
        return NextStep(status, _("已办结销号，此问题办理完毕。"), "success")
    if case.status == S.REPLIED:
        if rated:
            return NextStep(status, _("已评价，等待县委办销号。"), "success")
        return NextStep(status, _("办理结果已反馈，请您评价。"), "warning")
    if case.is_suspended:
        return NextStep(
            _("暂停办理"), _("暂停办理：等待企业提供材料或条件，期限暂停计算。"), "secondary"
        )
    current = deadlines.current_deadline(case)
    overdue = current is not None and deadlines.is_overdue(current.due_at, now)
    due = day_label(current.due_at) if current else ""
    if case.status == S.ASSIGNED:
        text = _("已交办%(department)s，%(days)d个工作日内（%(due)s前）联系您。") % {
            "department": department,
            "days": settings.CONTACT_DEADLINE_WORKING_DAYS,
            "due": due,
        }
        if overdue:
            text = _("已交办%(department)s，应在%(due)s前联系您，现已逾期。") % {
                "department": department,
                "due": due,
            }
    else:
        text = _("办理中：%(department)s正在办理，%(due)s前反馈办理结果。") % {
            "department": department,
            "due": due,
        }
        if overdue:
            text = _("办理中：%(department)s应在%(due)s前反馈办理结果，现已逾期。") % {
                "department": department,
                "due": due,
            }
    again = workflow.urge_again_after(urged_at, now, calendar) if overdue else None
    if overdue and again:
        text = _("%(text)s您今天已催办，%(day)s起可再次催办。") % {
            "text": text,
            "day": day_label(again),
        }
    elif overdue:
        text = _("%(text)s您可以催办。") % {"text": text}
    if overdue:
        return NextStep(status, text, "danger", True, again)
    return NextStep(status, text, "primary", urge_after=current.due_at if current else None)


def handler(case: Case) -> dict | None:
    """The handling unit, with whom to call there and its office phone (Department)."""
    department = case.lead_department if case.lead_department_id else None
    if department is None or case.status in (Case.Status.SUBMITTED, Case.Status.MERGED):
        return None
    return {
        "name": department.name,
        "contact": department.contact_name,
        "phone": department.phone,
        "tel": "".join(ch for ch in department.phone if ch.isdigit() or ch == "+"),
    }
