"""Sign-in codes by SMS (短信验证码) for enterprise contacts.

A code is six random digits, kept only as an HMAC keyed with the site's secret (a stolen table
does not give the codes away), valid five minutes, good for one sign-in, and burnt after a few
wrong guesses. Requests are limited per number and per client address, and a request for a number
that belongs to no one is answered, recorded and counted exactly like one that does — only no SMS
leaves — so neither the page nor the limits tell whether a number is registered. The lockout after
wrong codes is django-axes' (signin.backends.SmsCodeBackend runs through authenticate()), the same
as for a wrong password.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from cases.roles import actor_for
from enterprises.models import EnterpriseContact
from enterprises.validators import is_mainland_mobile, normalize_mobile
from notifications.channels import DeliveryError
from notifications.channels.sms import send_sign_in_code
from signin.models import SmsCode

log = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=5)


class TooManyRequests(Exception):
    """A limit was reached; `message` says which and when to try again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def mobile_or_error(value: str) -> str:
    """The 11 digits of a mainland mobile, or a ValidationError naming what is wrong."""
    phone = normalize_mobile(value or "")
    if not is_mainland_mobile(phone):
        raise ValidationError(
            _("“%(value)s”不是有效的手机号码：应为11位数字，以13至19开头，如 13812345678。")
            % {"value": (value or "").strip()[:30]},
            code="mobile",
        )
    return phone


def _digest(phone: str, code: str) -> str:
    return salted_hmac("signin.sms_code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def contact_user(phone: str):
    """The one active enterprise contact's account with this mobile, else None (none, or two
    accounts sharing the number: a code must sign in one person)."""
    candidates = EnterpriseContact.objects.filter(
        phone__contains=phone[-4:], user__is_active=True
    ).values_list("user_id", "phone")
    user_ids = {uid for uid, stored in candidates if normalize_mobile(stored) == phone}
    if len(user_ids) != 1:
        return None
    return get_user_model().objects.get(pk=user_ids.pop())


def _check_limits(phone: str, ip: str | None, now) -> None:
    hour_ago = now - timedelta(hours=1)
    per_number = settings.SIGNIN_SMS_PER_NUMBER_PER_HOUR
    if SmsCode.objects.filter(phone=phone, created_at__gte=hour_ago).count() >= per_number:
        raise TooManyRequests(
            _("该号码一小时内最多获取 %(count)s 次验证码，请稍后再试。") % {"count": per_number}
        )
    per_address = settings.SIGNIN_SMS_PER_ADDRESS_PER_HOUR
    if (
        ip
        and SmsCode.objects.filter(ip_address=ip, created_at__gte=hour_ago).count() >= per_address
    ):
        raise TooManyRequests(_("此网络获取验证码次数过多，请一小时后再试。"))
    # Last, so that a refusal above does not start the interval. One atomic add in the shared
    # cache: two requests at the same moment cannot both pass it.
    interval = settings.SIGNIN_SMS_INTERVAL_SECONDS
    if not cache.add(f"signin:sms:interval:{phone}", 1, timeout=interval):
        raise TooManyRequests(
            _("验证码发送太频繁，请 %(seconds)s 秒后再试。") % {"seconds": interval}
        )


def request_code(*, phone: str, ip: str | None) -> None:
    """Send a sign-in code to `phone` if it is an enterprise contact's; record the request either
    way. Raises ValidationError for a malformed number, TooManyRequests past a limit."""
    phone = mobile_or_error(phone)
    now = timezone.now()
    _check_limits(phone, ip, now)
    user = contact_user(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(
        phone=phone,
        ip_address=ip or None,
        code_hash=_digest(phone, code) if user else "",
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    if user is None:
        return
    try:
        send_sign_in_code(phone=phone, code=code, county_id=actor_for(user).county_id)
    except DeliveryError as error:
        # Said on the page, this would tell that the number is registered: the operator reads it
        # in the log, the person asks again after the interval.
        log.error("sign-in SMS to %s****%s not sent: %s", phone[:3], phone[-4:], error)


def verify_code(*, phone: str, code: str):
    """The account `code` signs in for `phone`, consuming the code; None when the code is wrong,
    used, expired or was never sent. Only the newest code of a number counts."""
    try:
        phone = mobile_or_error(phone)
    except ValidationError:
        return None
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        row = (
            SmsCode.objects.select_for_update()
            .filter(phone=phone)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or not row.code_hash or row.used_at or row.expires_at <= now:
            return None
        if not constant_time_compare(row.code_hash, _digest(phone, code)):
            row.wrong_guesses += 1
            if row.wrong_guesses >= settings.SIGNIN_SMS_WRONG_GUESSES:
                row.used_at = now  # burnt: a new code is needed
            row.save(update_fields=["wrong_guesses", "used_at"])
            return None
        row.used_at = now
        row.save(update_fields=["used_at"])
    return contact_user(phone)
