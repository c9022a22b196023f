"""走访: the cadres' visits to enterprises, where many problems are found, and their photos."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.storage import photo_storage
from enterprises.labels import QuickDisplay
from enterprises.models import Enterprise
from taskforces.models import TaskForce


class Visit(QuickDisplay, models.Model):
    """走访: a cadre's visit to an enterprise, one of the four 问."""

    class Kind(models.TextChoices):
        PUBLICIZE = "publicize", _("宣传问需求")
        INSPECT = "inspect", _("走访问实情")
        RESOLVE = "resolve", _("解难问成效")
        ADVISE = "advise", _("纳谏问计策")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="visits", verbose_name=_("企业")
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("走访干部"),
    )
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("专班"),
    )
    visited_on = models.DateField(_("走访日期"))
    kind = models.CharField(_("走访类型"), max_length=10, choices=Kind.choices)
    notes = models.TextField(_("走访记录"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # The id the phone gave the visit when it was saved, perhaps offline: sent again after a lost
    # answer, it finds this visit instead of making a second one (cases.intake.visit_create).
    client_id = models.UUIDField(
        _("客户端编号"), null=True, blank=True, unique=True, editable=False
    )
    # 签到位置: where the phone was when the cadre, having consented, checked in. Optional.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.DecimalField(
        _("定位精度（米）"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    located_at = models.DateTimeField(_("定位时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-visited_on"])]
        constraints = [
            # A position is a pair: never a latitude without its longitude.
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="visit_location_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise} {self.get_kind_display()}"

    @property
    def located(self) -> bool:
        return self.latitude is not None


def _visit_photo_path(photo: "VisitPhoto", filename: str) -> str:
    # The user's file name is never used on disk: a random name with the extension of the format
    # Pillow found in the content.
    return f"visit-photos/{photo.visit_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1]}"


class VisitPhoto(models.Model):
    """A photo taken on a visit: a private file, read only through a view that checks scope
    (cases.selectors.photos_visible_to). Moved here from fieldwork with its table (migration
    0015), which keeps its old name."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("走访")
    )
    image = models.FileField(_("照片"), upload_to=_visit_photo_path, storage=photo_storage)
    thumbnail = models.FileField(
        _("缩略图"), upload_to=_visit_photo_path, storage=photo_storage, blank=True
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
    # The phone's id for this photo: a photo resent after a dropped connection is found, not
    # stored twice (fieldwork.services.visit_photo_add).
    client_id = models.UUIDField(
        _("客户端编号"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        db_table = "fieldwork_visitphoto"
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.original_name or os.path.basename(self.image.name)
