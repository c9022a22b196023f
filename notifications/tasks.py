"""Celery tasks: each takes ids (never objects), calls one service, and has a time limit."""

from __future__ import annotations

from celery import shared_task

from notifications.city_reminders import city_reminders_sweep
from notifications.delivery import notification_deliver, notifications_resend
from notifications.digest import digest_send
from notifications.outbox import DELIVER_TASK
from notifications.reminders import reminders_sweep


@shared_task(name=DELIVER_TASK, acks_late=True, soft_time_limit=60, time_limit=90)
def deliver(notification_id: int) -> str:
    return notification_deliver(notification_id=notification_id).status


@shared_task(name="notifications.sweep_deadlines", soft_time_limit=240, time_limit=300)
def sweep_deadlines() -> int:
    """The cases' reminder ladders, then the city's late deadlines (上报市级)."""
    return reminders_sweep().reminders + city_reminders_sweep()


@shared_task(name="notifications.resend_pending", soft_time_limit=120, time_limit=180)
def resend_pending() -> int:
    return notifications_resend()


@shared_task(name="notifications.send_daily_digest", soft_time_limit=240, time_limit=300)
def send_daily_digest() -> int:
    return digest_send()
