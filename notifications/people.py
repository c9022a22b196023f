"""Who hears what, person by person: the 企业微信 / 钉钉 rows of the people told in-app, and the
channels and kinds each person turned off (NotificationPreference.muted). Each step answers for
a whole batch of outbox rows in one query, however many people and messages it holds."""

from __future__ import annotations

from collections import defaultdict

from cases.models import Case
from notifications.integrations import configured_vendors, county_of_notification
from notifications.models import Notification, NotificationPreference, VendorIdentity

Channel = Notification.Channel

# The channels a person may turn off, kind by kind; the in-app inbox is the record and stays.
OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECOM, Channel.DINGTALK)


def muted_pair(channel: str, kind: str) -> str:
    return f"{channel}:{kind}"


def with_vendor_rows(rows: list[Notification]) -> list[Notification]:
    """Beside each in-app row, a pending 企业微信 / 钉钉 row for a person bound there — in the
    corp of the row's county (its case's, else its recipient's: integrations
    .county_of_notification) — when that county has the vendor configured. One read of the
    settings per county in the batch."""
    told = {r.user_id for r in rows if r.channel == Channel.IN_APP and r.user_id}
    if not told:
        return rows
    bound: dict[int, set[tuple[int, str]]] = defaultdict(set)  # a user's (county, vendor)
    for user_id, county_id, vendor in VendorIdentity.objects.filter(user_id__in=told).values_list(
        "user_id", "county_id", "vendor"
    ):
        bound[user_id].add((county_id, vendor))
    if not bound:
        return rows
    ready: dict[int, set[str]] = {}  # a county's configured vendors
    case_counties = dict(
        Case.objects.filter(pk__in={r.case_id for r in rows if r.case_id}).values_list(
            "pk", "county_id"
        )
    )
    extra = []
    for row in rows:
        if row.channel != Channel.IN_APP or not bound.get(row.user_id):
            continue
        county_id = case_counties.get(row.case_id) or county_of_notification(row)
        if county_id not in ready:
            ready[county_id] = set(configured_vendors(county_id))
        key, _channel, recipient = row.dedup_key.rsplit(":", 2)
        here = {vendor for county, vendor in bound[row.user_id] if county == county_id}
        for vendor in sorted(here & ready[county_id]):
            extra.append(
                Notification(
                    channel=vendor,
                    kind=row.kind,
                    case_id=row.case_id,
                    level=row.level,
                    title=row.title,
                    body=row.body,
                    dedup_key=f"{key}:{vendor}:{recipient}",
                    status=Notification.Status.PENDING,
                    next_attempt_at=row.created_at,
                    created_at=row.created_at,
                    user_id=row.user_id,
                )
            )
    return rows + extra


def wanted(rows: list[Notification]) -> list[Notification]:
    """Drop the rows on a channel a person turned off for that kind of message."""
    users = {r.user_id for r in rows if r.user_id and r.channel in OPTIONAL_CHANNELS}
    if not users:
        return rows
    muted = {
        user_id: set(pairs or ())
        for user_id, pairs in NotificationPreference.objects.filter(user_id__in=users).values_list(
            "user_id", "muted"
        )
        if pairs
    }
    if not muted:
        return rows
    return [
        r
        for r in rows
        if r.channel not in OPTIONAL_CHANNELS
        or muted_pair(r.channel, r.kind) not in muted.get(r.user_id, ())
    ]
