"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character; and the
mainland mobile number a contact person is called on."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w
        for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，现为%(n)d位。") % {"n": len(code)},
            code="credit_code_length",
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。")
            % {"chars": "、".join(bad)},
            code="credit_code_characters",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：第18位应为 %(expected)s，而不是 %(got)s。")
            % {"expected": expected, "got": code[17]},
            code="credit_code_check",
        )


# 手机号码: a mainland mobile number is 11 digits, 1 then 3–9 (13x … 19x); typed with spaces or
# hyphens, or after +86, it is the same number.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalize_mobile(value: str) -> str:
    """The number's 11 digits when it reads as a mainland mobile, else the input stripped."""
    # NFKC: the full-width digits of a Chinese input method are the ASCII ones.
    digits = _MOBILE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if _MOBILE.fullmatch(digits) else (value or "").strip()


def is_mainland_mobile(value: str) -> bool:
    return bool(_MOBILE.fullmatch(normalize_mobile(value)))


def validate_mainland_mobile(value: str) -> None:
    if not is_mainland_mobile(value):
        raise ValidationError(
            _("“%(value)s”不是有效的手机号码：应为11位数字，以13至19开头，如 13812345678。")
            % {"value": (value or "").strip()[:30]},
            code="mobile",
        )
