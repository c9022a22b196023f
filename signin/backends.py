"""Authentication backends for the sign-ins without a password. Both run through Django's
authenticate(), so django-axes (first in AUTHENTICATION_BACKENDS) refuses a locked-out
username/address pair and counts each failure, exactly as for the password form."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from notifications.models import VendorIdentity
from signin.sms_codes import verify_code


class SmsCodeBackend(ModelBackend):
    """username: the mobile; one_time_password: the code (named so that Django masks it in the
    failed-login signal, as it masks a password)."""

    def authenticate(self, request, username=None, one_time_password=None, **kwargs):
        if username is None or one_time_password is None:
            return None
        user = verify_code(phone=username, code=one_time_password)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


class VendorBackend(ModelBackend):
    """A person a county's 企业微信 or 钉钉 vouched for: the vendor's userid in that county's corp
    (vendor_county), bound to the account named by username (signin.vendors matched and bound it
    before calling authenticate)."""

    def authenticate(
        self, request, username=None, vendor=None, vendor_userid=None, vendor_county=None, **kwargs
    ):
        if not (username and vendor and vendor_userid and vendor_county):
            return None
        identity = (
            VendorIdentity.objects.select_related("user")
            .filter(county_id=vendor_county, vendor=vendor, vendor_userid=vendor_userid)
            .first()
        )
        if identity is None or identity.user.get_username() != username:
            return None
        user = identity.user
        return user if self.user_can_authenticate(user) else None
