"""Visit photos in the back-office: looked at, never uploaded or edited here.

Photos enter only through the visit form, where their content is checked; the files are private,
so the admin links to the scoped photo view instead of a file URL.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.models import VisitPhoto


@admin.register(VisitPhoto)
class VisitPhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "visit", "content_type", "size", "uploaded_by", "created_at"]
    list_select_related = ["visit__enterprise", "uploaded_by"]
    search_fields = ["visit__enterprise__name", "original_name"]
    date_hierarchy = "created_at"
    fields = ["visit", "preview", "original_name", "content_type", "size", "width", "height"]
    fields += ["uploaded_by", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("照片"))
    def preview(self, photo: VisitPhoto):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="" style="max-width: 320px"></a>',
            reverse("fieldwork:photo", args=[photo.pk]),
            reverse("fieldwork:photo_thumbnail", args=[photo.pk]),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
