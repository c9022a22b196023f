"""API tokens (api.tokens): revoked by their owner, by any password change and by deactivation;
good for API_TOKEN_TTL_DAYS, then a 401 that says so and a fresh token at the next sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token

from cases import people
from portal import services as portal_services
from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
NEW_PASSWORD = "Gangou-2021-xin"


def me(as_user, key: str):
    return as_user(None).get("me/", HTTP_AUTHORIZATION=f"Token {key}")


def sign_in(as_user, username: str = "dan", **extra):
    return as_user(None).post("auth/token/", {"username": username, "password": PASSWORD}, **extra)


def aged(key: str, days: int) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=days))


# --- revoked by the owner ---------------------------------------------------------------------


def test_the_owner_revokes_their_token_and_it_stops_working(county, as_user):
    key = token_for(county.dan)
    answer = as_user(None).client.delete("/api/v1/auth/token/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 204
    assert me(as_user, key).status_code == 401
    assert sign_in(as_user).json()["token"] != key  # signing in again gives a new one


def test_revoking_takes_the_token_being_revoked(county, as_user):
    key = token_for(county.dan)
    assert as_user(None).client.delete("/api/v1/auth/token/").status_code == 401
    assert me(as_user, key).status_code == 200


def test_revoking_ones_own_token_leaves_other_users_tokens_alone(county, as_user):
    eva = token_for(county.eva)
    assert as_user(county.dan).client.delete("/api/v1/auth/token/").status_code == 204
    assert me(as_user, eva).status_code == 200


# --- revoked by a password change, wherever it happens -----------------------------------------


def change_in_the_portal(county, client):
    client.force_login(county.eva)
    answer = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert answer.status_code == 302


def reset_by_the_office(county, client):
    portal_services.contact_reset_password(
        actor=county.office, contact=county.eva.enterprise_contact
    )


def reset_on_the_people_page(county, client):
    people.account_reset_password(actor=county.office, account=county.eva)


def change_in_the_admin(county, client):
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    answer = client.post(
        reverse("admin:auth_user_password_change", args=[county.eva.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]


def set_password_in_a_shell(county, client):
    eva = User.objects.get(pk=county.eva.pk)
    eva.set_password(NEW_PASSWORD)
    eva.save()


@pytest.mark.parametrize(
    "change",
    [
        change_in_the_portal,
        reset_by_the_office,
        reset_on_the_people_page,
        change_in_the_admin,
        set_password_in_a_shell,
    ],
)
def test_a_password_change_revokes_the_users_token(county, as_user, client, change):
    key, dans = token_for(county.eva), token_for(county.dan)
    change(county, client)
    assert me(as_user, key).status_code == 401
    assert me(as_user, dans).status_code == 200


def test_saving_a_user_without_a_new_password_keeps_the_token(county, as_user, client):
    key = token_for(county.eva)
    eva = User.objects.get(pk=county.eva.pk)
    eva.first_name = "付"
    eva.save()
    signed_in = client.post(reverse("login"), {"username": "eva", "password": PASSWORD})
    assert signed_in.status_code == 302  # a sign-in writes last_login
    assert sign_in(as_user, "eva").json()["token"] == key
    assert me(as_user, key).status_code == 200


def test_switching_an_account_off_revokes_its_token_for_good(county, as_user):
    key = token_for(county.eva)
    people.account_set_active(actor=county.office, account=county.eva, active=False)
    people.account_set_active(actor=county.office, account=county.eva, active=True)
    assert me(as_user, key).status_code == 401


# --- expiry ------------------------------------------------------------------------------------


def test_an_expired_token_is_a_401_that_says_so(county, as_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    key = token_for(county.dan)
    aged(key, 29)
    assert me(as_user, key).status_code == 200
    aged(key, 31)
    answer = me(as_user, key)
    assert answer.status_code == 401 and answer["WWW-Authenticate"].startswith("Token")
    assert "过期" in answer.json()["detail"]
    english = as_user(None).get("me/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    assert "expired" in english.json()["detail"]


def test_signing_in_after_expiry_issues_a_fresh_token(county, as_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    key = token_for(county.dan)
    aged(key, 31)
    # The client still sends its expired token: that must not stand in the way of a new one.
    answer = sign_in(as_user, HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 200
    fresh = answer.json()
    assert fresh["token"] != key and me(as_user, fresh["token"]).status_code == 200
    expires_at = parse_datetime(fresh["expires_at"])
    assert abs(expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)


def test_signing_in_before_expiry_gives_the_same_token_and_its_expiry(county, as_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    key = token_for(county.dan)
    aged(key, 10)
    answer = sign_in(as_user).json()
    assert answer["token"] == key
    expires_at = parse_datetime(answer["expires_at"])
    assert abs(expires_at - (timezone.now() + dt.timedelta(days=20))) < dt.timedelta(minutes=1)


def test_with_a_lifetime_of_zero_days_a_token_never_expires(county, as_user, settings):
    settings.API_TOKEN_TTL_DAYS = 0
    key = token_for(county.dan)
    aged(key, 3650)
    assert me(as_user, key).status_code == 200
    assert sign_in(as_user).json() == {"token": key, "expires_at": None}


# --- the contract --------------------------------------------------------------------------------


def test_the_schema_documents_revoking_and_the_expiry(county, as_user):
    schema = as_user(county.dan).get("/api/schema/", {"format": "json"}).json()
    token = schema["paths"]["/api/v1/auth/token/"]
    assert {"204", "401"} <= set(token["delete"]["responses"])
    assert token["delete"]["security"] and not token["post"].get("security", [{}])[0]
    assert "expires_at" in schema["components"]["schemas"]["Token"]["properties"]
