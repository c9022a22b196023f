import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from portal.storage import attachment_storage


def _attachment_path(instance: "CaseAttachment", filename: str) -> str:
    # The stored name is ours, never the uploader's: only the checked extension survives.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}.{extension}"


class CaseAttachment(models.Model):
    """A photo, PDF or Office document an enterprise sent with its problem (portal.attachments);
    kept out of the public media folder."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("问题")
    )
    file = models.FileField(_("文件"), upload_to=_attachment_path, storage=attachment_storage)
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
        verbose_name = _("问题附件")
        verbose_name_plural = _("问题附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
