"""A case's timeline as the API reads it: its events and the files sent with them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import CaseEvent, EventAttachment
from web.downloads import download_name


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
            "close-out's remark); null for the enterprise and a city department, which read "
            "the public timeline only.",
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
