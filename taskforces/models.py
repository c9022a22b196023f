from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from counties.membership import RoleInOneCounty
from counties.models import County, HomeCountyByDefault, county_or_home
from enterprises.models import Department, Enterprise


class TaskForce(HomeCountyByDefault, models.Model):
    """专班 of the 1+2+N shape: one county leader, two department heads, N ≥ 1 paired cadres."""

    class Kind(models.TextChoices):
        KEY_ENTERPRISE = "key", _("重点企业专班")
        INDUSTRY = "industry", _("行业专班")
        TOWNSHIP = "township", _("乡镇专班")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="task_forces",
        verbose_name=_("所属县（区）"),
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(
        _("运行中"),
        default=False,
        help_text=_("运行中的专班必须符合“1+2+N”：1名县领导、2名部门主要领导、至少1名结对干部。"),
    )
    enterprises = models.ManyToManyField(
        Enterprise,
        through="TaskForceEnterprise",
        related_name="task_forces",
        verbose_name=_("包干企业"),
        blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专班")
        verbose_name_plural = _("专班")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="taskforce_name_once_per_county"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TaskForceMember(RoleInOneCounty, models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("县领导")
        HEAD = "head", _("部门主要领导")
        CADRE = "cadre", _("结对干部")

    task_force = models.ForeignKey(
        TaskForce, on_delete=models.CASCADE, related_name="members", verbose_name=_("专班")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="task_force_memberships",
        verbose_name=_("成员"),
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所在单位"),
    )

    class Meta:
        verbose_name = _("专班成员")
        verbose_name_plural = _("专班成员")
        constraints = [
            models.UniqueConstraint(fields=["task_force", "user"], name="taskforce_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.task_force} · {self.get_role_display()} · {self.user}"

    def role_place(self) -> tuple[int | None, int | None]:
        return self.task_force.county_id, None


class CountyLeader(RoleInOneCounty, HomeCountyByDefault, models.Model):
    """县领导班子: the county's secretary (书记), its head (县长) and the deputies in charge of an
    area (分管县领导). They read every case and every analysis page of the county and act on
    nothing but 批示 (cases.roles.LEADERSHIP). A task force's leader is a TaskForceMember; one
    person may be both."""

    role_relation = "county_leader"

    class Title(models.TextChoices):
        SECRETARY = "secretary", _("县委书记")
        MAGISTRATE = "magistrate", _("县长")
        DEPUTY = "deputy", _("分管县领导")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="county_leader",
        verbose_name=_("用户"),
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="leaders",
        verbose_name=_("所属县（区）"),
    )
    title = models.CharField(_("职务"), max_length=20, choices=Title.choices)
    portfolio = models.CharField(
        _("分管领域"), max_length=100, blank=True, help_text=_("分管县领导填写，如“工业、招商”。")
    )
    active = models.BooleanField(_("在任"), default=True)

    class Meta:
        verbose_name = _("县领导")
        verbose_name_plural = _("县领导")

    def __str__(self) -> str:
        return f"{self.get_title_display()} · {self.user.get_full_name() or self.user.username}"

    def role_place(self) -> tuple[int | None, int | None]:
        return county_or_home(self.county_id), None


class TaskForceEnterprise(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, verbose_name=_("专班"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, verbose_name=_("企业"))

    class Meta:
        verbose_name = _("包干企业")
        verbose_name_plural = _("包干企业")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "enterprise"], name="taskforce_enterprise_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_force} · {self.enterprise}"


class CaseReview(models.Model):
    """逐个研究: a task force's leader or head has looked at one of its enterprises' problems."""

    task_force = models.ForeignKey(
        TaskForce, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("专班")
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="task_force_reviews",
        verbose_name=_("问题"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("研究人"),
    )
    note = models.TextField(_("研究意见"), blank=True)
    reviewed_at = models.DateTimeField(_("研究时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专班逐个研究")
        verbose_name_plural = _("专班逐个研究")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "case"], name="case_reviewed_once_per_taskforce"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_force} · {self.case_id}"


class AccountChange(models.Model):
    """Who changed which account, when, and how: the office's people page keeps this record."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建账号")
        DEACTIVATED = "deactivated", _("停用账号")
        REACTIVATED = "reactivated", _("启用账号")
        PASSWORD_RESET = "password_reset", _("重置密码")
        LINKED = "linked", _("关联单位/企业")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_changes",
        verbose_name=_("账号"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("详情"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号变更记录")
        verbose_name_plural = _("账号变更记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.account} {self.get_action_display()}"
