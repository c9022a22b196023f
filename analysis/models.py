"""The ledgers' paperwork — imports of problem batches from Excel, and large Excel exports — and
the evaluation's rules (考核规则), kept with their history.

The import and the export run as background jobs whose row here is the record a page polls:
status, how far along, and — for an import — every error by row and column, or what was created.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Bulletin, Case
from counties.models import County, HomeCountyByDefault


class ImportJob(models.Model):
    """One uploaded .xlsx: a batch of problems (e.g. the article's first batch of 508), or the
    enterprise register (analysis.register)."""

    class Kind(models.TextChoices):
        PROBLEMS = "problems", _("问题")
        REGISTER = "register", _("企业名录")

    class Status(models.TextChoices):
        PENDING = "pending", _("等待处理")
        VALIDATING = "validating", _("正在校验")
        INVALID = "invalid", _("校验未通过，未导入")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("导入完成")
        FAILED = "failed", _("导入失败，未导入")

    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PROBLEMS)
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
    # The register's rows: enterprises created (created_count), updated, and unchanged (skipped).
    updated_count = models.PositiveIntegerField(_("更新企业数"), default=0)
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


class EvaluationRules(HomeCountyByDefault, models.Model):
    """考核规则: one version of how the evaluation scores a department, in force from its date.

    Versions are only ever added (analysis.rules.rules_save), never edited: a period is scored by
    the version in force on its last day, so a past period keeps the score it had. The score is
    the weighted mean of the five rates (a rate without data leaves its weight out), less the
    deductions, plus or minus the points of the period's bulletins (奖惩).
    """

    class Unrated(models.TextChoices):
        LEFT_OUT = "left_out", _("不计入满意率")
        SATISFIED = "satisfied", _("超过规定工作日视为满意")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="+",
        verbose_name=_("所属县（区）"),
    )
    effective_from = models.DateField(_("施行日期"))
    weight_contact = models.PositiveSmallIntegerField(_("响应率权重"), default=20)
    weight_reply = models.PositiveSmallIntegerField(_("办结率权重"), default=25)
    weight_resolve = models.PositiveSmallIntegerField(_("解决率权重"), default=20)
    weight_satisfaction = models.PositiveSmallIntegerField(_("满意率权重"), default=25)
    weight_commitment = models.PositiveSmallIntegerField(_("践诺率权重"), default=10)
    unrated = models.CharField(
        _("未评价的处理"), max_length=12, choices=Unrated.choices, default=Unrated.LEFT_OUT
    )
    unrated_days = models.PositiveSmallIntegerField(
        _("视为满意前等待的工作日数"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    deduction_return = models.DecimalField(
        _("每次退回扣分"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(0)],
    )
    deduction_reopen = models.DecimalField(
        _("每次重办扣分"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(0)],
    )
    points_praise = models.DecimalField(
        _("通报表扬加减分"), max_digits=4, decimal_places=1, default=Decimal("2.0")
    )
    points_criticism = models.DecimalField(
        _("通报批评加减分"), max_digits=4, decimal_places=1, default=Decimal("-2.0")
    )
    points_interview = models.DecimalField(
        _("约谈加减分"), max_digits=4, decimal_places=1, default=Decimal("-3.0")
    )
    points_accountability = models.DecimalField(
        _("问责建议加减分"), max_digits=4, decimal_places=1, default=Decimal("-5.0")
    )
    min_ranked = models.PositiveSmallIntegerField(
        _("参与排名的最少交办件数"), default=5, validators=[MaxValueValidator(1000)]
    )
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("制定人"),
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核规则")
        verbose_name_plural = _("考核规则")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return str(_("考核规则（%(day)s 起施行）") % {"day": self.effective_from})

    @property
    def counts_unrated(self) -> bool:
        """Whether a reply left unrated for unrated_days working days counts as satisfied."""
        return self.unrated == self.Unrated.SATISFIED

    def weights(self) -> dict[str, int]:
        """Each rate's weight, by the name of the rate (DepartmentRow's `<name>_rate`)."""
        return {rate: getattr(self, f"weight_{rate}") for rate in RATES}

    def bulletin_points(self) -> dict[str, Decimal]:
        """The points of each kind of bulletin (Bulletin.Kind), signed: praise adds."""
        return {kind: getattr(self, f"points_{kind}") for kind in Bulletin.Kind.values}


# The five rates the rules weigh, in the order the pages show them: 响应率, 办结率, 解决率, 满意率,
# 践诺率.
RATES = ("contact", "reply", "resolve", "satisfaction", "commitment")
