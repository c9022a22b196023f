"""A 企业微信 / 钉钉 userid is unique only inside one corp, and each county has its own corp: an
identity is of a county (notifications.VendorIdentity.county). The same "zhangsan" in two
counties is two people; sign-in through a county's button matches only that county's identities;
a message sent with a county's settings goes to the recipient's identity in that county's corp."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from counties.models import CityOfficeMember
from enterprises.models import DepartmentStaff
from notifications.channels import PermanentFailure
from notifications.channels import vendor as vendor_channel
from notifications.integrations import integration_settings_save
from notifications.models import Notification, VendorIdentity
from notifications.people import with_vendor_rows
from signin import vendors as signin_vendors
from tests.conftest import make_user
from tests.office.test_integrations import no_environment  # noqa: F401

pytestmark = pytest.mark.django_db


class Corps:
    """Two counties' 企业微信 corps, each with its own members: what a code and a userid are
    depends on the corp the client was made for (its config's corp id)."""

    def __init__(self):
        self.codes: dict[tuple[str, str], str] = {}  # (corp, code) -> userid
        self.mobiles: dict[tuple[str, str], str] = {}  # (corp, userid) -> mobile
        self.sent: list[tuple[str, list[str]]] = []
        corps = self

        class Client:
            def __init__(self, config):
                self.corp = config.corp_id

            def user_id_from_code(self, code):
                return corps.codes.pop((self.corp, code))

            def user_mobile(self, userid):
                return corps.mobiles.get((self.corp, userid), "")

            def send_app_message(self, userids, card):
                corps.sent.append((self.corp, userids))

        self.Client = Client


@pytest.fixture
def corps(county, second_county, monkeypatch):
    a, b = county.steel.county_id, second_county.steel.county_id
    for office, county_id, corp, agent in ((county.office, a, "ww-A", "1"), (None, b, "ww-B", "2")):
        integration_settings_save(
            user=office,
            county_id=county_id,
            values={"wecom_corp_id": corp, "wecom_agent_id": agent, "wecom_secret": "s"},
        )
    fake = Corps()
    monkeypatch.setattr(signin_vendors, "WeComClient", fake.Client)
    monkeypatch.setattr(vendor_channel, "WeComClient", fake.Client)
    return fake


def sign_in(client, corps, county_id: int, corp: str, userid: str):
    client.logout()
    answer = client.get(reverse("signin:vendor", args=["wecom"]), {"county": county_id})
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer["Location"]).query).items()}
    assert query["appid"] == corp
    corps.codes[(corp, "code")] = userid
    return client.get(
        urlsplit(query["redirect_uri"]).path, {"code": "code", "state": query["state"]}
    )


def test_the_same_userid_in_two_counties_is_two_people_each_signing_in_as_their_own(
    client, county, second_county, corps
):
    a, b = county.steel.county_id, second_county.steel.county_id
    VendorIdentity.objects.create(
        user=county.dan, county_id=a, vendor="wecom", vendor_userid="zhangsan"
    )
    VendorIdentity.objects.create(
        user=second_county.dan, county_id=b, vendor="wecom", vendor_userid="zhangsan"
    )
    assert sign_in(client, corps, b, "ww-B", "zhangsan").status_code == 302
    assert client.session["_auth_user_id"] == str(second_county.dan.pk)
    assert sign_in(client, corps, a, "ww-A", "zhangsan").status_code == 302
    assert client.session["_auth_user_id"] == str(county.dan.pk)
    # Inside one county's corp a userid is still one person's.
    with pytest.raises(IntegrityError), transaction.atomic():
        VendorIdentity.objects.create(
            user=second_county.hu, county_id=b, vendor="wecom", vendor_userid="zhangsan"
        )


def test_a_first_sign_in_through_county_b_never_matches_county_as_identity(
    client, county, second_county, corps
):
    """County A's zhangsan is bound; county B's zhangsan (another person) signs in for the first
    time through B's button: matched by mobile among B's staff and bound in B, never A's user."""
    a, b = county.steel.county_id, second_county.steel.county_id
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangsan")
    assert VendorIdentity.objects.get().county_id == a  # the user's county, when none is named
    DepartmentStaff.objects.filter(user=second_county.dan).update(phone="13900002222")
    corps.mobiles[("ww-B", "zhangsan")] = "13900002222"
    assert sign_in(client, corps, b, "ww-B", "zhangsan").status_code == 302
    assert client.session["_auth_user_id"] == str(second_county.dan.pk)
    bound = VendorIdentity.objects.get(county_id=b)
    assert (bound.user, bound.vendor_userid) == (second_county.dan, "zhangsan")
    # Someone of B's corp with no mobile on file in B is refused, though A has a "lisi".
    VendorIdentity.objects.create(user=county.hu, vendor="wecom", vendor_userid="lisi")
    answer = sign_in(client, corps, b, "ww-B", "lisi")
    assert answer.status_code == 403 and "_auth_user_id" not in client.session


def test_the_backend_vouches_only_for_the_identity_of_the_sign_ins_county(county, second_county):
    from signin.backends import VendorBackend

    authenticate = VendorBackend().authenticate
    a, b = county.steel.county_id, second_county.steel.county_id
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangsan")
    credentials = {"username": county.dan.username, "vendor": "wecom", "vendor_userid": "zhangsan"}
    assert authenticate(None, **credentials, vendor_county=a) == county.dan
    assert authenticate(None, **credentials, vendor_county=b) is None
    assert authenticate(None, **credentials) is None  # no county: no corp vouched


def message(user, case) -> Notification:
    return Notification.objects.create(
        user=user,
        case=case,
        channel=Notification.Channel.WECOM,
        kind=Notification.Kind.REMINDER,
        title="【督办】逾期1个工作日未对接企业",
        dedup_key=f"test:wecom:{user.pk}:{case.pk}:{Notification.objects.count()}",
    )


def test_a_message_goes_to_the_recipients_identity_in_the_sending_countys_corp(
    county, second_county, corps
):
    a, b = county.steel.county_id, second_county.steel.county_id
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="zhangsan")
    VendorIdentity.objects.create(user=second_county.dan, vendor="wecom", vendor_userid="zs-b")
    # A member of the city's office, bound in A's corp only.
    reader = make_user("planner")
    CityOfficeMember.objects.create(user=reader, city=county.steel.county.city)
    VendorIdentity.objects.create(user=reader, county_id=a, vendor="wecom", vendor_userid="r-a")
    case_a, case_b = county.assigned(), second_county.assigned()
    vendor_channel.WeComTransport().send(message(second_county.dan, case_b))
    vendor_channel.WeComTransport().send(message(county.dan, case_a))
    vendor_channel.WeComTransport().send(message(reader, case_a))
    assert corps.sent == [("ww-B", ["zs-b"]), ("ww-A", ["zhangsan"]), ("ww-A", ["r-a"])]
    # Bound in A's corp only: a message sent with B's settings is not sent to A's userid.
    with pytest.raises(PermanentFailure, match="no wecom account bound in this county"):
        vendor_channel.WeComTransport().send(message(reader, case_b))
    assert len(corps.sent) == 3
    # … and no 企业微信 row is written for it beside the in-app one.
    rows = [
        Notification(
            user=reader,
            case_id=case.pk,
            channel=Notification.Channel.IN_APP,
            kind=Notification.Kind.REMINDER,
            title="t",
            dedup_key=f"k{case.pk}:in_app:{reader.pk}",
        )
        for case in (case_a, case_b)
    ]
    extra = with_vendor_rows(rows)[2:]
    assert [(row.case_id, row.channel) for row in extra] == [(case_a.pk, "wecom")]
    # Bound later in B's corp too (one identity per person per county): B's messages reach it.
    VendorIdentity.objects.create(user=reader, county_id=b, vendor="wecom", vendor_userid="r-b")
    vendor_channel.WeComTransport().send(message(reader, case_b))
    assert corps.sent[-1] == ("ww-B", ["r-b"])


def test_the_migration_gives_each_identity_its_users_county(county, second_county):
    """notifications.0013: each identity bound before identities had a county takes its user's
    (counties.membership.county_of over the historical models), else the first county."""
    import importlib

    from django.apps import apps

    step = importlib.import_module("notifications.migrations.0013_vendor_identity_of_a_county")
    a, b = county.steel.county_id, second_county.steel.county_id
    nobody = make_user("nobody")  # no role yet
    for user, userid in ((county.dan, "u1"), (second_county.dan, "u2"), (nobody, "u3")):
        VendorIdentity.objects.create(
            user=user, county_id=b, vendor="dingtalk", vendor_userid=userid
        )
    step.placed(apps, VendorIdentity.objects.all())
    assert dict(VendorIdentity.objects.values_list("vendor_userid", "county_id")) == {
        "u1": a,
        "u2": b,
        "u3": a,
    }


def test_the_admin_binds_an_identity_in_the_users_county_unless_told(
    admin_client, county, second_county
):
    a, b = county.steel.county_id, second_county.steel.county_id
    url = "/admin/notifications/vendoridentity/add/"
    base = {"vendor": "wecom", "vendor_userid": "zhangsan", "bound_at_0": "2026-12-01"}
    base["bound_at_1"] = "08:00:00"
    assert admin_client.post(url, {**base, "user": second_county.dan.pk}).status_code == 302
    assert VendorIdentity.objects.get(user=second_county.dan).county_id == b
    assert admin_client.post(url, {**base, "user": county.dan.pk}).status_code == 302
    assert VendorIdentity.objects.get(user=county.dan).county_id == a
    # The same userid twice in one county is named on the form, not a server error.
    answer = admin_client.post(url, {**base, "user": county.hu.pk, "county": a})
    assert answer.status_code == 200
    assert not VendorIdentity.objects.filter(user=county.hu).exists()
