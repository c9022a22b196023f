"""The county's directory: departments, enterprises and task forces."""

from __future__ import annotations

from rest_framework import serializers

from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce, TaskForceMember


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
