from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        """Listen to the case domain (cases.signals): it announces, notifications writes the
        messages and replans the reminders, inside the same transaction."""
        from cases import signals
        from notifications import hooks, tasks  # noqa: F401 — registers the tasks the outbox names

        signals.case_event_recorded.connect(hooks.event_recorded, dispatch_uid="notifications")
        signals.case_deadlines_moved.connect(hooks.deadlines_moved, dispatch_uid="notifications")
        signals.calendar_changed.connect(hooks.calendar_changed, dispatch_uid="notifications")
        signals.assignment_letter_issued.connect(hooks.letter_issued, dispatch_uid="notifications")
