"""Who the user is (me), and signing in for a token."""

from __future__ import annotations

from rest_framework import serializers

from taskforces.models import TaskForceMember


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


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="When the token stops working; null: until revoked."
    )
