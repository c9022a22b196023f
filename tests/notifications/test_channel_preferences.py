"""通知方式: each person chooses which kinds of message reach them on which channel; the inbox
always. The outbox leaves out what they turned off."""

import pytest
from django.urls import reverse

from notifications.models import Notification, VendorIdentity
from notifications.preferences import muted_pairs

pytestmark = pytest.mark.django_db

URL = reverse("notification_channels")


def test_unticking_a_box_mutes_that_kind_on_that_channel(client, county, wecom, monkeypatch):
    monkeypatch.setattr("notifications.outbox._send_task", lambda pk, c: None)
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="dan-wx")
    client.force_login(county.dan)
    page = client.get(URL).content.decode()
    assert 'value="wecom:assigned"' in page and "已绑定（dan-wx）" in page
    every = [
        f"{c}:{k}" for c in ("email", "sms", "wecom", "dingtalk") for k in Notification.Kind.values
    ]
    answer = client.post(URL, {"wanted": [p for p in every if p != "wecom:assigned"]})
    assert answer.status_code == 302
    assert muted_pairs(county.dan) == {"wecom:assigned"}
    page = client.get(URL).content.decode()
    assert 'value="wecom:assigned" id="wanted-wecomassigned" aria-label' in page  # unticked
    assert 'value="dingtalk:assigned" id="wanted-dingtalkassigned" checked' in page
    county.assigned()
    assert not Notification.objects.filter(user=county.dan, channel="wecom").exists()
    assert Notification.objects.filter(user=county.dan, channel="in_app").exists()


def test_a_forged_pair_is_refused_by_name_and_nothing_changes(client, county):
    client.force_login(county.dan)
    answer = client.post(URL, {"wanted": ["carrier-pigeon:assigned"]}, follow=True)
    assert "carrier-pigeon:assigned" in answer.content.decode()
    assert muted_pairs(county.dan) == set()


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302
