"""A person's bound 企业微信 / 钉钉 accounts, as their settings page shows them."""

from __future__ import annotations

from counties.models import county_or_home
from notifications.integrations import dingtalk_config, wecom_config
from notifications.models import VendorIdentity


def bound_vendors(user) -> list[dict]:
    """Each vendor: its label, whether the user's county's office configured it, and the user's
    id in that county's corp."""
    from cases.roles import actor_for

    county_id = county_or_home(actor_for(user).county_id)
    ids = dict(
        VendorIdentity.objects.filter(user=user, county_id=county_id).values_list(
            "vendor", "vendor_userid"
        )
    )
    configured = {
        VendorIdentity.Vendor.WECOM: wecom_config(county_id) is not None,
        VendorIdentity.Vendor.DINGTALK: dingtalk_config(county_id) is not None,
    }
    return [
        {
            "vendor": value,
            "label": label,
            "configured": configured[value],
            "userid": ids.get(value, ""),
        }
        for value, label in VendorIdentity.Vendor.choices
    ]
