"""A group robot's address may not point the worker at its own machine or network (SSRF).

Hu, head of 县工信局, types the robot's URL; the worker posts there from inside the county's
network. Addresses on loopback, private, link-local, reserved, multicast or unspecified space, and
URLs with credentials, are refused when saved and again when sending — and the worker connects to
the very address it checked. No test here allows 127.0.0.1 unless it says so.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises import addresses as addresses_module
from enterprises.addresses import RefusedAddress, validate_webhook_url, webhook_target
from enterprises.models import Department
from notifications.channels import PermanentFailure
from notifications.channels import webhook as webhook_module
from notifications.channels.webhook import WebhookTransport
from notifications.delivery import notification_deliver
from notifications.models import Notification
from tests.test_settings import refusal, start_django

PUBLIC = "203.0.114.7"  # stands for a robot on the internet (any address outside special space)
ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=gxj-robot"

BAD = [
    ("https://127.0.0.1:8511/x", "127.0.0.1", "本机回环地址"),
    ("https://169.254.169.254/latest/meta-data/", "169.254.169.254", "链路本地地址"),
    ("https://[::1]/", "::1", "本机回环地址"),
    ("https://10.0.0.1/", "10.0.0.1", "内网地址"),
    ("https://192.168.1.20/hook", "192.168.1.20", "内网地址"),
    ("https://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1", "本机回环地址"),
    ("https://[fd00::1]/", "fd00::1", "内网地址"),
    ("https://0.0.0.0/", "0.0.0.0", "未指定地址"),
    ("https://224.0.0.1/", "224.0.0.1", "组播地址"),
    ("https://240.0.0.1/", "240.0.0.1", "保留地址"),
    ("https://100.64.0.1/", "100.64.0.1", "内网地址"),
    ("https://2130706433/", "127.0.0.1", "本机回环地址"),  # 127.0.0.1 written as one number
    ("https://localhost:8511/x", "", "本机回环地址"),  # a name for the machine itself
]


def resolve_robot_names(monkeypatch) -> None:
    """The robots' real host names resolve to an internet address, without asking real DNS."""
    real = addresses_module.resolve

    def resolve(host, port):
        return [PUBLIC] if host.endswith((".qq.com", ".dingtalk.com")) else real(host, port)

    monkeypatch.setattr(addresses_module, "resolve", resolve)


@pytest.fixture(autouse=True)
def public_names(monkeypatch):
    resolve_robot_names(monkeypatch)


@pytest.mark.parametrize("url, address, kind", BAD)
def test_an_address_in_special_space_is_refused_saying_which_and_why(url, address, kind):
    with pytest.raises(RefusedAddress) as refused:
        webhook_target(url)
    message = str(refused.value)
    assert url in message and kind in message and address in message
    assert "WEBHOOK_ALLOWED_NETWORKS" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://robot:secret@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
        "https://robot@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
    ],
)
def test_an_address_with_credentials_is_refused_without_repeating_them(url):
    with pytest.raises(RefusedAddress) as refused:
        webhook_target(url)
    message = str(refused.value)
    assert "用户名或密码" in message and "qyapi.weixin.qq.com" in message
    assert "secret" not in message


def test_a_robot_on_the_internet_is_a_target_with_its_vetted_address():
    target = webhook_target(ROBOT)
    assert target.addresses == (PUBLIC,)
    assert (target.scheme, target.host, target.port) == ("https", "qyapi.weixin.qq.com", 443)
    assert target.path == "/cgi-bin/webhook/send?key=gxj-robot"


def test_a_name_that_resolves_to_any_internal_address_is_refused(monkeypatch):
    monkeypatch.setattr(addresses_module, "resolve", lambda host, port: [PUBLIC, "10.1.2.3"])
    with pytest.raises(RefusedAddress, match="10.1.2.3"):
        webhook_target("https://robot.example/hook")


def test_an_intranet_gateway_passes_once_its_network_is_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.8.0.0/16"]
    assert webhook_target("https://10.8.3.4/hook").addresses == ("10.8.3.4",)
    assert webhook_target("https://[::ffff:10.8.3.4]/hook").addresses == ("::ffff:10.8.3.4",)
    with pytest.raises(RefusedAddress):
        webhook_target("https://10.9.0.1/hook")


def test_a_name_that_does_not_resolve_now_may_be_saved_and_is_checked_when_sending(monkeypatch):
    def no_such_name(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(addresses_module, "resolve", no_such_name)
    validate_webhook_url("https://robot.intranet.example/hook")  # no error


def test_an_allowed_network_that_is_not_a_network_stops_the_start(tmp_path):
    result = start_django(tmp_path, WEBHOOK_ALLOWED_NETWORKS="10.8.0.0/16,intranet")
    assert refusal(result) == (
        "WEBHOOK_ALLOWED_NETWORKS: 'intranet' is not a network like 10.8.0.0/16."
    )


# Saving: the office's admin (the head's page: tests/workspace/test_webhook.py).


def test_the_office_cannot_save_an_internal_address_in_the_admin(client, county):
    from tests.factories import make_superuser

    client.force_login(make_superuser())
    url = reverse("admin:enterprises_department_change", args=[county.gxj.pk])
    response = client.post(
        url,
        {
            "name": "县工信局",
            "short_name": "",
            "kind": Department.Kind.BUREAU,
            "webhook_url": "https://169.254.169.254/latest/meta-data/",
            "email": "",
            "active": "on",
            "staff-TOTAL_FORMS": "0",
            "staff-INITIAL_FORMS": "0",
            "staff-MIN_NUM_FORMS": "0",
            "staff-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "链路本地地址" in response.content.decode()
    county.gxj.refresh_from_db()
    assert county.gxj.webhook_url == ""


# Sending: a bad address stored before this check existed (or written around it) is refused.


class Listener:
    """A TCP port on this machine that counts the connections made to it."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _peer = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.sock.close()


def robot_notification(department) -> Notification:
    return Notification.objects.create(
        channel=Notification.Channel.WEBHOOK,
        kind=Notification.Kind.ASSIGNED,
        department=department,
        title="【新交办】2021-00001 电压不稳",
        body="请于 2021-04-26 23:59 前联系企业",
        dedup_key="event:1:webhook:d1",
        status=Notification.Status.PENDING,
        next_attempt_at=timezone.now(),
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_stored_loopback_address_fails_for_good_without_connecting(county, listener, host):
    url = f"https://{host}:{listener.port}/x"
    Department.objects.filter(pk=county.gxj.pk).update(webhook_url=url)  # around every form
    notification = robot_notification(county.gxj)

    assert notification_deliver(notification_id=notification.pk).status == "failed"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "address refused" in notification.last_error
    assert "本机回环地址" in notification.last_error and url in notification.last_error
    assert listener.connections() == 0


def test_the_listener_does_see_a_connection_once_loopback_is_allowed(county, listener, settings):
    """The control for the test above: the same send, allowed, reaches the listener."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    Department.objects.filter(pk=county.gxj.pk).update(
        webhook_url=f"http://127.0.0.1:{listener.port}/x"
    )
    notification = robot_notification(county.gxj)
    assert notification_deliver(notification_id=notification.pk).status == "retry"
    assert listener.connections() == 1


class RecordingRobot:
    """A robot on this machine that records the Host header (and, over TLS, the server name)."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None):
        self.hosts: list[str] = []
        self.server_names: list[str | None] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.hosts.append(self.headers["Host"])
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass

        self.server = Server((host, 0), Handler)
        self.port = self.server.server_port
        if tls is not None:
            tls.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def fake_dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """socket.getaddrinfo for made-up names: each lookup of a name takes its next answer (the last
    one repeats). Returns the names looked up, in order."""
    real, asked = socket.getaddrinfo, []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        queue = answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_the_post_goes_to_the_address_checked_even_if_dns_changes_its_answer(
    county, settings, monkeypatch
):
    """DNS rebinding: the name answers the allowed gateway when checked, then the loopback."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    robot = RecordingRobot("127.0.0.1")
    elsewhere = Listener("127.0.0.2", robot.port)
    try:
        asked = fake_dns(monkeypatch, {"robot.example": ["127.0.0.1", "127.0.0.2"]})
        url = f"http://robot.example:{robot.port}/hook"
        Department.objects.filter(pk=county.gxj.pk).update(webhook_url=url)
        notification = robot_notification(county.gxj)

        assert notification_deliver(notification_id=notification.pk).status == "sent"
        assert robot.hosts == [f"robot.example:{robot.port}"]
        assert elsewhere.connections() == 0
        assert asked == ["robot.example"]  # resolved once, for the check
    finally:
        robot.close()
        elsewhere.sock.close()


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for robot.example, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    cert, key = tmp_path / "robot.pem", tmp_path / "robot.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=robot.example",
         "-addext", "subjectAltName=DNS:robot.example",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_robot(certificate, settings, monkeypatch):
    """A robot serving HTTPS for robot.example on 127.0.0.1, trusted by the worker's TLS."""
    cert, key = certificate
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    robot = RecordingRobot("127.0.0.1", tls=server_tls)
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    real_context = ssl.create_default_context
    monkeypatch.setattr(
        webhook_module.ssl, "create_default_context", lambda: real_context(cafile=str(cert))
    )
    yield robot
    robot.close()


def notification_to(url):
    department = Department(name="县工信局", webhook_url=url)
    return Notification(
        department=department, title="标题", body="", dedup_key="event:2:webhook:d1"
    )


def test_over_tls_the_robot_is_named_in_the_host_header_and_the_server_name(tls_robot, monkeypatch):
    fake_dns(monkeypatch, {"robot.example": ["127.0.0.1"]})
    WebhookTransport().send(notification_to(f"https://robot.example:{tls_robot.port}/hook"))
    assert tls_robot.hosts == [f"robot.example:{tls_robot.port}"]
    assert tls_robot.server_names == ["robot.example"]


def test_over_tls_the_certificate_must_be_the_robots_own(tls_robot, monkeypatch):
    from notifications.channels import TemporaryFailure

    fake_dns(monkeypatch, {"other.example": ["127.0.0.1"]})
    with pytest.raises(TemporaryFailure, match="certificate"):
        WebhookTransport().send(notification_to(f"https://other.example:{tls_robot.port}/hook"))
    assert tls_robot.hosts == []


def test_a_stored_address_with_credentials_fails_for_good():
    with pytest.raises(PermanentFailure, match="用户名或密码"):
        WebhookTransport().send(
            notification_to("https://robot:secret@qyapi.weixin.qq.com/cgi-bin/webhook/send")
        )
