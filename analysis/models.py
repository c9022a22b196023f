"""The ledgers' paperwork: imports of problem batches from Excel, and large Excel exports.

Both run as background jobs whose row here is the record a page polls: status, how far along,
and — for an import — every error by row and column, or what was created.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class ImportJob(models.Model):
    """One uploaded .xlsx batch of problems (e.g. the article's first batch of 508)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待处理")
        VALIDATING = "validating", _("正在校验")
        INVALID = "invalid", _("校验未通过，未导入")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("导入完成")
        FAILED = "failed", _("导入失败，未导入")

    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("导入人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="analysis/imports/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件摘要"), max_length=64, db_index=True)
    batch = models.CharField(_("交办批次"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    # [{"row": 3, "column": "问题类别", "value": "用电", "message": "…"}]; row 0 is the file itself.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_count = models.PositiveIntegerField(_("新建问题数"), default=0)
    skipped_count = models.PositiveIntegerField(_("已导入过（跳过）"), default=0)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题导入")
        verbose_name_plural = _("问题导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING


class ImportedRow(models.Model):
    """A row already turned into a case: its fingerprint stops a second import duplicating it."""

    fingerprint = models.CharField(_("行指纹"), max_length=64, unique=True)
    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="rows", verbose_name=_("导入")
    )
    row_number = models.PositiveIntegerField(_("行号"))
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("问题")
    )

    class Meta:
        verbose_name = _("已导入行")
        verbose_name_plural = _("已导入行")

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number} → {self.case_id}"


class ExportJob(models.Model):
    """A large Excel export, written by a worker; only the person who asked may download it."""

    class Kind(models.TextChoices):
        CASES = "cases", _("问题台账")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("导出人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已写入行数"), default=0)
    file = models.FileField(_("文件"), upload_to="analysis/exports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Excel 导出")
        verbose_name_plural = _("Excel 导出")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
