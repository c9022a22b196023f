"""企业微信 and 钉钉 messages exactly once under a worker killed mid-delivery (the email drill of
test_notifications_worker.py, for the new channels): real worker processes, real Redis, the real
database, and the vendors' stand-ins on 127.0.0.1 holding the last sends open while the worker
is SIGKILLed. After a restart every row is sent, and each card reached its person once."""

from collections import Counter

import pytest

from notifications.models import Notification, VendorIdentity
from tests.integration.conftest import wait_for
from tests.standins.dingtalk import DingTalkStandIn
from tests.standins.wecom import WeComStandIn

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

N = Notification
VENDORS = ("wecom", "dingtalk")


@pytest.fixture
def stand_ins():
    wecom, dingtalk = WeComStandIn(), DingTalkStandIn()
    yield wecom, dingtalk
    for stand_in in (wecom, dingtalk):
        stand_in.release()
        stand_in.close()


def vendor_env(wecom, dingtalk, **extra) -> dict:
    return {
        "WECOM_CORP_ID": wecom.corp_id,
        "WECOM_AGENT_ID": wecom.agent_id,
        "WECOM_SECRET": wecom.secret,
        "WECOM_API_BASE": wecom.base,
        "DINGTALK_APP_KEY": dingtalk.app_key,
        "DINGTALK_APP_SECRET": dingtalk.app_secret,
        "DINGTALK_AGENT_ID": dingtalk.agent_id,
        "DINGTALK_API_BASE": dingtalk.base,
        "DINGTALK_NEW_API_BASE": dingtalk.base,
        "VENDOR_TIMEOUT_SECONDS": "90",
        **extra,
    }


def statuses() -> Counter:
    return Counter(N.objects.filter(channel__in=VENDORS).values_list("status", flat=True))


def test_a_worker_killed_mid_delivery_sends_each_card_exactly_once(
    county, worker, stand_ins, settings
):
    wecom, dingtalk = stand_ins
    for name, value in vendor_env(wecom, dingtalk).items():  # this process writes the rows
        setattr(settings, name, value)
    wecom.users.update({"dan-wx": "13800000001", "hu-wx": "13800000002"})
    dingtalk.users.update({"carl-dd": "13800000003"})
    VendorIdentity.objects.create(user=county.dan, vendor="wecom", vendor_userid="dan-wx")
    VendorIdentity.objects.create(user=county.hu, vendor="wecom", vendor_userid="hu-wx")
    VendorIdentity.objects.create(user=county.carl, vendor="dingtalk", vendor_userid="carl-dd")

    # 10 assignments, no worker yet: 20 企业微信 app messages (Dan, Hu), 10 钉钉 notices (Carl).
    for _ in range(10):
        county.assigned()
    assert statuses() == {"pending": 30}

    # The worker's sends hang after 6 app messages and 3 notices; its 4 pool processes stay
    # stuck inside them, and it is killed there.
    wecom.hang_after, dingtalk.hang_after = 6, 3
    worker.start(**vendor_env(wecom, dingtalk))
    wait_for(lambda: wecom.hung + dingtalk.hung == 4, 40, "4 sends held open")
    worker.kill()
    assert statuses()["sending"] == 4 and statuses()["pending"] > 0, statuses()
    for stand_in in (wecom, dingtalk):
        stand_in.release()  # the held requests now fail: their worker is gone

    worker.start(beat=True, **vendor_env(wecom, dingtalk))
    wait_for(lambda: statuses() == {"sent": 30}, 60, "every card to be sent")

    app_messages = Counter((m["touser"], m["textcard"]["url"]) for m in wecom.messages)
    notices = Counter(
        (n["userid_list"], n["msg"]["action_card"]["single_url"]) for n in dingtalk.notices
    )
    assert len(app_messages) == 20 and set(app_messages.values()) == {1}, app_messages
    assert len(notices) == 10 and set(notices.values()) == {1}, notices
    assert wecom.hung + dingtalk.hung == 4
