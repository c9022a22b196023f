from django.contrib import admin

from analysis.models import EvaluationRules, ExportJob, ImportedRow, ImportJob


class ReadOnly(admin.ModelAdmin):
    """Jobs are records of what happened: looked at here, changed only by their services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly):
    list_display = [
        "filename",
        "kind",
        "batch",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "skipped_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "batch"]


@admin.register(ImportedRow)
class ImportedRowAdmin(ReadOnly):
    list_display = ["job", "row_number", "case"]
    raw_id_fields = ["job", "case"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnly):
    list_display = ["kind", "status", "total_rows", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(EvaluationRules)
class EvaluationRulesAdmin(ReadOnly):
    """考核规则: each version stays as it was saved (a new one on the rules page)."""

    list_display = ["effective_from", "note", "created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False
