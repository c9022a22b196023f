"""The case itself (问题/诉求), its category and its number: what every other model of the
package hangs from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import deadlines
from cases.models.visits import Visit
from counties.models import County
from enterprises.labels import QuickDisplay
from enterprises.models import Department, Enterprise


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

        WARNING = deadlines.WARNING, deadlines.LEVEL_LABELS[deadlines.WARNING]
        OVERDUE = deadlines.OVERDUE, deadlines.LEVEL_LABELS[deadlines.OVERDUE]
        ESCALATED = deadlines.ESCALATED, deadlines.LEVEL_LABELS[deadlines.ESCALATED]
        FLAGGED = deadlines.FLAGGED, deadlines.LEVEL_LABELS[deadlines.FLAGGED]

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
    # The enterprise's county, copied at intake (cases.intake): every scope of the county reads
    # this column, never a join through the enterprise.
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: its enterprise's (save)
        related_name="cases",
        verbose_name=_("所属县（区）"),
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
    # 挂牌督办 (cases.workflow.listing): the office's decision, not the ladder's — the ladder's top
    # level only proposes it. Cleared when the case is delisted (摘牌) or closed.
    listed_at = models.DateTimeField(_("挂牌时间"), null=True, blank=True, editable=False)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("挂牌人"),
    )
    listing_reason = models.TextField(_("挂牌理由"), blank=True, editable=False)
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
            models.Index(fields=["county", "-created_at", "-id"], name="case_county_recent"),
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
                fields=["county", "-created_at", "-id"],
                include=["enterprise", "category", "title"],
                condition=Q(status__in=["submitted", "assigned", "in_progress", "replied"]),
                name="case_county_open_recent",
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
            # … a department's open cases of one status, newest first, counted from the index
            # alone (the API's ?lead_department=&status=: 4.4 → 0.1 ms for its count at a
            # 100,000-case county) …
            models.Index(
                fields=["lead_department", "status", "id"],
                include=["county"],
                condition=Q(status__in=["assigned", "in_progress", "replied"]),
                name="case_dept_open_status",
            ),
            # … a county's open deadlines, from the index alone: the office's banner (how many rest
            # on an estimated holiday schedule, cases.calendar), the board's late and the API's
            # overdue filter (cases.deadlines) — a county's share, not every county's …
            models.Index(
                fields=["county"],
                include=[
                    *["status", "suspended_at", "listed_at", "category", "contacted_at"],
                    *["contact_due_from", "contact_due_at", "contact_due_working_days"],
                    *["resolve_due_from", "resolve_due_at", "resolve_due_working_days"],
                ],
                condition=Q(status__in=["assigned", "in_progress"]),
                name="case_county_open_deadlines",
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
                fields=["county", "category", "-assigned_at", "-id"],
                include=["title", "lead_department"],
                condition=Q(lead_department__isnull=False),
                name="case_county_assigned_recent",
            ),
            models.Index(fields=["batch"], name="case_batch"),
            # … and the batches of one county (the triage filter's choices, office.filters).
            models.Index(fields=["county", "batch"], name="case_county_batch"),
            # Every case, newest first: the ledger's and the API's order, walked by a search for a
            # frequent word until a page is found (cases.search).
            models.Index(fields=["-created_at", "-id"], name="case_recent"),
            # 挂牌督办: the few listed cases, found without reading the rest.
            models.Index(
                fields=["-listed_at"], condition=Q(listed_at__isnull=False), name="case_listed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        if self.county_id is None:  # cases.intake names it; a row made otherwise is the same
            self.county_id = Enterprise.objects.values_list("county_id", flat=True).get(
                pk=self.enterprise_id
            )
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_listed(self) -> bool:
        """挂牌督办: the office listed the case (the ladder alone only proposes it)."""
        return self.listed_at is not None

    @property
    def escalation_label(self) -> str:
        """The level the reminders reached, as people read it: the top one is a proposal
        (建议挂牌) until the office lists the case."""
        if self.escalation_level is None:
            return ""
        return deadlines.level_label(self.escalation_level, listed=self.is_listed)

    @property
    def is_joint(self) -> bool:
        return self.joint_group_id is not None

    @property
    def is_joint_main(self) -> bool:
        return self.joint_group_id is not None and self.joint_group_id == self.pk

    @property
    def is_joint_member(self) -> bool:
        return self.joint_group_id is not None and self.joint_group_id != self.pk
