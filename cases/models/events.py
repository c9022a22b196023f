"""The case's timeline: one append-only row per action, its audit trail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from enterprises.labels import QuickDisplay
from enterprises.models import Department


class CaseEvent(QuickDisplay, models.Model):
    """One action on a case: the append-only timeline and audit trail."""

    class Kind(models.TextChoices):
        CREATED = "created", _("登记")
        ASSIGNED = "assigned", _("交办")
        RETURNED = "returned", _("退回")
        RETURN_REFUSED = "return_refused", _("驳回退回（指定办理）")
        ACCEPTED = "accepted", _("签收并对接")
        PROGRESS = "progress", _("办理进展")
        BREAKDOWN = "breakdown", _("分解任务")
        BREAKDOWN_DONE = "breakdown_done", _("任务完成")
        COMMITMENT = "commitment", _("亮诺")
        COMMITMENT_KEPT = "commitment_kept", _("践诺")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_DECIDED = "extension_decided", _("延期审批")
        SUSPENSION_REQUESTED = "suspension_requested", _("申请挂起")
        SUSPENSION_DECIDED = "suspension_decided", _("挂起审批")
        RESUMED = "resumed", _("恢复办理")
        REPLIED = "replied", _("反馈")
        RATED = "rated", _("评价")
        REOPENED = "reopened", _("重办")
        APPEALED = "appealed", _("评价申诉")
        APPEAL_DECIDED = "appeal_decided", _("申诉裁定")
        CLOSED = "closed", _("销号")
        MERGED = "merged", _("合并")
        JOINED = "joined", _("并案办理")
        JOINT_LEFT = "joint_left", _("退出并案")
        INSTRUCTION = "instruction", _("批示")
        INSTRUCTION_ACK = "instruction_ack", _("签收批示")
        REMINDER = "reminder", _("督办提醒")
        URGED = "urged", _("催办")
        LISTED = "listed", _("挂牌督办")
        DELISTED = "delisted", _("摘牌")
        SUPERVISED = "supervised", _("督办单")
        DEADLINES_RECOUNTED = "deadlines_recounted", _("期限按工作日历重算")
        CITY_ESCALATED = "city_escalated", _("上报市级")
        CITY_ASSIGNED = "city_assigned", _("市级交办")
        CITY_CONTACTED = "city_contacted", _("市直部门签收")
        CITY_ANSWERED = "city_answered", _("市级答复")

    class Unit(models.TextChoices):
        """Whom the actor acted for (cases.units.actor_unit): "" on an old event nobody knows."""

        OFFICE = "office", _("县委办")
        DEPARTMENT = "department", _("部门")
        ENTERPRISE = "enterprise", _("企业")
        TASKFORCE = "taskforce", _("专班")
        LEADERSHIP = "leadership", _("县领导")
        SYSTEM = "system", _("系统")
        CITY = "city", _("市委办")
        CITY_DEPARTMENT = "city_dept", _("市直部门")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("问题")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # The department the event concerns (the lead it was assigned to, the one that returned it, a
    # breakdown item's): what the statistics count by. Who acted is the unit below.
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相关单位"),
    )
    # The actor's own unit when it happened, kept as written (a person who later moves does not
    # rewrite the timeline): the office, their department, the enterprise, their task force, or
    # the system (reminders, recounts).
    unit_kind = models.CharField(
        _("操作单位类型"), max_length=12, choices=Unit.choices, blank=True, default=""
    )
    unit_name = models.CharField(_("操作单位"), max_length=200, blank=True, default="")
    public = models.BooleanField(_("企业可见"), default=False)
    note = models.TextField(_("内容"), blank=True)
    # What only the people working on the case may read — the office's 交办意见, its remark on an
    # extension or a suspension it decided: a public event's note reaches the enterprise, this
    # never does.
    internal_note = models.TextField(_("内部意见"), blank=True, default="")
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["kind", "department"]),
            # The evaluation's returns, reopens and extensions over a period (analysis).
            models.Index(
                fields=["kind", "created_at"],
                include=["department", "id", "data"],
                condition=Q(
                    kind__in=["returned", "reopened", "extension_requested", "extension_decided"]
                ),
                name="event_judged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("办理记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录只能追加，不能删除。"))

    # The events addressed to a department other than the actor's: shown as "→ department".
    ADDRESSED = frozenset(
        {Kind.ASSIGNED, Kind.RETURN_REFUSED, Kind.BREAKDOWN, Kind.INSTRUCTION, Kind.SUPERVISED}
    )

    @classmethod
    def unit_label_of(cls, kind: str | None, name: str | None) -> str:
        """Who acted, as the timeline says it: the unit's name as it was, or the kind's label
        (系统; 县委办 when the office had no unit of its own); "" when unknown."""
        if name:
            return name
        return str(cls.Unit(kind).label) if kind in cls.Unit.values else ""

    @property
    def unit_label(self) -> str:
        return self.unit_label_of(self.unit_kind, self.unit_name)

    @property
    def addressed_to(self) -> Department | None:
        return self.department if self.kind in self.ADDRESSED else None
