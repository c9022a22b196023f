"""Production mode (DEBUG off) refuses to start with an insecure default (DESIGN §7).

Settings are read once per process, so each case starts a fresh Python with its own environment.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD_SECRET_KEY = "k3J9-vQ2xT7pLm4Zr8Wc1Ny6Hb0Fd5Sg2Ue9Ya7Ko3Ij1Tq6Rn8Vp4Xs0Mw2Lc5"
SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
)


def run_python(args, tmp_path, **env_vars):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests for their own process; a deployment
    # never has it, and check --deploy rightly complains about it.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), **env_vars)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def refusal(result) -> str:
    """The message of the ImproperlyConfigured that stopped the process (the traceback's last line)."""
    assert result.returncode != 0, "the process started"
    last_line = result.stderr.strip().splitlines()[-1]
    prefix = "django.core.exceptions.ImproperlyConfigured: "
    assert last_line.startswith(prefix), result.stderr
    return last_line.removeprefix(prefix)


def start_django(tmp_path, code="", **env_vars):
    return run_python(["-c", f"import django; django.setup(); {code}"], tmp_path, **env_vars)


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = start_django(tmp_path, DEBUG="0", ALLOWED_HOSTS="example.org")
    assert "SECRET_KEY" in refusal(result)


def test_production_mode_refuses_the_insecure_default_secret_key_given_explicitly(tmp_path):
    result = start_django(
        tmp_path,
        DEBUG="0",
        ALLOWED_HOSTS="example.org",
        SECRET_KEY="insecure-dev-key-only-for-the-embedded-mode-never-in-production",
    )
    assert "SECRET_KEY" in refusal(result)


def test_production_mode_refuses_a_short_secret_key(tmp_path):
    result = start_django(tmp_path, DEBUG="0", ALLOWED_HOSTS="example.org", SECRET_KEY="short")
    assert "SECRET_KEY" in refusal(result)


def test_production_mode_refuses_to_start_without_allowed_hosts(tmp_path):
    result = start_django(tmp_path, DEBUG="0", SECRET_KEY=GOOD_SECRET_KEY)
    assert "ALLOWED_HOSTS" in refusal(result)


def test_production_mode_starts_with_a_secret_key_and_allowed_hosts(tmp_path):
    result = start_django(
        tmp_path,
        code="from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        DEBUG="0",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="example.org, www.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "False ['example.org', 'www.example.org']" in result.stdout


def test_production_mode_makes_cookies_secure_and_redirects_to_https(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0)"
    )
    result = start_django(
        tmp_path, code=code, DEBUG="0", SECRET_KEY=GOOD_SECRET_KEY, ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


def test_the_embedded_mode_starts_with_nothing_set(tmp_path):
    result = start_django(tmp_path, code="from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


def test_a_debug_value_that_is_neither_true_nor_false_is_refused_by_name(tmp_path):
    result = start_django(tmp_path, DEBUG="maybe")
    assert refusal(result).startswith("DEBUG='maybe'")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("true", True), ("On", True), ("0", False), ("no", False), ("", False)],
)
def test_a_boolean_variable_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not value) is value


def test_a_boolean_variable_that_is_unset_takes_its_default(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert env_bool("SOME_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_a_boolean_variable_that_is_neither_true_nor_false_is_an_error_naming_it(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_the_deployment_check_finds_nothing_to_warn_about_in_production_mode(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="0",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
