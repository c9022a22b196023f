from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.models import CaseAttachment


@admin.register(CaseAttachment)
class CaseAttachmentAdmin(admin.ModelAdmin):
    """Read-only: attachments arrive with the enterprise's problem and leave through the checked view."""

    list_display = ["original_name", "case", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["case", "uploaded_by"]
    search_fields = ["original_name", "case__number", "case__title"]
    fields = ["case", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("文件"))
    def download(self, obj: CaseAttachment):
        return format_html(
            '<a href="{}">{}</a>', reverse("portal:attachment", args=[obj.pk]), obj.original_name
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
