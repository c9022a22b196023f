"""A county's integration settings as the code reads them: 企业微信, 钉钉, SMS.

Each county has its own (IntegrationSettings, one row per county, made empty on first use by
county_settings — the one way to a row); what is sent to a county's people or about its cases
uses that county's (county_of_notification), and its office edits only its own. One accessor per
service returns a frozen dataclass, or None when the service is not configured in that county (a
channel without settings writes no rows, a login page offers no button).

The environment (config.settings: WECOM_*, DINGTALK_*, SMS_*) names one account per service — one
企业微信 corp, one 钉钉 org, one SMS account — and is the default of a county that saved none of
its own: a county uses it when its office saved no account for that service (no corp id, no app
key, no SMS AccessKey ID) or saved the very same one (then the environment fills the values it
left empty, e.g. a secret pinned outside the database). A county that saved another account uses
only what it saved: in a city deployment each county's own corp wins, and the environment's never
reaches it. environment_fields says which values a county takes from the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from counties.models import county_or_home
from notifications.models import IntegrationSettings


@dataclass(frozen=True)
class WeComConfig:
    corp_id: str
    agent_id: str
    secret: str = ""
    api_base: str = "https://qyapi.weixin.qq.com"


@dataclass(frozen=True)
class DingTalkConfig:
    app_key: str
    app_secret: str
    agent_id: str
    corp_id: str = ""
    api_base: str = "https://oapi.dingtalk.com"
    new_api_base: str = "https://api.dingtalk.com"


@dataclass(frozen=True)
class SmsConfig:
    provider: str
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_login: str = ""
    template_notice: str = ""
    api_base: str = ""


# The environment setting each saved field falls back to.
_OVERRIDES = {
    "wecom_corp_id": "WECOM_CORP_ID",
    "wecom_agent_id": "WECOM_AGENT_ID",
    "wecom_secret": "WECOM_SECRET",
    "dingtalk_app_key": "DINGTALK_APP_KEY",
    "dingtalk_app_secret": "DINGTALK_APP_SECRET",
    "dingtalk_agent_id": "DINGTALK_AGENT_ID",
    "dingtalk_corp_id": "DINGTALK_CORP_ID",
    "sms_provider": "SMS_PROVIDER",
    "sms_access_key_id": "SMS_ACCESS_KEY_ID",
    "sms_access_key_secret": "SMS_ACCESS_KEY_SECRET",
    "sms_sign_name": "SMS_SIGN_NAME",
    "sms_template_login": "SMS_TEMPLATE_LOGIN",
    "sms_template_notice": "SMS_TEMPLATE_NOTICE",
}

# The fields the settings page never shows back once saved.
SECRET_FIELDS = ("wecom_secret", "dingtalk_app_secret", "sms_access_key_secret")


def county_settings(county_id: int | None) -> IntegrationSettings:
    """The county's row, created empty on its first use (None: the first county, as an
    installation of one county never names it). Every reader and writer of the settings goes
    through here."""
    row, _created = IntegrationSettings.objects.get_or_create(county_id=county_or_home(county_id))
    return row


def county_of_notification(notification) -> int:
    """The county whose settings send a message: its case's, else its group robot's department's,
    else its recipient's (Actor.county_id; the first county for someone of none)."""
    if notification.case_id:
        return notification.case.county_id
    if notification.department_id:
        return notification.department.county_id
    from cases.roles import actor_for

    return county_or_home(actor_for(notification.user).county_id)


# Each service's fields, the first naming its account: a county that saved an account of its own
# other than the environment's uses none of the environment's values for that service.
_SERVICES = (
    ("wecom_corp_id", "wecom_agent_id", "wecom_secret"),
    ("dingtalk_app_key", "dingtalk_app_secret", "dingtalk_agent_id", "dingtalk_corp_id"),
    (
        "sms_access_key_id",
        "sms_provider",
        "sms_access_key_secret",
        "sms_sign_name",
        "sms_template_login",
        "sms_template_notice",
    ),
)


def _environment(field: str) -> str:
    return (getattr(settings, _OVERRIDES[field], "") or "").strip()


def _saved(row: IntegrationSettings, field: str) -> str:
    return (getattr(row, field) or "").strip()


def _from_environment(row: IntegrationSettings) -> set[str]:
    """The fields the county takes from the environment: those it left empty, of each service
    whose account it saved none of or the same as the environment's."""
    fields = set()
    for account, *rest in _SERVICES:
        saved = _saved(row, account)
        if saved and saved != _environment(account):
            continue  # the county's own account: none of the environment's values
        fields |= {f for f in (account, *rest) if _environment(f) and not _saved(row, f)}
    return fields


def environment_fields(county_id: int | None) -> dict[str, str]:
    """The county's fields whose value comes from the environment, with the variable's name (the
    settings page says so beside each)."""
    return {field: _OVERRIDES[field] for field in _from_environment(county_settings(county_id))}


def _values(county_id: int | None) -> dict[str, str]:
    row = county_settings(county_id)
    from_environment = _from_environment(row)
    return {
        field: _environment(field) if field in from_environment else _saved(row, field)
        for field in _OVERRIDES
    }


def wecom_config(county_id: int | None, values: dict[str, str] | None = None) -> WeComConfig | None:
    """The county's 企业微信 when its corp id, agent id and secret are all known, else None."""
    v = values or _values(county_id)
    if not (v["wecom_corp_id"] and v["wecom_agent_id"] and v["wecom_secret"]):
        return None
    return WeComConfig(
        corp_id=v["wecom_corp_id"],
        agent_id=v["wecom_agent_id"],
        secret=v["wecom_secret"],
        api_base=settings.WECOM_API_BASE.rstrip("/"),
    )


def dingtalk_config(
    county_id: int | None, values: dict[str, str] | None = None
) -> DingTalkConfig | None:
    """The county's 钉钉 when its app key, app secret and agent id are all known, else None."""
    v = values or _values(county_id)
    if not (v["dingtalk_app_key"] and v["dingtalk_app_secret"] and v["dingtalk_agent_id"]):
        return None
    return DingTalkConfig(
        app_key=v["dingtalk_app_key"],
        app_secret=v["dingtalk_app_secret"],
        agent_id=v["dingtalk_agent_id"],
        corp_id=v["dingtalk_corp_id"],
        api_base=settings.DINGTALK_API_BASE.rstrip("/"),
        new_api_base=settings.DINGTALK_NEW_API_BASE.rstrip("/"),
    )


def configured_vendors(county_id: int | None) -> list[str]:
    """The county's messaging vendors ready to send ("wecom", "dingtalk"), in one read of its
    settings."""
    values = _values(county_id)
    ready = [
        ("wecom", wecom_config(county_id, values)),
        ("dingtalk", dingtalk_config(county_id, values)),
    ]
    return [vendor for vendor, config in ready if config is not None]


def sms_config(county_id: int | None) -> SmsConfig | None:
    """The county's SMS account when provider, key id, key secret and sign name are known."""
    v = _values(county_id)
    if not all(
        v[f]
        for f in ("sms_provider", "sms_access_key_id", "sms_access_key_secret", "sms_sign_name")
    ):
        return None
    return SmsConfig(
        provider=v["sms_provider"],
        access_key_id=v["sms_access_key_id"],
        access_key_secret=v["sms_access_key_secret"],
        sign_name=v["sms_sign_name"],
        template_login=v["sms_template_login"],
        template_notice=v["sms_template_notice"],
        api_base=getattr(settings, "SMS_API_BASE", "").rstrip("/"),
    )


def leader_daily_digest(county_id: int | None) -> bool:
    """Whether the county's leaders read their late cases in one daily digest (not one ping per
    case)."""
    if settings.LEADER_DAILY_DIGEST is not None:
        return settings.LEADER_DAILY_DIGEST
    return county_settings(county_id).leader_daily_digest


SMS_PROVIDERS = ("aliyun", "tencent")


def integration_settings_save(*, user, county_id: int | None, values: dict) -> IntegrationSettings:
    """Save what the county's office entered, in its county's row. A secret left empty keeps the saved one (the page never shows
    it back); an agent id must be a number (both vendors number their apps); an unknown SMS
    provider is refused by name. Nothing is saved when anything is refused."""
    errors = {}
    for field in ("wecom_agent_id", "dingtalk_agent_id"):
        value = str(values.get(field) or "").strip()
        if value and not value.isdigit():
            errors[field] = _("AgentId 是一串数字，“%(value)s”不是。") % {"value": value}
    provider = str(values.get("sms_provider") or "").strip()
    if provider and provider not in SMS_PROVIDERS:
        errors["sms_provider"] = _("“%(value)s”不是支持的短信服务商。") % {"value": provider}
    if errors:
        raise ValidationError(errors)
    row = county_settings(county_id)
    for field in _OVERRIDES:
        if field not in values:
            continue
        value = str(values[field] or "").strip()
        if field in SECRET_FIELDS and not value:
            continue  # empty: keep the saved secret
        setattr(row, field, value)
    if "leader_daily_digest" in values:
        row.leader_daily_digest = bool(values["leader_daily_digest"])
    row.updated_by = user
    row.save()
    return row


def secret_cleared(*, user, county_id: int | None, field: str) -> None:
    """Forget a county's saved secret (the page's "清除" button): the service stops there until a
    new one."""
    if field not in SECRET_FIELDS:
        raise ValidationError({field: _("只有密钥可以清除。")})
    row = county_settings(county_id)
    setattr(row, field, "")
    row.updated_by = user
    row.save()
