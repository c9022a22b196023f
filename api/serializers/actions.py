"""The input of each action on a case: each field is the keyword of the workflow function it
feeds."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import (
    CaseChildField,
    DayField,
    MomentField,
    ScopedIdField,
    line_field,
    text_field,
)
from cases import selectors
from cases.models import Case


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


class EscalateToCitySerializer(serializers.Serializer):
    proposal = text_field()


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


class ListingSerializer(serializers.Serializer):
    reason = text_field()  # why the case is listed (挂牌) or delisted (摘牌)


class MergeSerializer(serializers.Serializer):
    into = ScopedIdField(selectors.cases_visible_to)
