"""企业微信 应用消息 and 钉钉 工作通知 to one named person, as a card that opens the case.

The card's link goes through sign-in's vendor entry (/signin/wecom/?next=/cases/<id>/), which
signs the person in silently inside the vendor's browser. A vendor's refusal (unknown userid, no
privilege, a wrong secret) is a PermanentFailure the office sees on its failed-deliveries page; a
rate limit, a busy server or a broken connection a TemporaryFailure the outbox retries with
backoff. A refreshed token is the client's business (notifications.vendors).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from notifications.channels import PermanentFailure, TemporaryFailure, printable
from notifications.integrations import county_of_notification, dingtalk_config, wecom_config
from notifications.models import VendorIdentity
from notifications.vendors import Card, VendorError
from notifications.vendors.dingtalk import DingTalkClient
from notifications.vendors.wecom import WeComClient


def card_for(notification, vendor: str, county_id: int | None = None) -> Card:
    """The card; its link signs in through the county's own 企业微信 / 钉钉 app (county_id: the
    message's county, whose settings sent it)."""
    target = f"/cases/{notification.case_id}/" if notification.case_id else "/notifications/"
    query = {"next": target, **({"county": county_id} if county_id else {})}
    url = f"{settings.SITE_URL}/signin/{vendor}/?{urlencode(query)}"
    return Card(
        title=printable(notification.title),
        description=printable(notification.body, keep_newlines=True)
        or printable(notification.title),
        url=url,
        button=_("查看详情"),
    )


def _vendor_userid(notification, vendor: str, county_id: int) -> str:
    """The recipient's userid in the corp of the county whose settings send the message."""
    userid = (
        VendorIdentity.objects.filter(
            user_id=notification.user_id, county_id=county_id, vendor=vendor
        )
        .values_list("vendor_userid", flat=True)
        .first()
    )
    if not userid:
        raise PermanentFailure(f"the recipient has no {vendor} account bound in this county")
    return userid


def _raised(error: VendorError):
    failure = TemporaryFailure if error.temporary else PermanentFailure
    return failure(str(error))


class WeComTransport:
    def send(self, notification) -> None:
        county_id = county_of_notification(notification)
        config = wecom_config(county_id)
        if config is None:
            raise PermanentFailure("企业微信 is not configured in this county")
        userid = _vendor_userid(notification, VendorIdentity.Vendor.WECOM, county_id)
        card = card_for(notification, "wecom", county_id)
        try:
            WeComClient(config).send_app_message([userid], card)
        except VendorError as error:
            raise _raised(error) from error


class DingTalkTransport:
    def send(self, notification) -> None:
        county_id = county_of_notification(notification)
        config = dingtalk_config(county_id)
        if config is None:
            raise PermanentFailure("钉钉 is not configured in this county")
        userid = _vendor_userid(notification, VendorIdentity.Vendor.DINGTALK, county_id)
        card = card_for(notification, "dingtalk", county_id)
        try:
            DingTalkClient(config).send_work_notice([userid], card)
        except VendorError as error:
            raise _raised(error) from error
