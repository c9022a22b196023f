"""Back-office for the 1+2+N task forces (专班)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from cases.taskforces import taskforce_shape_errors
from taskforces.models import (
    AccountChange,
    CaseReview,
    CountyLeader,
    TaskForce,
    TaskForceEnterprise,
    TaskForceMember,
)
from web.forms import InputRulesAdmin


class TaskForceMemberFormSet(BaseInlineFormSet):
    """Refuses the whole page when an active task force would not be 1+2+N; nothing is saved."""

    def clean(self) -> None:
        super().clean()
        # Broken rows already show their own errors; the shape is judged on a clean list.
        if any(self.errors) or not self.instance.active:
            return
        roles = [
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not self._should_delete_form(form)
        ]
        errors = taskforce_shape_errors(roles)
        if errors:
            raise ValidationError(errors)


class TaskForceMemberInline(admin.TabularInline):
    model = TaskForceMember
    formset = TaskForceMemberFormSet
    extra = 0
    fields = ["user", "role", "department"]
    autocomplete_fields = ["user", "department"]


class TaskForceEnterpriseInline(admin.TabularInline):
    model = TaskForceEnterprise
    extra = 0
    autocomplete_fields = ["enterprise"]


@admin.register(TaskForce)
class TaskForceAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "active", "member_count", "enterprise_count", "created_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "members__user__username", "enterprises__name"]
    inlines = [TaskForceMemberInline, TaskForceEnterpriseInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _member_count=Count("members", distinct=True),
                _enterprise_count=Count("enterprises", distinct=True),
            )
        )

    @admin.display(description=_("成员数"), ordering="_member_count")
    def member_count(self, obj: TaskForce) -> int:
        return obj._member_count

    @admin.display(description=_("包干企业数"), ordering="_enterprise_count")
    def enterprise_count(self, obj: TaskForce) -> int:
        return obj._enterprise_count


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(admin.ModelAdmin):
    """A list to look members up; they are edited on their task force's page, where the 1+2+N
    shape is checked as a whole (one row changed here alone could break an active task force)."""

    list_display = ["task_force", "role", "user", "department"]
    list_filter = ["role", "task_force__kind", "task_force__active"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "task_force__name",
        "department__name",
    ]
    list_select_related = ["task_force", "user", "department"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CountyLeader)
class CountyLeaderAdmin(InputRulesAdmin, admin.ModelAdmin):
    """县领导班子: who reads every case and analysis page and may 批示 (cases.roles.LEADERSHIP).
    A seat ends by unticking 在任, so the 批示 written in it keep their author."""

    list_display = ["user", "title", "portfolio", "active"]
    list_filter = ["title", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "portfolio"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(TaskForceEnterprise)
class TaskForceEnterpriseAdmin(admin.ModelAdmin):
    list_display = ["task_force", "enterprise"]
    list_filter = ["task_force__kind", "task_force__active"]
    search_fields = ["task_force__name", "enterprise__name", "enterprise__credit_code"]
    autocomplete_fields = ["task_force", "enterprise"]
    list_select_related = ["task_force", "enterprise"]


@admin.register(CaseReview)
class CaseReviewAdmin(admin.ModelAdmin):
    """逐个研究 records are written from the review list; the admin only shows them."""

    list_display = ["task_force", "case", "reviewed_by", "reviewed_at"]
    list_filter = ["task_force__kind"]
    search_fields = ["task_force__name", "case__number", "case__title"]
    list_select_related = ["task_force", "case", "reviewed_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """The record of account changes is evidence: nobody edits or deletes it."""

    list_display = ["created_at", "account", "action", "changed_by", "detail"]
    list_filter = ["action"]
    search_fields = ["account__username", "changed_by__username", "detail"]
    list_select_related = ["account", "changed_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
