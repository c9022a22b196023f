"""Photos a cadre takes on a visit: private files, read only through a view that checks scope."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cases.models import Visit

PRIVATE_FOLDER = "private"


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private: no URL maps to it, so a photo leaves only through fieldwork:photo.

    The folder follows MEDIA_ROOT at runtime (tests point MEDIA_ROOT at a temporary folder).
    """

    @cached_property
    def base_location(self):
        return os.path.join(
            self._value_or_setting(self._location, settings.MEDIA_ROOT), PRIVATE_FOLDER
        )

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through fieldwork:photo.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage


def _photo_path(photo: VisitPhoto, filename: str) -> str:
    # The user's file name is never used on disk: a random name with the extension of the format
    # Pillow found in the content.
    return f"visit-photos/{photo.visit_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1]}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("走访")
    )
    image = models.FileField(_("照片"), upload_to=_photo_path, storage=private_storage)
    thumbnail = models.FileField(
        _("缩略图"), upload_to=_photo_path, storage=private_storage, blank=True
    )
    content_type = models.CharField(_("文件类型"), max_length=30)
    size = models.PositiveIntegerField(_("文件大小（字节）"))
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.original_name or os.path.basename(self.image.name)
