"""A Redis outage: the web app under gunicorn with a private Redis as both its cache and its Celery
broker. While that Redis is stopped the API and the pages answer as usual — unthrottled, the
notifications of a change left pending in the outbox for the re-send job — and only /healthz says
the broker is gone. Once Redis is back, throttling works again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests
from django.test import Client

from cases.models import Case
from notifications.models import Notification
from tests.integration.conftest import ROOT, database_url, free_port, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"
USER_RATE = 3  # API_THROTTLE_USER of the server, per minute


class Server:
    """gunicorn serving config.wsgi on a free port, against the test database."""

    def __init__(self, tmp, redis_url: str):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = tmp / "gunicorn.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "VAR_DIR": str(tmp / "var"),
            "API_THROTTLE_USER": f"{USER_RATE}/min",
            "DEBUG": "1",
        }
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                 "--bind", self.url.removeprefix("http://"), "--workers", "1", "--threads", "4",
                 "--timeout", "30", "--no-control-socket"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for(self._answers, 30, "gunicorn to answer")

    def _answers(self) -> bool:
        assert self.proc.poll() is None, self.log.read_text()
        try:
            return requests.get(f"{self.url}/accounts/login/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


@pytest.fixture
def server(private_redis, tmp_path):
    server = Server(tmp_path, private_redis.url)
    yield server
    server.stop()


def test_the_api_and_the_pages_answer_while_redis_is_down(county, private_redis, server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # the server's
    county.office.set_password(PASSWORD)
    county.office.save()
    for user in (county.dan, county.hu):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    case = county.submitted()
    api = f"{server.url}/api/v1"
    credentials = {"username": "office", "password": PASSWORD}
    token = requests.post(f"{api}/auth/token/", json=credentials, timeout=5).json()["token"]
    auth = {"Authorization": f"Token {token}"}
    browser = Client()
    browser.force_login(county.office)  # a session in the shared database
    cookies = {"sessionid": browser.cookies["sessionid"].value}

    private_redis.stop()
    started = time.monotonic()

    def get(path: str, **kwargs):
        return requests.get(f"{api}/{path}", headers=auth, timeout=10, **kwargs)

    def post(path: str, body: dict):
        return requests.post(f"{api}/{path}", json=body, headers=auth, timeout=10)

    answers = {
        "token": requests.post(f"{api}/auth/token/", json=credentials, timeout=10),
        "me": get("me/"),
        "list": get("cases/"),
        "detail": get(f"cases/{case.pk}/"),
        "create": post(
            "cases/",
            {"enterprise": county.steel.pk, "title": "停电频繁", "category": "power"},
        ),
        "assign": post(f"cases/{case.pk}/assign/", {"lead_department": county.gxj.pk}),
    }
    for name, answer in answers.items():
        assert answer.status_code < 500, (name, answer.status_code, answer.text[:500])
    assert answers["token"].json()["token"] == token
    assert answers["me"].json()["username"] == "office"
    assert answers["list"].json()["count"] == 1
    assert answers["detail"].json()["id"] == case.pk
    assert answers["create"].status_code == 201
    assert answers["assign"].json()["status"] == Case.Status.ASSIGNED
    # The assignment's emails wait in the outbox for the re-send job, which delivers them later.
    emails = Notification.objects.filter(case=case, channel=Notification.Channel.EMAIL)
    assert emails.count() == 2 and {n.status for n in emails} == {Notification.Status.PENDING}

    for path in ("/", f"/cases/{case.pk}/", "/analysis/", "/notifications/"):
        page = requests.get(f"{server.url}{path}", cookies=cookies, timeout=10)
        assert page.status_code == 200, (path, page.status_code, page.text[:500])
    health = requests.get(f"{server.url}/healthz", timeout=10)
    assert health.status_code == 503 and health.json() == {"database": "ok", "broker": "error"}
    assert time.monotonic() - started < 15, "a stopped Redis slowed the requests down"
    # Twice the user's rate, and none of them throttled: there was nothing to count them in.
    assert {get("me/").status_code for _ in range(2 * USER_RATE)} == {200}

    private_redis.start()  # empty: the counts start again
    codes = [get("me/").status_code for _ in range(USER_RATE + 1)]
    assert codes == [200] * USER_RATE + [429]
