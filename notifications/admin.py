"""Back-office for the outbox and the reminders: looked at, never edited by hand.

The one action is to send a failed notification again (after fixing an address or a webhook).
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, Reminder, VendorIdentity
from notifications.outbox import publish


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnly):
    list_display = ["created_at", "channel", "kind", "level", "recipient", "title", "status"]
    list_filter = ["status", "channel", "kind", "level"]
    search_fields = ["title", "user__username", "department__name", "case__number"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "department", "case"]
    raw_id_fields = ["user", "department", "case"]
    actions = ["send_again"]

    @admin.display(description=_("接收人"))
    def recipient(self, obj: Notification) -> str:
        return str(obj.user or obj.department)

    @admin.action(description=_("重新发送选中的失败通知"))
    def send_again(self, request, queryset) -> None:
        with transaction.atomic():
            failed = queryset.filter(status=Notification.Status.FAILED)
            ids = list(failed.values_list("pk", flat=True))
            failed.update(
                status=Notification.Status.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
                last_error="",
            )
            transaction.on_commit(lambda: publish(ids))
        self.message_user(
            request, _("%(count)d 条通知将重新发送。") % {"count": len(ids)}, messages.SUCCESS
        )


@admin.register(Reminder)
class ReminderAdmin(_ReadOnly):
    """The case ladders' rungs and the city's late deadlines (市级签收期限, 市级答复期限), each as
    its message said it: a city deadline in the city's words, not the ladder's level."""

    list_display = ["sent_at", "case", "deadline", "due_at", "level_words"]
    fields = ["case", "deadline", "due_at", "level", "level_words", "sent_at"]
    readonly_fields = ["level_words"]
    list_filter = ["deadline", "level"]
    search_fields = ["case__number", "case__title"]
    date_hierarchy = "sent_at"
    list_select_related = ["case"]
    raw_id_fields = ["case"]

    @admin.display(description=_("提醒等级"), ordering="level")
    def level_words(self, obj: Reminder) -> str:
        return obj.level_words()


@admin.register(VendorIdentity)
class VendorIdentityAdmin(admin.ModelAdmin):
    """Bind a person's 企业微信 / 钉钉 userid by hand (sign-in binds it by mobile on first use)."""

    list_display = ["user", "county", "vendor", "vendor_userid", "bound_at"]
    list_filter = ["county", "vendor"]
    search_fields = ["user__username", "user__first_name", "vendor_userid"]
    raw_id_fields = ["user"]
