"""站内信 over the API: the user's own notifications, and marking one read (DESIGN §9)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.filters import query_boolean
from api.schema import errors
from api.views.base import ApiView
from notifications.inbox import notification_mark_read, notifications_for
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "case", "level", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(ApiView, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's in-app messages, newest first; another user's answer 404."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        unread = query_boolean(self.request, "unread")
        return notifications_for(self.request.user, unread_only=bool(unread))

    @extend_schema(
        summary="My notifications, newest first",
        parameters=[
            OpenApiParameter(
                "unread", bool, description="`true`: only the unread ones; `false`: all of them."
            )
        ],
        responses={200: NotificationSerializer(many=True), **errors(400)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Mark one of my notifications read",
        request=None,
        responses={200: NotificationSerializer, **errors(401, 404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        try:
            notification_id = int(pk)
            notification = notification_mark_read(
                user=request.user, notification_id=notification_id
            )
        except (ValueError, Notification.DoesNotExist):
            raise NotFound() from None
        return Response(NotificationSerializer(notification).data)
