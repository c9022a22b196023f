from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from enterprises.labels import QuickDisplay
from enterprises.models import Department


class Notification(QuickDisplay, models.Model):
    """One message to one user (or one department's group robot) through one channel.

    The outbox: written in the transaction that causes it, delivered after commit. An in-app row is
    the message itself and is born sent; the other channels go pending → sending → sent/failed, and
    the claim (pending → sending) is a compare-and-set, so a message delivered twice by the broker
    is sent once.
    """

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("站内信")
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("群机器人")
        SMS = "sms", _("短信")

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("督办提醒")
        ASSIGNED = "assigned", _("新交办")
        REPLIED = "replied", _("办理结果反馈")
        REOPENED = "reopened", _("重新办理")
        EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
        CONTACTED = "contacted", _("部门已对接")
        INSTRUCTION = "instruction", _("领导批示")
        URGED = "urged", _("催办")
        LISTED = "listed", _("挂牌督办")
        SUPERVISED = "supervised", _("督办单")
        DIGEST = "digest", _("每日调度")
        NEW_CASE = "new_case", _("新问题")
        BREAKDOWN = "breakdown", _("责任清单任务")
        RATED = "rated", _("企业评价")
        CLOSED = "closed", _("销号")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("接收单位"),
        help_text=_("群机器人消息发往该单位配置的 Webhook。"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("问题"),
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(
        _("督办等级"), choices=Case.Escalation.choices, null=True, blank=True
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # Also the message id a receiver de-duplicates on (webhook msgid, email Message-ID).
    dedup_key = models.CharField(_("去重键"), max_length=200, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(department__isnull=False),
                name="notification_has_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["user", "channel", "-created_at"], name="notification_inbox"),
            # The navbar's unread badge on every page: it reads the unread only, however many
            # messages a user has had over the years.
            models.Index(
                fields=["user"],
                condition=Q(channel="in_app", read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notification_pending",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="notification_sending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.title}"


class NotificationPreference(models.Model):
    """A user's choice of how to be told; no row means the defaults."""

    class NewCases(models.TextChoices):
        INSTANT = "instant", _("每个新问题即时提醒")
        DIGEST = "digest", _("只在每日调度中汇总")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("用户"),
    )
    # For the county office: each new problem (登记) told at once, or listed in the next digest.
    new_cases = models.CharField(
        _("新问题提醒"), max_length=10, choices=NewCases.choices, default=NewCases.INSTANT
    )

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_new_cases_display()}"


class Reminder(QuickDisplay, models.Model):
    """One rung of one deadline's ladder, sent: the uniqueness rule that makes reminders exactly-once.

    A deadline is identified by its kind and its due time, so a moved deadline (an extension, a
    reopened case, a resumed suspension) climbs a fresh ladder while the old rungs stay on record.
    """

    class Deadline(models.TextChoices):
        CONTACT = "contact", _("对接期限")
        RESOLVE = "resolve", _("办结期限")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("问题")
    )
    deadline = models.CharField(_("期限"), max_length=10, choices=Deadline.choices)
    due_at = models.DateTimeField(_("到期时间"))
    level = models.PositiveSmallIntegerField(_("督办等级"), choices=Case.Escalation.choices)
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办提醒")
        verbose_name_plural = _("督办提醒")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline", "due_at", "level"], name="reminder_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_deadline_display()} {self.get_level_display()}"


class WebhookSubscription(models.Model):
    """Which notification kinds a department's group robot receives (empty list: all of them).

    The URL itself stays on Department.webhook_url, where the transports read it; this row only
    narrows what is sent there (notifications.webhooks). The department's head edits both on one
    page (workspace).
    """

    department = models.OneToOneField(
        Department,
        on_delete=models.CASCADE,
        related_name="webhook_subscription",
        verbose_name=_("部门/单位"),
    )
    # Notification.Kind values; an empty list means every kind.
    event_kinds = models.JSONField(_("推送的消息类型"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        # Born in workspace (workspace 0001); moved here with its table, which keeps its name.
        db_table = "workspace_webhooksubscription"
        verbose_name = _("群机器人推送设置")
        verbose_name_plural = _("群机器人推送设置")

    def __str__(self) -> str:
        return f"{self.department}"
