import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import deadlines
from enterprises.labels import QuickDisplay
from enterprises.models import Department, Enterprise
from taskforces.models import TaskForce


class CalendarOverride(models.Model):
    """One date whose working-day status the office sets: it wins over the published schedule
    (chinesecalendar) and the statutory estimate of a year nobody has published (cases.workdays)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("休息日（节假日）")
        WORKDAY = "workday", _("工作日（含调休上班）")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Category(models.Model):
    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    default_resolve_days = models.PositiveSmallIntegerField(_("默认办结时限（工作日）"), default=15)
    default_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认牵头部门"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


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

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise} {self.get_kind_display()}"


class CaseCounter(models.Model):
    """The last case number handed out in a year; locked to number cases without gaps or clashes."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("问题编号计数")
        verbose_name_plural = _("问题编号计数")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(QuickDisplay, models.Model):
    """问题/诉求: one problem of one enterprise."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待交办")
        ASSIGNED = "assigned", _("已交办")
        IN_PROGRESS = "in_progress", _("办理中")
        REPLIED = "replied", _("已反馈")
        CLOSED = "closed", _("已销号")
        MERGED = "merged", _("已合并")

    class Source(models.TextChoices):
        VISIT = "visit", _("走访发现")
        SELF_REPORT = "self_report", _("企业自报")
        IMPORT = "import", _("批量导入")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("已解决")
        EXPLAINED = "explained", _("政策障碍，已解释到位")

    class Escalation(models.IntegerChoices):
        """The escalation ladder's levels (cases.deadlines says when each begins)."""

        WARNING = deadlines.WARNING, _("预警")
        OVERDUE = deadlines.OVERDUE, _("逾期")
        ESCALATED = deadlines.ESCALATED, _("督办")
        FLAGGED = deadlines.FLAGGED, _("挂牌督办")

    class Rating(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("非常满意")
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")
        VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")

    SATISFIED_RATINGS = (Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASICALLY_SATISFIED)
    DISSATISFIED_RATINGS = (Rating.DISSATISFIED, Rating.VERY_DISSATISFIED)
    OPEN_STATUSES = (Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED)

    number = models.CharField(_("编号"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("序号"), editable=False)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="cases", verbose_name=_("企业")
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("来源走访"),
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    batch = models.CharField(_("交办批次"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("牵头部门"),
    )
    co_departments = models.ManyToManyField(
        Department, blank=True, related_name="co_cases", verbose_name=_("协办单位")
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    contact_due_at = models.DateTimeField(_("对接期限"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("对接时间"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("办结期限"), null=True, blank=True)
    # How each deadline was set, so that a changed calendar moves what was counted and leaves what
    # someone chose: the deadline is the end of the n-th working day after its "from" day (the
    # assignment, a reopening; suspensions add their working days to n). No count: a date typed
    # at assignment or an approved extension, kept as it is (cases.calendar).
    contact_due_from = models.DateField(_("对接期限起算日"), null=True, blank=True, editable=False)
    contact_due_working_days = models.PositiveIntegerField(
        _("对接期限工作日数"), null=True, blank=True, editable=False
    )
    resolve_due_from = models.DateField(_("办结期限起算日"), null=True, blank=True, editable=False)
    resolve_due_working_days = models.PositiveIntegerField(
        _("办结期限工作日数"), null=True, blank=True, editable=False
    )
    replied_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("反馈内容"), blank=True)
    rating = models.CharField(_("评价"), max_length=30, choices=Rating.choices, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("合并至"),
    )
    # 并案办理 (cases.joint): the group's main case (主办件), which names itself; null when the case
    # is handled on its own. Read from the row alone: a page of cases needs no query to say
    # which are handled jointly.
    joint_group = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_cases",
        verbose_name=_("并案主办件"),
        help_text=_("同一问题由多家企业反映、由一个牵头部门一并办理时，各件指向主办件。"),
    )
    returned_from = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("退回单位"),
        help_text=_("退回待县委办处理时，记录退回的部门。"),
    )
    designated = models.BooleanField(
        _("指定办理"), default=False, help_text=_("县委办驳回退回后，牵头部门不得再次退回。")
    )
    suspended_at = models.DateTimeField(_("挂起时间"), null=True, blank=True)
    suspended_days = models.PositiveIntegerField(_("累计挂起工作日"), default=0)
    # The reminder sweep's cursor: when this case's next reminder is due; null once nothing is
    # left to remind (accepted and replied, suspended, closed, merged, or the ladder done).
    next_reminder_at = models.DateTimeField(
        _("下次提醒时间"), null=True, blank=True, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("督办等级"), choices=Escalation.choices, null=True, blank=True, editable=False
    )
    return_count = models.PositiveIntegerField(_("退回次数"), default=0)
    reopen_count = models.PositiveIntegerField(_("重办次数"), default=0)
    reply_round = models.PositiveIntegerField(_("反馈轮次"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="case_number_per_year"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"),
                name="case_merged_into_only_when_merged",
            ),
            # A merged case joined another of its own enterprise: it is in no joint group.
            models.CheckConstraint(
                condition=Q(joint_group__isnull=True) | ~Q(status="merged"),
                name="case_merged_not_joint",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["lead_department", "status"]),
            models.Index(fields=["enterprise", "status"]),
            # An enterprise's own list, newest first (the portal): a page of a key enterprise's
            # thousands of cases reads one page of rows.
            models.Index(
                fields=["enterprise", "-created_at", "-id"], name="case_enterprise_recent"
            ),
            # Only cases with a reminder to come are indexed: a sweep with nothing due reads
            # nothing, however many finished cases the county has.
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(next_reminder_at__isnull=False),
                name="case_next_reminder_due",
            ),
            # The pages people open every morning read the open cases, never the years of closed
            # ones (issue 10: the same cost at 1,000,000 cases as at 10,000). Partial indexes
            # over the open cases are small, and their included columns spare the table:
            # the supervision board's live levels and what is overdue (both cases.deadlines:
            # the API's filter, by category or enterprise too) …
            models.Index(
                fields=["lead_department"],
                include=[
                    *["id", "status", "suspended_at", "contact_due_at", "contacted_at"],
                    *["resolve_due_at", "replied_at", "category", "enterprise", "created_at"],
                ],
                condition=deadlines.RUNNING,
                name="case_running_deadlines",
            ),
            # … the office's triage and its possible duplicates …
            models.Index(
                fields=["-created_at", "-id"],
                include=["enterprise", "category", "title"],
                condition=Q(status__in=["submitted", "assigned", "in_progress", "replied"]),
                name="case_open_recent",
            ),
            # … a department's inbox, in the order of its clocks (workspace/selectors.py) …
            models.Index(
                fields=["lead_department", "contact_due_at", "id"],
                condition=deadlines.CONTACT_RUNS,
                name="case_inbox_contact_clock",
            ),
            models.Index(
                fields=["lead_department", "resolve_due_at", "id"],
                condition=deadlines.HANDLING,
                name="case_inbox_resolve_clock",
            ),
            models.Index(
                fields=["lead_department", "id"],
                condition=Q(status="replied"),
                name="case_inbox_replied",
            ),
            models.Index(
                fields=["id"],
                include=[
                    "lead_department",
                    "status",
                    "suspended_at",
                    "contacted_at",
                    "contact_due_at",
                    "resolve_due_at",
                ],
                condition=Q(status__in=["assigned", "in_progress", "replied"]),
                name="case_inbox_open",
            ),
            # … the newest assignments (the lead-department suggestions learn from them) and the
            # batches to filter by (a loose index scan, one probe per batch).
            models.Index(
                fields=["-assigned_at", "-id"],
                condition=Q(lead_department__isnull=False),
                name="case_assigned_recent",
            ),
            models.Index(fields=["batch"], name="case_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_joint(self) -> bool:
        return self.joint_group_id is not None

    @property
    def is_joint_main(self) -> bool:
        return self.joint_group_id is not None and self.joint_group_id == self.pk

    @property
    def is_joint_member(self) -> bool:
        return self.joint_group_id is not None and self.joint_group_id != self.pk


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
        DEADLINES_RECOUNTED = "deadlines_recounted", _("期限按工作日历重算")

    class Unit(models.TextChoices):
        """Whom the actor acted for (cases.units.actor_unit): "" on an old event nobody knows."""

        OFFICE = "office", _("县委办")
        DEPARTMENT = "department", _("部门")
        ENTERPRISE = "enterprise", _("企业")
        TASKFORCE = "taskforce", _("专班")
        SYSTEM = "system", _("系统")

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
    ADDRESSED = frozenset({Kind.ASSIGNED, Kind.RETURN_REFUSED, Kind.BREAKDOWN, Kind.INSTRUCTION})

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


class BreakdownItem(models.Model):
    """责任清单: one part of a case, with its department, measure and due date."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="breakdown_items", verbose_name=_("问题")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位")
    )
    measure = models.TextField(_("措施"))
    due_on = models.DateField(_("完成时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责任清单项")
        verbose_name_plural = _("责任清单")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.measure[:40]


class Commitment(models.Model):
    """亮诺/践诺: a public promise to act by a date; kept, missed, or still open."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("问题")
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承诺人"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承诺单位"),
    )
    text = models.TextField(_("承诺内容"))
    due_on = models.DateField(_("承诺期限"))
    kept_at = models.DateTimeField(_("践诺时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("亮诺时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    def state_on(self, today) -> str:
        if self.kept_at:
            return "kept"
        return "missed" if today > self.due_on else "open"


class Request(QuickDisplay, models.Model):
    """A department's request that the office decides: an extension or a suspension."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("延期")
        SUSPENSION = "suspension", _("挂起")

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不同意")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="requests", verbose_name=_("问题")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("申请人"),
    )
    reason = models.TextField(_("理由"))
    resolve_due_at = models.DateTimeField(_("申请的办结期限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延期/挂起申请")
        verbose_name_plural = _("延期/挂起申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(state="pending"),
                name="one_pending_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.get_state_display()}"


class Rating(QuickDisplay, models.Model):
    """好差评: the enterprise's judgement of one reply; appealed ratings may be excluded, never deleted."""

    class Appeal(models.TextChoices):
        NONE = "", _("未申诉")
        PENDING = "pending", _("申诉待裁定")
        UPHELD = "upheld", _("申诉成立（不计入统计）")
        REJECTED = "rejected", _("申诉不成立")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("问题")
    )
    reply_round = models.PositiveIntegerField(_("反馈轮次"))
    level = models.CharField(_("评价"), max_length=30, choices=Case.Rating.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("评价人"),
    )
    recorded_by_cadre = models.BooleanField(_("干部回访代录"), default=False)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        related_name="ratings",
        verbose_name=_("被评价单位"),
    )
    appeal = models.CharField(
        _("申诉"), max_length=10, choices=Appeal.choices, blank=True, default=""
    )
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_note = models.TextField(_("裁定意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reply_round"], name="one_rating_per_reply")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_level_display()}"

    @property
    def counts(self) -> bool:
        return self.appeal != self.Appeal.UPHELD


class Meeting(QuickDisplay, models.Model):
    """交办会 / 调度会 / a task force's review, with its minutes (纪要)."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("交办会")
        DISPATCH = "dispatch", _("调度会")
        TASKFORCE_REVIEW = "taskforce_review", _("专班研究会")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)
    task_force = models.ForeignKey(
        TaskForce,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("专班"),
    )
    cases = models.ManyToManyField(
        Case, blank=True, related_name="meetings", verbose_name=_("研究的问题")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


def _event_attachment_path(instance: "EventAttachment", filename: str) -> str:
    # The stored name is ours, never the uploader's: only the checked extension survives.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"events/{instance.case_id}/{uuid.uuid4().hex}.{extension}"


def _private_storage():
    # The enterprise's attachments' folder, which no web server serves (portal.storage).
    from portal.storage import attachment_storage

    return attachment_storage()


class EventAttachment(models.Model):
    """A photo, PDF or Office document sent with a progress note or a reply (cases.attachments).

    Public or internal with its event: whoever may read the event may download it."""

    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("办理记录")
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="event_attachments", verbose_name=_("问题")
    )
    file = models.FileField(_("文件"), upload_to=_event_attachment_path, storage=_private_storage)
    original_name = models.CharField(_("原文件名"), max_length=200)
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
        verbose_name = _("办理记录附件")
        verbose_name_plural = _("办理记录附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
