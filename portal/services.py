"""What the portal changes: an enterprise raising a problem, and the contacts' accounts.

Views parse input and call these; the rules (who may, what is valid, what is saved together)
live here and in cases.intake.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cases import intake
from cases.attachments import problem_attachments_store
from cases.errors import ActionForbidden
from cases.files import check_attachments
from cases.models import Case, Category
from cases.people import account_reset_password
from cases.roles import Actor, actor_for
from cases.validators import input_errors
from enterprises.models import Enterprise, EnterpriseContact
from portal.selectors import contacts_managed_by, enterprises_managed_by
from taskforces.models import AccountChange

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


def _as_actor(who) -> Actor:
    return who if isinstance(who, Actor) else actor_for(who)


def problem_raise(
    *,
    actor,
    title: str,
    description: str = "",
    category: Category | None,
    attachments: Iterable[UploadedFile] = (),
) -> Case:
    """企业自报: the contact's own problem goes to the office's triage, with its photos and PDFs.

    Every file is checked before anything is written; the case, its attachments and their files
    are saved together or not at all.
    """
    actor = _as_actor(actor)
    if not actor.enterprise_id:
        raise ActionForbidden(_("只有企业联系人可以在这里反映问题。"))
    checked = check_attachments(attachments)
    with transaction.atomic():
        case = intake.case_create(
            actor=actor,
            enterprise=Enterprise.objects.get(pk=actor.enterprise_id),
            title=title,
            description=description,
            category=category,
            source=Case.Source.SELF_REPORT,
        )
        problem_attachments_store(case=case, files=checked, uploaded_by=actor.user)
    return case


def generate_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@transaction.atomic
def contact_create(
    *,
    actor,
    enterprise: Enterprise,
    username: str,
    full_name: str,
    phone: str = "",
    email: str = "",
) -> tuple[EnterpriseContact, str]:
    """A login for an enterprise's contact person, with a generated password shown once.

    The office may create one for any enterprise; a paired cadre for the enterprises of their
    task forces. An enterprise may have several contacts. The phone and e-mail are where
    notifications go by SMS and e-mail, when those are configured.
    """
    actor = _as_actor(actor)
    if not enterprises_managed_by(actor).filter(pk=enterprise.pk).exists():
        raise ActionForbidden(_("您不能为该企业创建联系人账号。"))
    username, full_name, phone = (
        (username or "").strip(),
        (full_name or "").strip(),
        (phone or "").strip(),
    )
    errors = input_errors(
        lines={"username": username, "full_name": full_name, "phone": phone, "email": email}
    )
    if not username:
        errors["username"] = _("请填写登录用户名。")
    elif len(username) > 150:
        errors["username"] = _("用户名不能超过150个字符。")
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = _("用户名只能包含字母、数字和 @ . + - _ 符号。")
        else:
            if get_user_model().objects.filter(username__iexact=username).exists():
                errors["username"] = _("用户名“%(name)s”已被使用，请换一个。") % {"name": username}
    if not full_name:
        errors["full_name"] = _("请填写联系人姓名。")
    elif len(full_name) > 150:
        errors["full_name"] = _("姓名不能超过150个字符。")
    if len(phone) > 30:
        errors["phone"] = _("电话不能超过30个字符。")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("请填写有效的电子邮箱地址。")
    if errors:
        raise ValidationError(errors)
    password = generate_password()
    user = get_user_model().objects.create_user(
        username=username, password=password, first_name=full_name, email=email
    )
    contact = EnterpriseContact.objects.create(user=user, enterprise=enterprise, phone=phone)
    # The same change record the office's people page keeps (cases.people).
    AccountChange.objects.create(
        account=user,
        changed_by=actor.user,
        action=AccountChange.Action.CREATED,
        detail=str(enterprise)[:200],
    )
    return contact, password


@transaction.atomic
def contact_reset_password(*, actor, contact: EnterpriseContact) -> str:
    """The office sets a new generated password, shown once. Sessions signed in with the old one
    end (Django ties them to the password hash), and a lockout after wrong guesses is lifted."""
    actor = _as_actor(actor)
    if not contacts_managed_by(actor).filter(pk=contact.pk).exists():
        raise ActionForbidden(_("您不能重置该联系人的密码。"))
    if not actor.is_office:
        raise ActionForbidden(_("只有县委办可以重置企业联系人的密码。"))
    # The office's people page does the reset and records it; this adds the contact's scope
    # check above and lifts a lockout, so the contact can sign in with the new password at once.
    password = account_reset_password(actor=actor.user, account=contact.user)
    axes_reset(username=contact.user.username)
    return password
