"""The department's group robot: Hu, head of 县工信局, sets where its messages go and which ones.

Dan, his clerk, may not; nor may anyone outside a department. The notifications engineer reads the
choice with notifications.webhooks.webhook_event_kinds.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.errors import ActionForbidden
from cases.roles import actor_for
from enterprises.models import Department
from notifications.models import Notification, WebhookSubscription
from notifications.webhooks import webhook_event_kinds, webhook_event_kinds_for
from tests.test_notifications_webhook_addresses import BAD, resolve_robot_names
from workspace.services import department_webhook_save

pytestmark = pytest.mark.django_db
URL = reverse("workspace:webhook")
ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=gxj-robot"


@pytest.fixture(autouse=True)
def robots_on_the_internet(monkeypatch):
    resolve_robot_names(monkeypatch)


def post(client, user, **data):
    client.force_login(user)
    return client.post(URL, data)


def test_the_head_sets_the_robot_and_chooses_the_reminders_and_assignments(client, county):
    response = post(
        client,
        county.hu,
        webhook_url=ROBOT,
        scope="selected",
        event_kinds=[Notification.Kind.REMINDER, Notification.Kind.ASSIGNED],
    )
    assert response.status_code == 302
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ROBOT
    assert webhook_event_kinds(county.gxj) == {"reminder", "assigned"}
    body = client.get(URL).content.decode()
    assert "群机器人设置已保存" in body and ROBOT.replace("&", "&amp;") in body
    assert 'value="reminder" id="id_event_kinds_0" checked' in body


def test_choosing_all_messages_saves_the_empty_set(client, county):
    post(client, county.hu, webhook_url=ROBOT, scope="selected", event_kinds=["digest"])
    post(client, county.hu, webhook_url=ROBOT, scope="all", event_kinds=["digest"])
    assert webhook_event_kinds(county.gxj) == set()


def test_a_department_that_never_chose_receives_everything(county):
    assert webhook_event_kinds(county.gxj) == set()
    assert webhook_event_kinds(county.gxj.pk) == set()


def test_the_choices_of_many_departments_are_read_in_one_query(county, django_assert_num_queries):
    department_webhook_save(
        actor=actor_for(county.hu), department=county.gxj, webhook_url=ROBOT, event_kinds=["digest"]
    )
    with django_assert_num_queries(1):
        chosen = webhook_event_kinds_for([county.gxj, county.rsj.pk])
    assert chosen == {county.gxj.pk: {"digest"}, county.rsj.pk: set()}


def test_a_blank_url_removes_the_robot(client, county):
    Department.objects.filter(pk=county.gxj.pk).update(webhook_url=ROBOT)
    assert post(client, county.hu, webhook_url="", scope="all").status_code == 302
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""


def test_a_plain_http_url_is_refused_next_to_the_field_and_nothing_is_saved(client, county):
    response = post(
        client,
        county.hu,
        webhook_url="http://robot.example/hook",
        scope="selected",
        event_kinds=["digest"],
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "is-invalid" in body and "须以 https:// 开头" in body
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""
    assert webhook_event_kinds(county.gxj) == set()


def test_a_bare_host_is_read_as_https(client, county):
    post(client, county.hu, webhook_url="oapi.dingtalk.com/robot/send?access_token=x", scope="all")
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == "https://oapi.dingtalk.com/robot/send?access_token=x"


def test_choosing_only_some_messages_but_none_of_them_is_refused(client, county):
    response = post(client, county.hu, webhook_url=ROBOT, scope="selected")
    assert "请至少选择一种消息类型" in response.content.decode()
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""


def test_an_unknown_message_kind_is_refused(client, county):
    response = post(client, county.hu, webhook_url=ROBOT, scope="selected", event_kinds=["gossip"])
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not Department.objects.filter(webhook_url=ROBOT).exists()


@pytest.mark.parametrize("persona", ["dan", "ren", "office", "eva", "sam"])
def test_only_a_department_head_may_open_the_page(client, county, persona):
    client.force_login(getattr(county, persona))
    assert client.get(URL).status_code == 403
    assert post(client, getattr(county, persona), webhook_url=ROBOT, scope="all").status_code == 403
    assert not Department.objects.filter(webhook_url=ROBOT).exists()


def test_the_inbox_links_the_head_to_the_robot_and_not_the_clerk(client, county):
    client.force_login(county.hu)
    assert URL in client.get(reverse("workspace:inbox")).content.decode()
    client.force_login(county.dan)
    assert URL not in client.get(reverse("workspace:inbox")).content.decode()


def test_a_head_may_not_set_another_departments_robot(county):
    with pytest.raises(ActionForbidden):
        department_webhook_save(
            actor=actor_for(county.hu), department=county.rsj, webhook_url=ROBOT, event_kinds=[]
        )
    county.rsj.refresh_from_db()
    assert county.rsj.webhook_url == ""


def test_the_service_checks_the_url_itself(county):
    with pytest.raises(ValidationError) as refused:
        department_webhook_save(
            actor=actor_for(county.hu), department=county.gxj, webhook_url="ftp://x", event_kinds=[]
        )
    assert "webhook_url" in refused.value.message_dict


# Not the machine itself, nor the intranet (SSRF): see enterprises.addresses.
@pytest.mark.parametrize(
    "url, address, kind",
    [bad for bad in BAD if "2130706433" not in bad[0]],  # not even a URL to Django's form
)
def test_an_address_on_this_machine_or_the_intranet_is_refused_naming_it_and_why(
    client, county, url, address, kind
):
    response = post(client, county.hu, webhook_url=url, scope="all")
    assert response.status_code == 200
    body = response.content.decode()
    assert "is-invalid" in body and kind in body and address in body and url in body
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""
    assert not WebhookSubscription.objects.exists()


def test_an_address_with_a_user_name_and_password_is_refused(county):
    with pytest.raises(ValidationError) as refused:
        department_webhook_save(
            actor=actor_for(county.hu),
            department=county.gxj,
            webhook_url="https://robot:secret@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
            event_kinds=[],
        )
    assert "用户名或密码" in refused.value.message_dict["webhook_url"][0]
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""


DING = "https://oapi.dingtalk.com/robot/send?access_token=gxj"


def test_the_head_sets_a_dingtalk_robot_with_its_secret_keyword_and_mentions(client, county):
    response = post(
        client,
        county.hu,
        webhook_url=DING,
        scope="all",
        robot="dingtalk",
        sign_secret="SECsecret-value-123",
        keyword="督办",
        mention_clerks="on",
    )
    assert response.status_code == 302
    saved = WebhookSubscription.objects.get(department=county.gxj)
    assert (saved.robot, saved.sign_secret, saved.keyword, saved.mention_clerks) == (
        "dingtalk",
        "SECsecret-value-123",
        "督办",
        True,
    )
    page = client.get(URL).content.decode()
    assert "SECsecret-value-123" not in page and 'id="sign-secret-set"' in page
    # Saved again without typing the secret: it stays.
    post(client, county.hu, webhook_url=DING, scope="all", robot="dingtalk", keyword="四进四问")
    saved.refresh_from_db()
    assert (saved.sign_secret, saved.keyword, saved.mention_clerks) == (
        "SECsecret-value-123",
        "四进四问",
        False,
    )


def test_a_secret_that_is_not_a_dingtalk_one_is_named_and_nothing_saved(client, county):
    response = post(
        client, county.hu, webhook_url=DING, scope="all", robot="dingtalk", sign_secret="oops"
    )
    assert response.status_code == 200
    assert "钉钉加签密钥以 SEC 开头" in response.content.decode()
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""
