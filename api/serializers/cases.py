"""Reading a case (CaseSerializer, the case list's hot path) and creating one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from api.serializers.fields import (
    TITLE_MAX,
    BlankAsNullChoiceField,
    CategoryField,
    ScopedIdField,
    line_field,
    text_field,
)
from cases import joint, selectors
from cases.calendar import estimated_deadlines
from cases.deadlines import CONTACT, RESOLVE, standing
from cases.models import Case
from cases.workdays import WorkCalendar
from web.middleware import remembered_calendar

_MOMENT = serializers.DateTimeField()


def _co_department_ids(case: Case) -> list[int]:
    ids = getattr(case, "co_department_ids", None)  # set for a whole page by the case views
    return ids if ids is not None else [d.pk for d in case.co_departments.all()]


def _joint(case: Case) -> tuple[list[int], int]:
    """The other cases of the case's joint group and how many enterprises they are."""
    if not hasattr(case, "joint_case_ids"):  # set for a whole page by the case views
        joint.attach_groups([case])
    return case.joint_case_ids, case.joint_enterprises


class CaseSerializer(serializers.ModelSerializer):
    """问题/诉求: one problem of one enterprise, its deadlines and where it stands."""

    # Reads the cases of api.views.cases.case_queryset, which annotates `overdue`.

    category = CategoryField(read_only=True)
    co_departments = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    outcome = BlankAsNullChoiceField(Case.Outcome.choices)
    rating = BlankAsNullChoiceField(Case.Rating.choices)
    overdue = serializers.BooleanField(read_only=True)
    # 0 warning, 1 overdue, 2 escalated, 3 flagged (DESIGN §6): the highest reminder sent for the
    # deadlines still running; null before any.
    escalation_level = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=0, max_value=3
    )
    current_deadline = serializers.ChoiceField(
        choices=[CONTACT, RESOLVE],
        read_only=True,
        allow_null=True,
        help_text="The deadline the case is measured on now: `contact` until the department "
        "accepts, then `resolve` until it replies; null when none runs (suspended, replied, "
        "closed, not yet assigned).",
    )
    level = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        max_value=3,
        help_text="Where the current deadline stands on the ladder now, as the supervision board "
        "shows it: 0 due today, 1 overdue, 2 one working day late (督办), 3 three (挂牌督办); "
        "null before the due day.",
    )
    working_days_late = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Whole working days after the current deadline's due day that have ended; "
        "0 on the day after a Thursday deadline (overdue, not yet a day late). Null when no "
        "deadline runs.",
    )
    estimated = serializers.BooleanField(
        read_only=True,
        help_text="True while a deadline still to be met was counted through a year whose "
        "holidays are the statutory estimate (no schedule published or entered yet): it moves "
        "when the office enters that year's schedule.",
    )
    joint_group = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="并案办理: the id of the main case (主办件) of the joint group the case is handled "
        "in (the main case's own id on it); null when it is handled on its own. Staff only: "
        "always null for an enterprise contact.",
    )
    joint_cases = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="The ids of the other cases of its joint group, other enterprises' problems "
        "handled with it (staff; some may lie outside your scope). Always [] for an enterprise "
        "contact.",
    )
    listed_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="挂牌督办: when the office listed the case (POST …/list/); null when it is not "
        "listed — the ladder's level 3 only proposes listing. Staff only: always null for an "
        "enterprise contact.",
    )
    joint_enterprises = serializers.IntegerField(
        read_only=True,
        min_value=0,
        help_text="How many other enterprises' cases of the same problem are handled with this "
        "one (0: handled on its own) — for every role.",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "description",
            "category",
            "enterprise",
            "status",
            "source",
            "batch",
            "lead_department",
            "co_departments",
            "assigned_at",
            "contact_due_at",
            "contacted_at",
            "resolve_due_at",
            "replied_at",
            "outcome",
            "reply",
            "rating",
            "closed_at",
            "overdue",
            "escalation_level",
            "current_deadline",
            "level",
            "working_days_late",
            "estimated",
            "merged_into",
            "joint_group",
            "joint_cases",
            "joint_enterprises",
            "suspended_at",
            "listed_at",
        ]
        read_only_fields = fields

    def to_representation(self, case: Case) -> dict:
        # The case list's hot path. The fields above declare the shape (for the schema); this
        # builds the same dict without DRF's per-field machinery, several times faster on a page
        # of 50. The fuzz tests check every answer against the schema.
        moment = _MOMENT.to_representation
        now = self._now()
        clock = standing(case, now, self._calendar())
        joint_cases, joint_enterprises = _joint(case)
        staff = self._internal()
        return {
            "id": case.pk,
            "number": case.number,
            "title": case.title,
            "description": case.description,
            "category": case.category.code,
            "enterprise": case.enterprise_id,
            "status": case.status,
            "source": case.source,
            "batch": case.batch,
            "lead_department": case.lead_department_id,
            "co_departments": _co_department_ids(case),
            "assigned_at": case.assigned_at and moment(case.assigned_at),
            "contact_due_at": case.contact_due_at and moment(case.contact_due_at),
            "contacted_at": case.contacted_at and moment(case.contacted_at),
            "resolve_due_at": case.resolve_due_at and moment(case.resolve_due_at),
            "replied_at": case.replied_at and moment(case.replied_at),
            "outcome": case.outcome or None,
            "reply": case.reply,
            "rating": case.rating or None,
            "closed_at": case.closed_at and moment(case.closed_at),
            "overdue": case.overdue,
            "escalation_level": case.escalation_level,
            "current_deadline": clock and clock.deadline,
            "level": clock and clock.level,
            "working_days_late": clock and clock.working_days_late,
            "estimated": bool(estimated_deadlines(case, self._calendar())),
            "merged_into": case.merged_into_id,
            "joint_group": case.joint_group_id if staff else None,
            "joint_cases": joint_cases if staff else [],
            "joint_enterprises": joint_enterprises,
            "suspended_at": case.suspended_at and moment(case.suspended_at),
            "listed_at": moment(case.listed_at) if staff and case.listed_at else None,
        }

    def _internal(self) -> bool:
        """Whether the reader is staff (an enterprise contact reads the public side only)."""
        context = self.context
        if "internal" not in context:
            actor = context.get("actor")
            context["internal"] = actor is not None and selectors.sees_internal_events(actor, None)
        return context["internal"]

    def _now(self) -> dt.datetime:
        """One moment per answer, shared with the `overdue` annotation's (case_queryset)."""
        context = self.context
        if "now" not in context:
            context["now"] = timezone.now()
        return context["now"]

    def _calendar(self) -> WorkCalendar:
        """Read once per answer: a list's cases share their root's context."""
        context = self.context
        if "work_calendar" not in context:
            county_id = getattr(context.get("actor"), "county_id", None)  # the caller's county's
            context["work_calendar"] = remembered_calendar(county_id)
        return context["work_calendar"]


class CaseCreateSerializer(serializers.Serializer):
    enterprise = ScopedIdField(selectors.enterprises_visible_to)
    title = line_field(max_length=TITLE_MAX)
    description = text_field(required=False)
    category = CategoryField()
