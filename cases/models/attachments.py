"""The files of a case, kept where no web server serves them: those an enterprise sends with its
problem (CaseAttachment) and those sent with a progress note or a reply (EventAttachment)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.events import CaseEvent
from cases.storage import attachment_storage


def _stored_name(folder: str, case_id: int, filename: str) -> str:
    # The stored name is ours, never the uploader's: only the checked extension survives.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{folder}/{case_id}/{uuid.uuid4().hex}.{extension}"


def _case_attachment_path(instance: "CaseAttachment", filename: str) -> str:
    return _stored_name("cases", instance.case_id, filename)


def _event_attachment_path(instance: "EventAttachment", filename: str) -> str:
    return _stored_name("events", instance.case_id, filename)


def _private_storage():
    # The attachments' folder, which no web server serves (cases.storage). A function, not the
    # storage, so the field (and migration 0014) names a callable read on each use.
    return attachment_storage()


class StoredFile(models.Model):
    """What every attached file of a case records beside the file: its checked name, type and
    size (cases.files), and who sent it when."""

    original_name = models.CharField(_("原文件名"), max_length=200)
    # Office Open XML types run to 73 characters ("application/vnd.openxmlformats-…").
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class CaseAttachment(StoredFile):
    """A photo, PDF or Office document an enterprise sent with its problem (cases.attachments).

    Moved here from portal with its table (migration 0015), which keeps its old name."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("问题")
    )
    file = models.FileField(_("文件"), upload_to=_case_attachment_path, storage=attachment_storage)

    class Meta(StoredFile.Meta):
        db_table = "portal_caseattachment"
        verbose_name = _("问题附件")
        verbose_name_plural = _("问题附件")


class EventAttachment(StoredFile):
    """A photo, PDF or Office document sent with a progress note or a reply (cases.attachments).

    Public or internal with its event: whoever may read the event may download it."""

    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("办理记录")
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="event_attachments", verbose_name=_("问题")
    )
    file = models.FileField(_("文件"), upload_to=_event_attachment_path, storage=_private_storage)

    class Meta(StoredFile.Meta):
        verbose_name = _("办理记录附件")
        verbose_name_plural = _("办理记录附件")
