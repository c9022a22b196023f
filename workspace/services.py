"""The workspace's one change that is not a case transition: the department's group robot."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.errors import ActionForbidden
from cases.roles import Actor
from enterprises.models import Department
from notifications.models import Notification, WebhookSubscription


@transaction.atomic
def department_webhook_save(
    *,
    actor: Actor,
    department: Department,
    webhook_url: str,
    event_kinds: Iterable[str],
    robot: str = WebhookSubscription.Robot.TEXT,
    sign_secret: str | None = None,
    keyword: str = "",
    mention_clerks: bool = True,
) -> WebhookSubscription:
    """The department's head sets its group-robot URL (blank: none), the kinds sent there (empty:
    all) and the robot's dialect: 企业微信 markdown, or 钉钉 with its 加签 secret (None keeps the
    saved one; the page never shows it back) and keyword; whether to @ the clerks. All saved
    together or not at all."""
    if not (actor.is_department_head and actor.department_id == department.pk):
        raise ActionForbidden(_("只有本单位主要负责人可以设置群机器人。"))
    webhook_url = (webhook_url or "").strip()
    event_kinds = sorted(set(event_kinds))
    errors = {}
    if webhook_url and urlsplit(webhook_url).scheme != "https":
        errors["webhook_url"] = _("群机器人 Webhook 须以 https:// 开头。")
    elif webhook_url:
        try:  # the field's own checks: a URL, and not on this machine or the intranet (SSRF)
            Department._meta.get_field("webhook_url").clean(webhook_url, department)
        except ValidationError as error:
            errors["webhook_url"] = error.messages[0]
    unknown = set(event_kinds) - set(Notification.Kind.values)
    if unknown:
        errors["event_kinds"] = _("未知的消息类型：%(kinds)s。") % {
            "kinds": "、".join(sorted(unknown))
        }
    if robot not in WebhookSubscription.Robot.values:
        errors["robot"] = _("“%(robot)s”不是可选的机器人类型。") % {"robot": robot}
    sign_secret = sign_secret.strip() if sign_secret else None
    if sign_secret and not sign_secret.startswith("SEC"):
        errors["sign_secret"] = _("钉钉加签密钥以 SEC 开头，请从机器人安全设置中完整复制。")
    keyword = (keyword or "").strip()
    if len(keyword) > 50:
        errors["keyword"] = _("自定义关键词最多 50 个字。")
    if errors:
        raise ValidationError(errors)
    department = Department.objects.select_for_update().get(pk=department.pk)
    department.webhook_url = webhook_url
    department.save(update_fields=["webhook_url"])
    subscription, _created = WebhookSubscription.objects.update_or_create(
        department=department,
        defaults={
            "event_kinds": event_kinds,
            "updated_by": actor.user,
            "robot": robot,
            "keyword": keyword,
            "mention_clerks": mention_clerks,
            **({"sign_secret": sign_secret} if sign_secret else {}),
        },
    )
    return subscription
