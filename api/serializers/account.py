"""Who the user is (me), and signing in for a token."""

from __future__ import annotations

from rest_framework import serializers

from cases.roles import ROLES
from taskforces.models import TaskForceMember


class MyTaskForceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(TaskForceMember.Role.choices))


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(ROLES))
    county = PlaceSerializer(
        allow_null=True,
        help_text="The county (县/区) the user works in; null for the city's office and for a "
        "user with no role.",
    )
    city = PlaceSerializer(
        allow_null=True,
        help_text="The city (市) of the user's county, or the city whose counties the city's "
        "office reads.",
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
