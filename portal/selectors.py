"""What the portal reads. Scoping comes from cases.selectors (the one answer to "who sees what");
these only narrow it and annotate it for the portal's pages."""

from __future__ import annotations

import datetime as dt

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

from cases.deadlines import with_overdue
from cases.models import Case, Commitment, Rating
from cases.roles import Actor, actor_for
from cases.selectors import case_events_visible_to, cases_visible_to, enterprises_visible_to
from enterprises.models import Enterprise, EnterpriseContact
from portal.models import CaseAttachment
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
    cases = cases_visible_to(actor).filter(enterprise_id=actor.enterprise_id)
    return (
        with_overdue(cases, now)
        .select_related("category", "lead_department", "merged_into")
        .annotate(
            rated_this_round=Exists(
                Rating.objects.filter(case=OuterRef("pk"), reply_round=OuterRef("reply_round"))
            ),
            latest_kind=Subquery(latest.values("kind")[:1]),
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
            latest_unit_kind=Subquery(latest.values("unit_kind")[:1]),
            latest_unit_name=Subquery(latest.values("unit_name")[:1]),
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
