"""Signing in for a token, and who the signed-in user is."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api import tokens
from api.schema import errors
from api.throttles import LoginThrottle
from api.views.base import ApiView
from counties.models import City, County
from taskforces.models import TaskForce


class TokenView(ApiView, APIView):
    """Send `Authorization: Token <token>` with every other request. A token is good for
    API_TOKEN_TTL_DAYS days (then 401: sign in again for a new one) and dies with its password."""

    throttle_classes = [LoginThrottle]

    def get_authenticators(self):
        # Signing in takes nothing but the password (an expired token in the header must not stand
        # in the way of a new one); revoking a token takes that token.
        return [] if self._signing_in() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._signing_in() else super().get_permissions()

    def _signing_in(self) -> bool:
        return getattr(self.request, "method", None) == "POST"  # no request: the schema asks

    @extend_schema(
        summary="Exchange a username and password for an API token",
        request=s.CredentialsSerializer,
        responses={200: s.TokenSerializer, **errors(400, 429)},
        auth=[],
    )
    def post(self, request):
        serializer = s.CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, so that django-axes counts failures and locks out guessing.
        user = authenticate(request._request, **serializer.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            # Answer the lockout as the API's JSON 429 with Retry-After, not axes's HTML page.
            request._request.axes_locked_out = False
            cool_off = get_cool_off(request._request)
            raise exceptions.Throttled(
                wait=cool_off.total_seconds() if cool_off else None,
                detail=_("登录失败次数过多，请稍后再试。"),
            )
        if user is None:
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码不正确。")]})
        token = tokens.token_issue(user=user)
        answer = {"token": token.key, "expires_at": tokens.token_expires_at(token)}
        return Response(s.TokenSerializer(answer).data)

    @extend_schema(
        summary="Revoke the caller's API token (sign out of the API)",
        request=None,
        responses={204: None},
    )
    def delete(self, request):
        tokens.tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ApiView, APIView):
    """Roles: office, leadership, leader, department, cadre, enterprise, city (DESIGN §2); the
    county the user works in, and its city (the city's office: its city, no county)."""

    @extend_schema(summary="The signed-in user, their roles and links", responses=s.MeSerializer)
    def get(self, request):
        actor, user = self.actor, request.user
        names = dict(TaskForce.objects.filter(pk__in=actor.taskforce_ids).values_list("pk", "name"))
        county = (
            County.objects.select_related("city").filter(pk=actor.county_id).first()
            if actor.county_id
            else None
        )
        city = county.city if county else City.objects.filter(pk=actor.city_id).first()
        me = {
            "id": user.pk,
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "roles": actor.roles,
            "county": _place(county),
            "city": _place(city),
            "department": actor.department_id,
            "is_department_head": actor.is_department_head,
            "enterprise": actor.enterprise_id,
            "task_forces": [
                {"id": pk, "name": names.get(pk, ""), "roles": sorted(roles)}
                for pk, roles in sorted(actor.taskforce_roles.items())
            ],
        }
        return Response(s.MeSerializer(me).data)


def _place(place) -> dict | None:
    return {"id": place.pk, "name": place.name} if place is not None else None
