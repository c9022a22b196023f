"""The city and its counties: the county is the boundary of everything (DESIGN §2).

Every department, enterprise, task force, case, meeting, document number and evaluation rule
belongs to one county; a person belongs to the county of their role rows. The city's office reads
every county of its city and acts in none (cases.roles.CITY).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from counties.membership import RoleInOneCounty

# The county every row belonged to before there were counties (the data migration attaches them
# to it); the default of each county field, so an installation with one county never names it.
HOME_CITY, HOME_COUNTY = "南昌市", "进贤县"


class City(models.Model):
    """设区市: the city above the counties; its office compares them (CityOfficeMember)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("市")
        verbose_name_plural = _("市")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """县（区）: one campaign — its office, departments, enterprises, task forces and cases."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="counties", verbose_name=_("所属市")
    )
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("县（区）")
        verbose_name_plural = _("县（区）")
        ordering = ["city", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="county_name_once_per_city")
        ]

    def __str__(self) -> str:
        return self.name


class CityOfficeMember(RoleInOneCounty, models.Model):
    """A member of the city's office (市委办): reads every county of the city — case pages, lists,
    analysis — and acts on nothing in a county's workflow. A city department, when the city takes
    escalated cases, will be a role row of its own beside this one."""

    role_relation = "city_office"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="city_office",
        verbose_name=_("用户"),
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="office_members", verbose_name=_("市")
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("市委办工作人员")
        verbose_name_plural = _("市委办工作人员")

    def __str__(self) -> str:
        return f"{self.city} · {self.user.get_full_name() or self.user.username}"

    def role_place(self) -> tuple[int | None, int | None]:
        return None, self.city_id


def home_county_id() -> int:
    """The id of the installation's first county (进贤县, made by the data migration): the default
    of every county field, so a row nobody placed lands where every row was before counties."""
    county = County.objects.order_by("pk").values_list("pk", flat=True).first()
    if county is not None:
        return county
    city, _created = City.objects.get_or_create(name=HOME_CITY)
    return County.objects.get_or_create(city=city, name=HOME_COUNTY)[0].pk


def county_or_home(county_id: int | None) -> int:
    """The county named, or the first one when none is (an installation with one county)."""
    return county_id if county_id is not None else home_county_id()


class HomeCountyByDefault:
    """For a model with a `county`: a row saved without one joins the first county, as every row
    did before there were counties (an installation with one county never names it). Rows made
    in bulk (bulk_create) name theirs."""

    def save(self, *args, **kwargs):
        if self.county_id is None:
            self.county_id = home_county_id()
        super().save(*args, **kwargs)


class CityDepartment(models.Model):
    """市直部门 (市发改委, 市自然资源局…): the city's own department, to which the city's office
    assigns what a county escalated beyond its power (cases.workflow.city)."""

    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="departments", verbose_name=_("市")
    )
    name = models.CharField(_("名称"), max_length=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("市直部门")
        verbose_name_plural = _("市直部门")
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "name"], name="city_department_name_once_per_city"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CityDepartmentStaff(RoleInOneCounty, models.Model):
    """A person of a city department (as DepartmentStaff is of a county's): reads the cases
    escalated to their department and answers them, nothing else (cases.roles.CITY_DEPARTMENT)."""

    role_relation = "city_department_staff"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="city_department_staff",
        verbose_name=_("用户"),
    )
    department = models.ForeignKey(
        CityDepartment, on_delete=models.PROTECT, related_name="staff", verbose_name=_("市直部门")
    )

    class Meta:
        verbose_name = _("市直部门工作人员")
        verbose_name_plural = _("市直部门工作人员")

    def __str__(self) -> str:
        return f"{self.department} · {self.user.get_full_name() or self.user.username}"

    def role_place(self) -> tuple[int | None, int | None]:
        return None, self.department.city_id
