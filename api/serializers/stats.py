"""The departments' statistics over a period."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.fields import DayField
from cases.stats import LEVELS


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
