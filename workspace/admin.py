from django.contrib import admin

from notifications.models import WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Read-mostly: the department's head sets this on its own page (/dept/webhook/)."""

    list_display = ["department", "event_kinds", "updated_by", "updated_at"]
    search_fields = ["department__name"]
    autocomplete_fields = ["department"]
    readonly_fields = ["updated_by", "updated_at"]
