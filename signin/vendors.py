"""Sign-in through 企业微信 and 钉钉: where to send the browser, and whom a vendor's answer is.

Desktop: the vendor's QR page (企业微信 Web 登录 `wwlogin/sso/login`, 钉钉 OAuth 2 `login.dingtalk.com
/oauth2/auth`); inside the vendor's own app: its OAuth page, which answers at once without a
prompt (企业微信 `connect/oauth2/authorize` snsapi_base; 钉钉's OAuth page completes silently in
its client). Either way the vendor comes back to our callback with a code and our state; the
vendor client (notifications.vendors) exchanges the code for the member's userid.

Matching: the identity bound in the county whose button started the sign-in (a userid is unique
only inside one corp, so another county's "zhangsan" is never matched); else the member's mobile in the vendor's address book
against the mobiles on file for staff (DepartmentStaff), and then the identity is bound so the
next sign-in needs no mobile. A deactivated account is refused either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from counties.models import County, county_or_home
from enterprises.models import DepartmentStaff
from enterprises.validators import is_mainland_mobile, normalize_mobile
from notifications.integrations import dingtalk_config, wecom_config
from notifications.models import VendorIdentity
from notifications.vendors.dingtalk import DingTalkClient
from notifications.vendors.wecom import WeComClient

WECOM_OAUTH = "https://open.weixin.qq.com/connect/oauth2/authorize"
WECOM_WEB_LOGIN = "https://login.work.weixin.qq.com/wwlogin/sso/login"
DINGTALK_OAUTH = "https://login.dingtalk.com/oauth2/auth"


class SignInRefused(Exception):
    """Why this person cannot sign in this way, in words for them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VendorFlow:
    key: str  # VendorIdentity.Vendor value, and the URL segment
    in_app_marker: str  # what the vendor's in-app browser puts in its User-Agent

    @property
    def label(self) -> str:
        return str(VendorIdentity.Vendor(self.key).label)

    def config(self, county_id: int | None):
        """The county's app (each county's office configures its own)."""
        return wecom_config(county_id) if self.key == WECOM else dingtalk_config(county_id)

    def in_app(self, user_agent: str) -> bool:
        return self.in_app_marker.lower() in (user_agent or "").lower()

    def authorize_url(self, config, *, redirect_uri: str, state: str, in_app: bool) -> str:
        if self.key == WECOM:
            if in_app:
                query = {
                    "appid": config.corp_id,
                    "redirect_uri": redirect_uri,
                    "response_type": "code",
                    "scope": "snsapi_base",
                    "state": state,
                    "agentid": config.agent_id,
                }
                return f"{WECOM_OAUTH}?{urlencode(query)}#wechat_redirect"
            query = {
                "login_type": "CorpApp",
                "appid": config.corp_id,
                "agentid": config.agent_id,
                "redirect_uri": redirect_uri,
                "state": state,
            }
            return f"{WECOM_WEB_LOGIN}?{urlencode(query)}"
        query = {
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "client_id": config.app_key,
            "scope": "openid corpid",
            "state": state,
            "prompt": "consent",
        }
        if config.corp_id:
            query["corpId"] = config.corp_id  # restricts the login to members of this corp
        return f"{DINGTALK_OAUTH}?{urlencode(query)}"

    def user_id(self, config, code: str) -> str:
        """The member's userid for the code the vendor sent back (raises VendorError)."""
        if self.key == WECOM:
            return WeComClient(config).user_id_from_code(code)
        return DingTalkClient(config).user_id_from_login_code(code)

    def mobile(self, config, userid: str) -> str:
        client = WeComClient(config) if self.key == WECOM else DingTalkClient(config)
        return client.user_mobile(userid)


WECOM = VendorIdentity.Vendor.WECOM.value
DINGTALK = VendorIdentity.Vendor.DINGTALK.value
FLOWS = {
    WECOM: VendorFlow(WECOM, "wxwork"),
    DINGTALK: VendorFlow(DINGTALK, "DingTalk"),
}


def configured_flows() -> list[tuple[VendorFlow, County]]:
    """Each vendor each county's office configured: the login page offers a button for each."""
    return [
        (flow, county)
        for county in County.objects.order_by("pk")
        for flow in FLOWS.values()
        if flow.config(county.pk) is not None
    ]


def sign_in_county(value) -> int:
    """The county a vendor sign-in goes through (?county=, from a button or a card's link); the
    first county when none or an unknown one is named."""
    county_id = int(value) if str(value or "").isdigit() else None
    if county_id is not None and County.objects.filter(pk=county_id).exists():
        return county_id
    return county_or_home(None)


def _staff_with_mobile(mobile: str, county_id: int) -> list:
    rows = DepartmentStaff.objects.filter(
        department__county_id=county_id, phone__contains=mobile[-4:]
    ).select_related("user")
    users = {row.user_id: row.user for row in rows if normalize_mobile(row.phone) == mobile}
    return list(users.values())


def account_for(flow: VendorFlow, config, userid: str, county_id: int):
    """The account this member of the county's vendor app signs in as; binds it on a first match
    by mobile among the county's staff. Raises SignInRefused (no account, deactivated, the account
    bound to another member)."""
    label = flow.label
    identity = (
        VendorIdentity.objects.select_related("user")
        .filter(county_id=county_id, vendor=flow.key, vendor_userid=userid)
        .first()
    )
    if identity is not None:
        user = identity.user
    else:
        mobile = normalize_mobile(flow.mobile(config, userid))
        users = _staff_with_mobile(mobile, county_id) if is_mainland_mobile(mobile) else []
        if len(users) != 1:
            raise SignInRefused(
                _(
                    "您的%(vendor)s账号（%(userid)s）没有对应的本平台账号：请联系县委办在您的账号上"
                    "登记与%(vendor)s一致的手机号码，或绑定%(vendor)s账号。"
                )
                % {"vendor": label, "userid": userid}
            )
        user = users[0]
        if not user.is_active:
            raise SignInRefused(_("您的账号已停用，无法登录。如有疑问请联系县委办。"))
        try:
            with transaction.atomic():
                VendorIdentity.objects.create(
                    user=user, county_id=county_id, vendor=flow.key, vendor_userid=userid
                )
        except IntegrityError:
            raise SignInRefused(
                _("与您手机号码对应的账号已绑定另一个%(vendor)s账号，请联系县委办核对。")
                % {"vendor": label}
            ) from None
    if not user.is_active:
        raise SignInRefused(_("您的账号已停用，无法登录。如有疑问请联系县委办。"))
    return user
