"""The API's shapes (DESIGN §9): reading cases and their neighbours, and parsing each action's input.

Serializers only parse and present. Which objects an id may name comes from the selectors (an id
outside the user's scope reads "does not exist", like an id that never existed); whether an action
may happen, and every business rule, is the workflow's.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import joint, selectors
from cases.calendar import estimated_deadlines
from cases.deadlines import CONTACT, RESOLVE, standing
from cases.models import Case, CaseEvent, Category, EventAttachment, Visit
from cases.stats import LEVELS
from cases.validators import validate_calendar_day, validate_multiline, validate_single_line
from cases.workdays import WorkCalendar
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceMember
from web.downloads import download_name

TITLE_MAX = 200
TEXT_MAX = 10_000
MAX_PROBLEMS_PER_VISIT = 50


# --- fields ------------------------------------------------------------------------------------


class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """An id among the objects a selector lets this user see; any other reads "does not exist"."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["actor"])


class CaseChildField(serializers.PrimaryKeyRelatedField):
    """The id of one of this case's own items (a commitment, a breakdown item)."""

    def __init__(self, related_name: str, **kwargs):
        self.related_name = related_name
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self):
        return getattr(self.context["case"], self.related_name).all()


class CategoryField(serializers.SlugRelatedField):
    """A category by its code (`power`, `labour` …); its numeric id is accepted on input too."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Category.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            category = self.get_queryset().filter(pk=data).first()
            if category is None:
                self.fail("does_not_exist", slug_name=self.slug_field, value=data)
            return category
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# The domain's input rules (cases.validators) on the fields, so a refusal names the field before
# the service, which checks the same again, is called.


class MomentField(serializers.DateTimeField):
    """ISO 8601 with its offset; a moment without one is read as Beijing time. 2000–2099."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_calendar_day])
        super().__init__(**kwargs)


class DayField(serializers.DateField):
    """YYYY-MM-DD, 2000–2099."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_calendar_day])
        super().__init__(**kwargs)


def text_field(*, required: bool = True, max_length: int = TEXT_MAX) -> serializers.CharField:
    """Multi-line text (a description, a note, a reply): newlines kept, no NUL or other control."""
    if required:
        return serializers.CharField(max_length=max_length, validators=[validate_multiline])
    return serializers.CharField(
        max_length=max_length,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_multiline],
    )


def line_field(*, required: bool = True, max_length: int) -> serializers.CharField:
    """One line (a title, a batch): no line break, tab or other control character."""
    if required:
        return serializers.CharField(max_length=max_length, validators=[validate_single_line])
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, validators=[validate_single_line]
    )


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice the model stores as "" until made (outcome, rating): the API says null."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


_MOMENT = serializers.DateTimeField()


def _co_department_ids(case: Case) -> list[int]:
    ids = getattr(case, "co_department_ids", None)  # set for a whole page by the case views
    return ids if ids is not None else [d.pk for d in case.co_departments.all()]


def _joint(case: Case) -> tuple[list[int], int]:
    """The other cases of the case's joint group and how many enterprises they are."""
    if not hasattr(case, "joint_case_ids"):  # set for a whole page by the case views
        joint.attach_groups([case])
    return case.joint_case_ids, case.joint_enterprises


# --- reading -----------------------------------------------------------------------------------


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
            context["work_calendar"] = selectors.work_calendar()
        return context["work_calendar"]


class EventAttachmentSerializer(serializers.ModelSerializer):
    """A file sent with a progress note or a reply (cases.attachments), listed with its event:
    whoever reads the event may download it from `url` with the same credentials."""

    name = serializers.SerializerMethodField(
        help_text="The name it downloads under: the uploader's name with its checked type's "
        "extension."
    )
    url = serializers.SerializerMethodField(
        help_text="GET it (with your token) for the file: GET /api/v1/cases/{id}/files/{file_id}/."
    )

    class Meta:
        model = EventAttachment
        fields = ["id", "name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_name(self, attachment: EventAttachment) -> str:
        return download_name(
            attachment.original_name, attachment.content_type, fallback=str(_("附件"))
        )

    def get_url(self, attachment: EventAttachment) -> str:
        path = reverse("api:case-file", kwargs={"pk": attachment.case_id, "file_id": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    internal_note = serializers.SerializerMethodField()
    attachments = EventAttachmentSerializer(
        many=True,
        read_only=True,
        help_text="The files sent with the event (a progress note's, a reply's); listed only on "
        "an event the reader may see, as the files themselves.",
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "actor",
            "unit",
            "department",
            "public",
            "note",
            "internal_note",
            "data",
            "attachments",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "readOnly": True,
            "description": "Who acted: the actor's own unit when it happened (department is "
            "the department the event concerns). null on an old event whose actor's unit is "
            "unknown.",
            "properties": {
                "kind": {"type": "string", "enum": CaseEvent.Unit.values},
                "name": {
                    "type": "string",
                    "description": "the unit's name as it was then; for the system (and an office "
                    "without a unit of its own) the kind's label",
                },
            },
            "required": ["kind", "name"],
        }
    )
    def get_unit(self, event: CaseEvent) -> dict | None:
        if not event.unit_kind:
            return None
        return {"kind": event.unit_kind, "name": event.unit_label}

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "readOnly": True,
            "description": "The internal remark (the office's 交办意见, a decision's or a "
            "close-out's remark); null for the enterprise, which never reads it.",
        }
    )
    def get_internal_note(self, event: CaseEvent) -> str | None:
        return event.internal_note if self.context.get("internal", True) else None

    @extend_schema_field({"type": "string", "nullable": True, "readOnly": True})
    def get_actor(self, event: CaseEvent) -> str | None:
        # Which clerk did what is internal; the enterprise reads the unit that acted (unit).
        if not self.context.get("internal", True):
            return None
        user = event.actor
        return (user.get_full_name() or user.username) if user else None


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind"]
        read_only_fields = fields


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "industry",
            "township",
            "industry_department",
            "address",
            "contact_name",
            "contact_phone",
            "is_key",
        ]
        read_only_fields = fields


class TaskForceMemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = TaskForceMember
        fields = ["user", "name", "role", "department"]
        read_only_fields = fields

    def get_name(self, member: TaskForceMember) -> str:
        return member.user.get_full_name() or member.user.username


class TaskForceSerializer(serializers.ModelSerializer):
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    members = TaskForceMemberSerializer(many=True, read_only=True)

    class Meta:
        model = TaskForce
        fields = ["id", "name", "kind", "active", "enterprises", "members"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "enterprise",
            "cadre",
            "task_force",
            "visited_on",
            "kind",
            "notes",
            "created_at",
            "cases",
        ]
        read_only_fields = fields


class MyTaskForceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(TaskForceMember.Role.choices))


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(["office", "leader", "department", "cadre", "enterprise"])
    )
    department = serializers.IntegerField(allow_null=True)
    is_department_head = serializers.BooleanField()
    enterprise = serializers.IntegerField(allow_null=True)
    task_forces = MyTaskForceSerializer(many=True)


class RatingCountsSerializer(serializers.Serializer):
    def get_fields(self):
        return {level: serializers.IntegerField() for level in LEVELS}


class DepartmentStatsSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    department_name = serializers.CharField(source="department.name")
    assigned = serializers.IntegerField()
    contacted_on_time = serializers.IntegerField()
    replied_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    returns = serializers.IntegerField()
    ratings = RatingCountsSerializer()
    rated = serializers.IntegerField()
    excluded_ratings = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


class StatsRangeSerializer(serializers.Serializer):
    date_from = DayField(required=False)
    date_to = DayField(required=False)

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"date_to": _("结束日期不能早于开始日期。")})
        return attrs


class DepartmentStatsReportSerializer(serializers.Serializer):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    results = DepartmentStatsSerializer(many=True)


# --- creating ----------------------------------------------------------------------------------


class CaseCreateSerializer(serializers.Serializer):
    enterprise = ScopedIdField(selectors.enterprises_visible_to)
    title = line_field(max_length=TITLE_MAX)
    description = text_field(required=False)
    category = CategoryField()


class ProblemSerializer(serializers.Serializer):
    title = line_field(max_length=TITLE_MAX)
    description = text_field(required=False)
    category = CategoryField()


class VisitCreateSerializer(serializers.Serializer):
    enterprise = ScopedIdField(selectors.enterprises_visible_to)
    visited_on = DayField()
    kind = serializers.ChoiceField(Visit.Kind.choices)
    notes = text_field(required=False)
    problems = serializers.ListField(
        child=ProblemSerializer(), required=False, default=list, max_length=MAX_PROBLEMS_PER_VISIT
    )


# --- actions: each field is the keyword of the workflow function it feeds -------------------------


def _departments(**kwargs) -> ScopedIdField:
    return ScopedIdField(selectors.departments_visible_to, **kwargs)


class AssignSerializer(serializers.Serializer):
    lead_department = _departments()
    co_departments = serializers.ListField(
        child=_departments(), required=False, default=list, max_length=50
    )
    resolve_due_at = MomentField(required=False)
    assigned_at = MomentField(
        required=False, help_text="A historical assignment's real date (the office only)."
    )
    batch = line_field(max_length=50, required=False)
    note = text_field(required=False)


class AcceptSerializer(serializers.Serializer):
    contact_note = text_field()


class ReturnSerializer(serializers.Serializer):
    reason = text_field()


class ProgressSerializer(serializers.Serializer):
    note = text_field()
    public = serializers.BooleanField(required=False, default=False)


class BreakdownSerializer(serializers.Serializer):
    department = _departments()
    measure = text_field()
    due_on = DayField()


class CompleteBreakdownSerializer(serializers.Serializer):
    item = CaseChildField("breakdown_items")


class CommitmentSerializer(serializers.Serializer):
    text = text_field()
    due_on = DayField()


class KeepCommitmentSerializer(serializers.Serializer):
    commitment = CaseChildField("commitments")
    note = text_field(required=False)


class RequestExtensionSerializer(serializers.Serializer):
    resolve_due_at = MomentField()
    reason = text_field()


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = text_field(required=False)


class RequestSuspensionSerializer(serializers.Serializer):
    reason = text_field()


class NoteSerializer(serializers.Serializer):
    note = text_field(required=False)


class ReplySerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(Case.Outcome.choices)
    reply = text_field()


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(Case.Rating.choices)
    comment = text_field(required=False)


class AppealSerializer(serializers.Serializer):
    reason = text_field()


class DecideAppealSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    note = text_field(required=False)


class ReopenSerializer(serializers.Serializer):
    reason = text_field()


class MergeSerializer(serializers.Serializer):
    into = ScopedIdField(selectors.cases_visible_to)


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When the token stops working; null: until revoked."
    )
