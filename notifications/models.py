from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import deadlines
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
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")

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
    # "channel:kind" pairs the user turned off (notifications.preferences); empty: everything on.
    muted = models.JSONField(_("关闭的提醒"), default=list, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_new_cases_display()}"


class Reminder(QuickDisplay, models.Model):
    """One rung of one deadline's ladder, sent: the uniqueness rule that makes reminders exactly-once.

    A deadline is identified by its kind and its due time, so a moved deadline (an extension, a
    reopened case, a resumed suspension) climbs a fresh ladder while the old rungs stay on record.

    The case's own deadlines (CONTACT, RESOLVE) climb the ladder (notifications.reminders); a city
    department's (上报市级: CITY_CONTACT, CITY_ANSWER, on the case it was escalated with) is told
    once, at cases.deadlines.CITY_LATE_LEVEL (notifications.city_reminders). A case escalated again
    once answered has new due times, so its second escalation's deadlines are rows of their own.
    Whoever reads the ladder's rows asks for the case's deadlines only (CASE_DEADLINES).
    """

    class Deadline(models.TextChoices):
        CONTACT = deadlines.CONTACT, _("对接期限")
        RESOLVE = deadlines.RESOLVE, _("办结期限")
        CITY_CONTACT = deadlines.CITY_CONTACT, _("市级签收期限")
        CITY_ANSWER = deadlines.CITY_ANSWER, _("市级答复期限")

    CASE_DEADLINES = deadlines.CASE_DEADLINES
    CITY_DEADLINES = deadlines.CITY_DEADLINES

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("问题")
    )
    deadline = models.CharField(_("期限"), max_length=16, choices=Deadline.choices)
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
        return f"{self.case_id} {self.get_deadline_display()} {self.level_words()}"

    @property
    def is_city(self) -> bool:
        return self.deadline in self.CITY_DEADLINES

    def level_words(self) -> str:
        """The level as its message said it: a city deadline in the city's words (超期未签收,
        超期未答复), a case's rung by the ladder's name."""
        if self.is_city:
            return str(deadlines.CITY_LATE_LABELS[self.deadline])
        return self.get_level_display()


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

    class Robot(models.TextChoices):
        TEXT = "text", _("通用（纯文本 JSON）")
        WECOM = "wecom", _("企业微信群机器人（Markdown）")
        DINGTALK = "dingtalk", _("钉钉群机器人（加签）")

    # Notification.Kind values; an empty list means every kind.
    event_kinds = models.JSONField(_("推送的消息类型"), default=list, blank=True)
    robot = models.CharField(_("机器人类型"), max_length=10, choices=Robot.choices, default="text")
    # 钉钉 加签: the robot's SEC… secret; never shown back once saved.
    sign_secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    # 钉钉 custom keywords: the robot drops a message holding none of them, so one is prefixed.
    keyword = models.CharField(_("自定义关键词"), max_length=50, blank=True)
    mention_clerks = models.BooleanField(_("@经办人（按手机号）"), default=True)
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


class VendorIdentity(models.Model):
    """A user's id in one county's 企业微信 corp or 钉钉 org: where that county's app messages and
    work notices go, and whom a sign-in through that county's button is (signin matches on it,
    binding it on a first sign-in by mobile).

    Each county configures its own corp (IntegrationSettings), and a userid ("zhangsan") is unique
    only inside one corp: so the identity is of a county — unique per (county, vendor, userid),
    one per person per county and vendor. Sign-in through county B's button matches only county
    B's identities; a message sent with county B's settings (integrations.county_of_notification)
    goes to the recipient's identity of county B. Saved without a county, it takes its user's
    (counties.membership.county_of; the first county for a person of none)."""

    class Vendor(models.TextChoices):
        WECOM = "wecom", _("企业微信")
        DINGTALK = "dingtalk", _("钉钉")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="vendor_identities",
        verbose_name=_("用户"),
    )
    county = models.ForeignKey(
        "counties.County",
        on_delete=models.CASCADE,
        related_name="vendor_identities",
        verbose_name=_("县（区）"),
        help_text=_(
            "该账号所在的企业微信企业/钉钉组织由哪个县（区）配置；留空则为用户所属的县（区）。"
        ),
        blank=True,
    )
    vendor = models.CharField(_("平台"), max_length=10, choices=Vendor.choices)
    vendor_userid = models.CharField(_("平台用户ID"), max_length=64)
    bound_at = models.DateTimeField(_("绑定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("企业微信/钉钉账号")
        verbose_name_plural = _("企业微信/钉钉账号")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "vendor", "vendor_userid"], name="vendor_userid_once_per_county"
            ),
            models.UniqueConstraint(
                fields=["user", "county", "vendor"], name="vendor_identity_per_user_per_county"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_vendor_display()} · {self.vendor_userid}"

    def save(self, *args, **kwargs):
        self._county_from_user()
        super().save(*args, **kwargs)

    def _county_from_user(self) -> None:
        if self.county_id is None and self.user_id is not None:
            from counties.membership import county_of
            from counties.models import county_or_home

            self.county_id = county_or_home(county_of(self.user_id))

    def clean(self) -> None:
        super().clean()
        self._county_from_user()  # before the constraints are checked (the admin's form)


class IntegrationSettings(models.Model):
    """A county's 企业微信, 钉钉 and SMS settings: one row per county, edited by its office only and
    used for what is sent to its people and about its cases (notifications.integrations
    .county_settings, the one way to it); secrets are write-only on the settings page.

    The environment (WECOM_*, DINGTALK_*, SMS_*) is the default, not an override: a county whose
    office saved no account of its own for a service (no corp id, app key or SMS AccessKey ID)
    uses the environment's; a county that saved the same account takes from the environment only
    the values it left empty (a secret pinned outside the database); a county that saved another
    account uses only its own — in a city, each county's corp wins over the environment's."""

    county = models.OneToOneField(
        "counties.County",
        on_delete=models.CASCADE,
        related_name="integration_settings",
        verbose_name=_("县（区）"),
    )

    wecom_corp_id = models.CharField(_("企业微信 CorpID"), max_length=64, blank=True)
    wecom_agent_id = models.CharField(_("企业微信 AgentId"), max_length=32, blank=True)
    wecom_secret = models.CharField(_("企业微信应用 Secret"), max_length=200, blank=True)
    dingtalk_app_key = models.CharField(_("钉钉 AppKey"), max_length=64, blank=True)
    dingtalk_app_secret = models.CharField(_("钉钉 AppSecret"), max_length=200, blank=True)
    dingtalk_agent_id = models.CharField(_("钉钉 AgentId"), max_length=32, blank=True)
    dingtalk_corp_id = models.CharField(_("钉钉 CorpId"), max_length=64, blank=True)
    sms_provider = models.CharField(_("短信服务商"), max_length=20, blank=True)
    sms_access_key_id = models.CharField(_("短信 AccessKey ID"), max_length=128, blank=True)
    sms_access_key_secret = models.CharField(_("短信 AccessKey Secret"), max_length=200, blank=True)
    sms_sign_name = models.CharField(_("短信签名"), max_length=50, blank=True)
    sms_template_login = models.CharField(_("登录验证码模板"), max_length=64, blank=True)
    sms_template_notice = models.CharField(_("督办提醒模板"), max_length=64, blank=True)
    leader_daily_digest = models.BooleanField(
        _("县领导每日汇总逾期问题"),
        default=True,
        help_text=_("开启后，县领导每天收到一条所联系专班的逾期问题汇总，不再逐件提醒。"),
    )
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
        verbose_name = _("集成设置")
        verbose_name_plural = _("集成设置")

    def __str__(self) -> str:
        return f"{_('集成设置')} · {self.county}"
