"""Back-office for cases and their records.

The admin is where the office keeps reference data (categories, the calendar, visits, meetings)
and looks cases up. A case's workflow — state, deadlines, reply, rating, breakdown, commitments,
requests — changes only through cases.workflow, which writes the timeline in the same transaction;
here those are shown, never edited, so no change can slip past the audit trail.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.calendar import calendar_enter, deadlines_recount
from cases.calendar_import import ScheduleImportForm
from cases.models import (
    AssignmentLetter,
    BreakdownItem,
    Bulletin,
    CalendarOverride,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    CityEscalation,
    Commitment,
    DocumentSequence,
    EventAttachment,
    Meeting,
    Rating,
    Request,
    SupervisionNotice,
    Visit,
)
from cases.selectors import work_calendar
from cases.supervision_notices import notice_number
from web.forms import InputRulesAdmin

admin.site.site_header = _("四进四问问题办理系统")
admin.site.site_title = _("四进四问问题办理系统")
admin.site.index_title = _("后台管理")


class ReadOnlyAdminMixin:
    """For records written by the workflow: they can be looked at, not added, changed or deleted."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(InputRulesAdmin, admin.ModelAdmin):
    """Where the office enters a year's schedule once the State Council publishes it, or a day of
    its own. Every change moves the open deadlines counted over the days it changed, once, with an
    event on each moved case, and replans the reminders (cases.calendar.deadlines_recount)."""

    list_display = ["date", "kind", "note", "county"]
    list_filter = ["kind", "county"]
    date_hierarchy = "date"
    search_fields = ["note"]
    change_list_template = "admin/cases/calendaroverride/change_list.html"

    def changelist_view(self, request, extra_context=None):
        calendar = work_calendar()
        this_year = timezone.localdate().year
        for year in calendar.estimated_years([this_year, this_year + 1]):
            messages.warning(
                request,
                _(
                    "%(year)d年的放假与调休安排尚未录入，工作日暂按法定节假日预估（不含调休上班日）。"
                    "国务院公布该年安排后，请在此录入或“导入放假安排”，受影响的期限将自动重算。"
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="cases_calendaroverride_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """A whole notice pasted at once: the deadlines move once, not once per day typed."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ScheduleImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            entries, county = form.cleaned_data["schedule"], form.cleaned_data["county"]
            moved = calendar_enter(
                entries=entries, actor=request.user, county_id=county.pk if county else None
            )
            messages.success(
                request,
                _("已录入 %(days)d 天；%(cases)d 个问题的期限已按新的工作日历重算。")
                % {"days": len(entries), "cases": len(moved)},
            )
            return redirect("admin:cases_calendaroverride_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入放假安排"),
            "form": form,
        }
        return TemplateResponse(request, "admin/cases/calendaroverride/import.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _recount(request, {obj.date, form.initial.get("date", obj.date)})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount(request, {obj.date})

    def delete_queryset(self, request, queryset):
        days = set(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        _recount(request, days)


def _recount(request, days) -> None:
    """Once the change is committed: the counted deadlines it moves, and every case's reminders."""
    user = request.user
    transaction.on_commit(lambda: deadlines_recount(days=days, actor=user))


@admin.register(Category)
class CategoryAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "default_resolve_days",
        "default_department",
        "sort_order",
        "active",
    ]
    list_editable = ["sort_order", "active"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["default_department"]
    list_select_related = ["default_department"]


class VisitCaseInline(ReadOnlyInline):
    model = Case
    fields = ["number", "title", "category", "status"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("走访发现的问题")


@admin.register(Visit)
class VisitAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["visited_on", "enterprise", "kind", "cadre", "task_force"]
    list_filter = ["kind", "task_force__kind"]
    date_hierarchy = "visited_on"
    search_fields = [
        "enterprise__name",
        "notes",
        "cadre__username",
        "cadre__first_name",
        "cadre__last_name",
    ]
    autocomplete_fields = ["enterprise", "cadre", "task_force"]
    # What the phone recorded — its id for the visit, the 签到位置 — is evidence, not edited here.
    readonly_fields = ["created_at", "client_id", "latitude", "longitude", "accuracy_m"]
    readonly_fields += ["located_at"]
    list_select_related = ["enterprise", "cadre", "task_force"]
    inlines = [VisitCaseInline]


@admin.register(CityEscalation)
class CityEscalationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """上报市级: read only — each step is the workflow's (cases.workflow.city)."""

    list_display = ["case", "city", "city_department", "escalated_at", "answered_at"]
    list_filter = ["city", "city_department"]
    list_select_related = ["case", "city", "city_department"]


@admin.register(CaseCounter)
class CaseCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "last"]


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """文号 counters: read only — a number is taken with its document (cases.documents)."""

    list_display = ["kind", "year", "last"]
    list_filter = ["kind", "year"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """奖惩通报: read only — issued with their 文号 on the office's page (cases.bulletins)."""

    list_display = ["title", "kind", "department", "number_year", "number_serial", "issued_at"]
    list_filter = ["kind", "number_year"]
    search_fields = ["title", "department__name"]
    raw_id_fields = ["cases"]


class BreakdownItemInline(ReadOnlyInline):
    model = BreakdownItem
    fields = ["department", "measure", "due_on", "done_at", "created_by"]


class CommitmentInline(ReadOnlyInline):
    model = Commitment
    fields = ["committed_by", "department", "text", "due_on", "kept_at"]


class RequestInline(ReadOnlyInline):
    model = Request
    fields = [
        "kind",
        "state",
        "requested_by",
        "reason",
        "resolve_due_at",
        "decided_by",
        "decided_at",
    ]


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ["reply_round", "level", "comment", "rated_by", "recorded_by_cadre", "appeal"]


class CaseEventInline(ReadOnlyInline):
    """The timeline, oldest first: append-only, so shown and never edited."""

    model = CaseEvent
    fields = [
        *["created_at", "kind", "actor", "unit_name", "department", "public", "note"],
        "internal_note",
    ]
    readonly_fields = fields
    ordering = ["created_at", "id"]


@admin.register(Case)
class CaseAdmin(InputRulesAdmin, admin.ModelAdmin):
    # Only the wording and filing of a case are corrected here; everything else is the workflow's.
    EDITABLE_FIELDS = ("title", "description", "category", "batch")

    list_display = [
        "number",
        "title",
        "enterprise",
        "category",
        "status",
        "lead_department",
        "contact_due_at",
        "resolve_due_at",
        "rating",
    ]
    list_filter = [
        "status",
        "category",
        "source",
        "outcome",
        "rating",
        "year",
        "batch",
        ("lead_department", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "number",
        "title",
        "description",
        "enterprise__name",
        "enterprise__credit_code",
    ]
    date_hierarchy = "assigned_at"
    list_select_related = ["enterprise", "category", "lead_department"]
    inlines = [BreakdownItemInline, CommitmentInline, RequestInline, RatingInline, CaseEventInline]
    fieldsets = [
        (
            _("问题"),
            {
                "fields": [
                    "number",
                    "title",
                    "description",
                    "category",
                    "enterprise",
                    "visit",
                    "source",
                    "batch",
                ]
            },
        ),
        (
            _("交办与办理"),
            {
                "fields": [
                    "status",
                    "lead_department",
                    "co_departments",
                    "joint_group",
                    "designated",
                    "return_count",
                    "assigned_at",
                    "contact_due_at",
                    "contacted_at",
                    "resolve_due_at",
                    "suspended_at",
                    "suspended_days",
                ]
            },
        ),
        (
            _("反馈与评价"),
            {
                "fields": [
                    "replied_at",
                    "outcome",
                    "reply",
                    "reply_round",
                    "rating",
                    "reopen_count",
                    "closed_at",
                    "merged_into",
                ]
            },
        ),
        (_("记录"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def _all_field_names(self) -> list[str]:
        opts = self.model._meta
        fields = [f for f in opts.concrete_fields if not f.primary_key] + list(opts.many_to_many)
        return [f.name for f in fields]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # An allow-list, so a field added to Case later is read-only until someone decides otherwise.
        return [name for name in self._all_field_names() if name not in self.EDITABLE_FIELDS]

    def get_fieldsets(self, request, obj=None):
        shown = {name for _title, options in self.fieldsets for name in options["fields"]}
        rest = [
            name
            for name in self._all_field_names()
            if name not in shown and name not in ("year", "sequence")
        ]
        if not rest:
            return self.fieldsets
        return [*self.fieldsets, (_("其他"), {"fields": rest})]

    # Cases are numbered and registered through the workflow, and deleting one would take its
    # timeline with it; duplicates are merged instead (one enterprise's), and the same problem of
    # several enterprises is handled jointly — both on the office's pages, never here: merged_into
    # and joint_group are read-only, like every field the workflow keeps.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "case",
        "kind",
        "actor",
        "unit_kind",
        "unit_name",
        "department",
        "public",
    ]
    list_filter = ["kind", "unit_kind", "public"]
    date_hierarchy = "created_at"
    search_fields = ["case__number", "case__title", "note", "internal_note"]
    list_select_related = ["case", "actor", "department"]


@admin.register(BreakdownItem)
class BreakdownItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "department", "measure", "due_on", "done_at"]
    list_filter = [("department", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "due_on"
    search_fields = ["case__number", "case__title", "measure"]
    list_select_related = ["case", "department"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "committed_by", "department", "text", "due_on", "kept_at"]
    list_filter = [("department", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "due_on"
    search_fields = ["case__number", "case__title", "text"]
    list_select_related = ["case", "committed_by", "department"]


@admin.register(Request)
class RequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "kind", "state", "requested_by", "resolve_due_at", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["case__number", "case__title", "reason"]
    list_select_related = ["case", "requested_by"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "level", "department", "recorded_by_cadre", "appeal", "created_at"]
    list_filter = ["level", "appeal", "recorded_by_cadre"]
    search_fields = ["case__number", "case__title", "comment"]
    list_select_related = ["case", "department"]


@admin.register(Meeting)
class MeetingAdmin(InputRulesAdmin, admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "task_force", "case_count"]
    list_filter = ["kind"]
    date_hierarchy = "held_on"
    search_fields = ["title", "attendees", "minutes", "decisions"]
    autocomplete_fields = ["task_force", "cases"]
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["task_force"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_case_count=Count("cases"))

    @admin.display(description=_("研究问题数"), ordering="_case_count")
    def case_count(self, obj: Meeting) -> int:
        return obj._case_count

    def save_model(self, request, obj, form, change) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AssignmentLetter)
class AssignmentLetterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """交办函: read only — issued and signed through cases.letters, numbered once."""

    list_display = ["number", "meeting", "department", "issued_at", "signed_by", "signed_at"]
    list_filter = ["year", "department"]
    search_fields = ["number", "meeting__title", "department__name"]
    list_select_related = ["meeting", "department", "signed_by"]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """督办单: read only — issued and answered through cases.supervision_notices, numbered once."""

    list_display = ["printed_number", "department", "issued_at", "reply_by", "answered_at"]
    list_filter = ["year", "department"]
    search_fields = ["department__name", "text", "cases__number"]
    list_select_related = ["department"]

    @admin.display(description=_("文号"), ordering="serial")
    def printed_number(self, notice: SupervisionNotice) -> str:
        return notice_number(notice)


@admin.register(EventAttachment)
class EventAttachmentAdmin(admin.ModelAdmin):
    """Read-only: files arrive with a progress note or a reply (cases.workflow) and leave through
    the checked view (web.case_views.event_file)."""

    list_display = ["original_name", "case", "event", "content_type", "size", "uploaded_at"]
    list_select_related = ["case", "event", "uploaded_by"]
    search_fields = ["original_name", "case__number", "case__title"]
    fields = ["case", "event", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("文件"))
    def download(self, obj: EventAttachment):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("case_event_file", args=[obj.case_id, obj.pk]),
            obj.original_name,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
