"""上报市级 as the API reads it (cases.workflow.city): a case's escalations to its city, the
first first — each with the county's 政策建议, the city department it went to, its deadlines and
the city's answer. Read by whoever reads one of them (cases.selectors.city_escalations_of_case)."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import CityEscalation


class CityEscalationSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=CityEscalation.State.choices,
        read_only=True,
        help_text="escalated: waiting for the city office; assigned: with a city department; "
        "answered: the city answered (the county may send the case up again).",
    )
    city_department = serializers.SerializerMethodField(
        help_text="The city department's name (null until the city office assigns it)."
    )

    class Meta:
        model = CityEscalation
        fields = [
            "id",
            "state",
            "proposal",
            "escalated_at",
            "city_department",
            "assigned_at",
            "contact_due_at",
            "answer_due_at",
            "contacted_at",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields

    def get_city_department(self, escalation: CityEscalation) -> str | None:
        department = escalation.city_department
        return department.name if department else None
