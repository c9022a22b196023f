"""An API token's life: issued at sign-in, good for API_TOKEN_TTL_DAYS (0: until revoked), revoked
by its owner (DELETE /api/v1/auth/token/), by any change of the password and when the account is
switched off.

Revocation on a password change is a receiver on the user's save, not a call in each place that
changes a password (Django's and the portal's password-change forms, the office resetting a
contact's password, the admin, a shell's set_password): a token must not outlive the password it
was issued for, wherever the change happens. Like Django's sessions, it follows the stored hash,
so the one-time upgrade of a hash to a newer hasher at sign-in also revokes the tokens.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from rest_framework.authtoken.models import Token


def token_expires_at(token: Token) -> dt.datetime | None:
    days = settings.API_TOKEN_TTL_DAYS
    return token.created + dt.timedelta(days=days) if days > 0 else None


def token_is_expired(token: Token, *, now: dt.datetime | None = None) -> bool:
    expires_at = token_expires_at(token)
    return expires_at is not None and expires_at <= (now or timezone.now())


def token_issue(*, user) -> Token:
    """The user's token, a new one if theirs has expired (a user has at most one)."""
    days = settings.API_TOKEN_TTL_DAYS
    if days > 0:
        Token.objects.filter(
            user=user, created__lte=timezone.now() - dt.timedelta(days=days)
        ).delete()
    return Token.objects.get_or_create(user=user)[0]


def tokens_revoke(*, user) -> int:
    """Revoke every API token of `user`; how many there were."""
    return Token.objects.filter(user=user).delete()[0]


# --- revoked on a password change or deactivation -----------------------------------------------

_REVOKE = "_api_tokens_to_revoke"


def _note_credentials_change(sender, instance, raw, update_fields, **kwargs) -> None:
    """Before the save: does it change the password hash, or switch the account off?"""
    if raw or instance._state.adding:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login at every sign-in: no query for that
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is not None:
        new_password = before["password"] != instance.password
        switched_off = before["is_active"] and not instance.is_active
        setattr(instance, _REVOKE, new_password or switched_off)


def _revoke_after_change(sender, instance, **kwargs) -> None:
    if getattr(instance, _REVOKE, False):
        setattr(instance, _REVOKE, False)
        tokens_revoke(user=instance)


def connect_receivers() -> None:
    user_model = get_user_model()
    pre_save.connect(_note_credentials_change, sender=user_model, dispatch_uid="api-tokens-note")
    post_save.connect(_revoke_after_change, sender=user_model, dispatch_uid="api-tokens-revoke")
