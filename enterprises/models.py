from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.membership import RoleInOneCounty
from counties.models import County, HomeCountyByDefault
from enterprises.addresses import validate_webhook_url
from enterprises.labels import QuickDisplay
from enterprises.validators import validate_credit_code, validate_mainland_mobile


class Department(HomeCountyByDefault, QuickDisplay, models.Model):
    """部门/单位: a county department, a township or park, a utility — or the county office."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("县委办（领导小组办公室）")
        BUREAU = "bureau", _("县直部门")
        TOWNSHIP = "township", _("乡镇")
        PARK = "park", _("园区")
        UTILITY = "utility", _("公用事业单位")

    class AssessmentGroup(models.TextChoices):
        """考核类别: the evaluation ranks a unit among those of its group only."""

        TOWNSHIP = "township", _("乡镇（园区）")
        COUNTY = "county", _("县直部门")
        VERTICAL = "vertical", _("垂管单位")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="departments",
        verbose_name=_("所属县（区）"),
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    # Vetted again before each send: DNS may change after it was saved.
    webhook_url = models.URLField(
        _("群机器人 Webhook"), blank=True, validators=[validate_webhook_url]
    )
    email = models.EmailField(_("邮箱"), blank=True)
    # Whom an enterprise calls about its case, and on which number (the portal shows both).
    contact_name = models.CharField(_("对外联系人"), max_length=50, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    # Blank: the group follows the kind (assessment_group_of). Set it for a unit the kind does
    # not tell, e.g. the tax bureau: a 县直 bureau by kind, but vertically managed (垂管).
    assessment_group = models.CharField(
        _("考核类别"),
        max_length=20,
        choices=AssessmentGroup.choices,
        blank=True,
        help_text=_(
            "留空则按类型：乡镇、园区为乡镇（园区），公用事业单位为垂管单位，其余为县直部门。"
        ),
    )

    class Meta:
        verbose_name = _("部门/单位")
        verbose_name_plural = _("部门/单位")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="department_name_once_per_county"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_office(self) -> bool:
        return self.kind == self.Kind.OFFICE

    @property
    def assessment_class(self) -> str:
        """The group the evaluation ranks this unit in: the one set, else the kind's."""
        return self.assessment_group or assessment_group_of(self.kind)


def assessment_group_of(kind: str) -> str:
    """The assessment group a kind of unit falls in when none is set."""
    group = Department.AssessmentGroup
    if kind in (Department.Kind.TOWNSHIP, Department.Kind.PARK):
        return group.TOWNSHIP
    if kind == Department.Kind.UTILITY:
        return group.VERTICAL
    return group.COUNTY


class DepartmentStaff(RoleInOneCounty, models.Model):
    """A user working for a department; the head (主要负责人) is told when its cases go overdue."""

    role_relation = "department_staff"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_staff",
        verbose_name=_("用户"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="staff", verbose_name=_("部门/单位")
    )
    is_head = models.BooleanField(_("主要负责人"), default=False)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("部门工作人员")
        verbose_name_plural = _("部门工作人员")

    def __str__(self) -> str:
        return f"{self.department} · {self.user.get_full_name() or self.user.username}"

    def role_place(self) -> tuple[int | None, int | None]:
        return self.department.county_id, None


class Enterprise(HomeCountyByDefault, QuickDisplay, models.Model):
    class Industry(models.TextChoices):
        MANUFACTURING = "manufacturing", _("装备制造")
        STEEL = "steel", _("钢结构与建材")
        MEDICAL = "medical", _("医疗器械")
        FOOD = "food", _("食品与农副产品")
        FIREWORKS = "fireworks", _("烟花爆竹")
        LIQUOR = "liquor", _("酒业")
        CHEMICAL = "chemical", _("化工与新材料")
        ELECTRONICS = "electronics", _("电子信息")
        TEXTILE = "textile", _("纺织服装")
        CULTURE = "culture", _("文化用品")
        SERVICES = "services", _("商贸服务")
        OTHER = "other", _("其他")

    class Scale(models.TextChoices):
        """企业规模 as the statistics bureau divides enterprises (大中小微)."""

        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        blank=True,  # saved without one: the first county (HomeCountyByDefault)
        related_name="enterprises",
        verbose_name=_("所属县（区）"),
    )
    name = models.CharField(_("企业名称"), max_length=200, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.CharField(
        _("行业"), max_length=30, choices=Industry.choices, default=Industry.OTHER
    )
    township = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": ["township", "park"]},
        verbose_name=_("所属乡镇/园区"),
    )
    industry_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("行业主管部门"),
    )
    scale = models.CharField(_("企业规模"), max_length=10, choices=Scale.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_key = models.BooleanField(_("重点企业"), default=False)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()


class EnterpriseContact(RoleInOneCounty, models.Model):
    """An enterprise's contact person with a login; an enterprise may have several."""

    role_relation = "enterprise_contact"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enterprise_contact",
        verbose_name=_("用户"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("企业")
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.user.get_full_name() or self.user.username}"

    def role_place(self) -> tuple[int | None, int | None]:
        return self.enterprise.county_id, None


class ContactPerson(models.Model):
    """A person at the enterprise the departments may call, without a login: a 对接人 added on
    acceptance, or one the office entered. With the registered contact and the contacts who have a
    login they make the enterprise's phone book (taskforces.contacts)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="people", verbose_name=_("企业")
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[validate_mainland_mobile])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("添加人"),
    )
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    class Meta:
        verbose_name = _("企业联系人（无账号）")
        verbose_name_plural = _("企业联系人（无账号）")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "mobile"], name="contact_person_mobile_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"
