"""Token authentication whose tokens expire (api.tokens): an expired token is a 401 that says so,
and signing in again at POST /api/v1/auth/token/ issues a fresh one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from api.tokens import token_is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("API 令牌已过期，请重新登录获取新令牌。"), code="token_expired"
            )
        return user, token
