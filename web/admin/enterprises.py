"""Back-office for departments and enterprises: the office keeps the county's master data here."""

from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from enterprises.models import (
    ContactPerson,
    Department,
    DepartmentStaff,
    Enterprise,
    EnterpriseContact,
)
from taskforces.models import TaskForceEnterprise
from web.forms import InputRulesAdmin


class DepartmentStaffInline(admin.TabularInline):
    model = DepartmentStaff
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_head", "title", "phone"]


@admin.register(Department)
class DepartmentAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "contact_name", "phone", "email", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    inlines = [DepartmentStaffInline]
    # Group-robot webhooks are HTTPS; a bare host typed in is read as https:// (Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(DepartmentStaff)
class DepartmentStaffAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["user", "department", "is_head", "title", "phone"]
    list_filter = ["is_head", "department__kind", ("department", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "department__name",
        "title",
        "phone",
    ]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["user", "department"]


class CoveredByTaskForceFilter(admin.SimpleListFilter):
    """全覆盖: every enterprise should be covered by a task force; the office looks for the gaps."""

    title = _("专班覆盖")
    parameter_name = "covered"

    def lookups(self, request, model_admin):
        return [("yes", _("已有专班包干")), ("no", _("未被任何专班覆盖"))]

    def queryset(self, request, queryset):
        covered = Exists(TaskForceEnterprise.objects.filter(enterprise_id=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(covered)
        if self.value() == "no":
            return queryset.exclude(covered)
        return queryset


class EnterpriseContactInline(admin.TabularInline):
    model = EnterpriseContact
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "position", "phone"]


class ContactPersonInline(admin.TabularInline):
    """People of the enterprise's phone book without a login (taskforces.contacts)."""

    model = ContactPerson
    extra = 0
    fields = ["name", "position", "mobile", "added_by", "created_at"]
    readonly_fields = ["added_by", "created_at"]


@admin.register(Enterprise)
class EnterpriseAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "credit_code",
        "industry",
        "township",
        "is_key",
        "contact_name",
        "contact_phone",
    ]
    list_filter = [
        "is_key",
        "industry",
        "scale",
        CoveredByTaskForceFilter,
        ("township", admin.RelatedOnlyFieldListFilter),
        ("industry_department", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "credit_code", "contact_name", "contact_phone", "address"]
    autocomplete_fields = ["township", "industry_department"]
    list_select_related = ["township"]
    inlines = [EnterpriseContactInline, ContactPersonInline]


@admin.register(EnterpriseContact)
class EnterpriseContactAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["user", "enterprise", "position", "phone"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "enterprise__name",
        "position",
        "phone",
    ]
    autocomplete_fields = ["user", "enterprise"]
    list_select_related = ["user", "enterprise"]


@admin.register(ContactPerson)
class ContactPersonAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["name", "enterprise", "position", "mobile", "added_by", "created_at"]
    search_fields = ["name", "enterprise__name", "position", "mobile"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["added_by", "created_at"]
    list_select_related = ["enterprise", "added_by"]
