"""走访: reading a visit, and recording one with the problems found there."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import (
    TITLE_MAX,
    CategoryField,
    ClientIdField,
    DayField,
    ScopedIdField,
    line_field,
    text_field,
)
from cases import selectors
from cases.models import Visit

MAX_PROBLEMS_PER_VISIT = 50


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
            "client_id",
        ]
        read_only_fields = fields


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
    client_id = ClientIdField(
        required=False,
        help_text=(
            "An id the client makes for this visit (a UUID). Sent again by the same user — after a "
            "lost answer — the visit first created under it is answered with 200 and nothing is "
            "created; the same id from another user is a 409."
        ),
    )
