"""The office's people page: accounts for staff, cadres, leaders and enterprise contacts.

Every change is recorded in AccountChange (who, when, what). The last active office account can
never be switched off, or nobody could run the campaign any more.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cases.errors import ActionForbidden
from cases.roles import Actor, actor_for
from cases.validators import input_errors
from enterprises.models import Department, DepartmentStaff, Enterprise, EnterpriseContact
from taskforces.models import AccountChange, TaskForceMember

KINDS = ("department", "enterprise", "person")


def _office_only(actor) -> None:
    if not actor_for(actor).is_office:
        raise ActionForbidden(_("只有县委办可以管理账号。"))


def accounts_visible_to(actor) -> QuerySet[User]:
    """The accounts an office manages: the people of its county — by their department, their
    enterprise, their task forces or their seat in the county's leadership — and the accounts
    without a role yet that an office of its county created. Another county's are not shown."""
    actor = actor if isinstance(actor, Actor) else actor_for(actor)
    if not actor.is_office or actor.county_id is None:
        return User.objects.none()
    county = actor.county_id
    created_here = AccountChange.objects.filter(
        action=AccountChange.Action.CREATED,
        changed_by__department_staff__department__county_id=county,
    ).values("account_id")
    in_county = (
        Q(department_staff__department__county_id=county)
        | Q(enterprise_contact__enterprise__county_id=county)
        | Q(county_leader__county_id=county)
        | Q(pk__in=TaskForceMember.objects.filter(task_force__county_id=county).values("user_id"))
        | Q(pk__in=created_here)
    )
    return User.objects.filter(in_county)


def new_password() -> str:
    return secrets.token_urlsafe(9)


@transaction.atomic
def account_create(
    *,
    actor,
    username: str,
    full_name: str,
    kind: str,
    department: Department | None = None,
    is_head: bool = False,
    enterprise: Enterprise | None = None,
    phone: str = "",
) -> tuple[User, str]:
    """A new account with a one-time password to hand over; "person" is a leader or cadre whose
    role comes from task force membership."""
    _office_only(actor)
    username = (username or "").strip()
    errors = input_errors(lines={"username": username, "full_name": full_name, "phone": phone})
    if not username:
        errors["username"] = _("请填写用户名。")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("用户名“%(name)s”已被使用。") % {"name": username}
    if kind not in KINDS:
        errors["kind"] = _("请选择账号类型。")
    county = actor_for(actor).county_id
    if kind == "department" and department is None:
        errors["department"] = _("部门工作人员须选择所在部门。")
    elif kind == "department" and department.county_id != county:
        errors["department"] = _("只能为本县（区）的部门创建账号。")
    if kind == "enterprise" and enterprise is None:
        errors["enterprise"] = _("企业联系人须选择企业。")
    elif kind == "enterprise" and enterprise.county_id != county:
        errors["enterprise"] = _("只能为本县（区）的企业创建账号。")
    if errors:
        raise ValidationError(errors)
    password = new_password()
    user = User.objects.create_user(
        username=username, password=password, first_name=(full_name or "").strip()
    )
    detail = ""
    if kind == "department":
        DepartmentStaff.objects.create(
            user=user, department=department, is_head=is_head, phone=phone
        )
        detail = f"{department}{'（主要负责人）' if is_head else ''}"
    elif kind == "enterprise":
        EnterpriseContact.objects.create(user=user, enterprise=enterprise, phone=phone)
        detail = str(enterprise)
    AccountChange.objects.create(
        account=user, changed_by=actor, action=AccountChange.Action.CREATED, detail=detail
    )
    return user, password


@transaction.atomic
def account_set_active(*, actor, account: User, active: bool) -> User:
    _office_only(actor)
    _not_above_actor(actor, account)
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.is_active == active:
        return account
    if not active and _is_office(account):
        others = (
            User.objects.select_for_update()
            .filter(is_active=True, department_staff__department__kind=Department.Kind.OFFICE)
            .exclude(pk=account.pk)
        )
        if not others.exists():
            raise ValidationError(_("这是最后一个在用的县委办账号，不能停用。"))
    account.is_active = active
    account.save(update_fields=["is_active"])  # switched off, its API tokens go (api.tokens)
    AccountChange.objects.create(
        account=account,
        changed_by=actor,
        action=AccountChange.Action.REACTIVATED if active else AccountChange.Action.DEACTIVATED,
    )
    return account


def _not_above_actor(actor, account: User) -> None:
    # The office manages the campaign's accounts, not the administrators who run the system.
    if account.is_superuser and not actor.is_superuser:
        raise ActionForbidden(_("系统管理员账号只能由系统管理员管理。"))


@transaction.atomic
def account_reset_password(*, actor, account: User) -> str:
    _office_only(actor)
    _not_above_actor(actor, account)
    password = new_password()
    account.set_password(password)
    account.save(update_fields=["password"])  # its API tokens go with the old one (api.tokens)
    AccountChange.objects.create(
        account=account, changed_by=actor, action=AccountChange.Action.PASSWORD_RESET
    )
    return password


def _is_office(user: User) -> bool:
    return DepartmentStaff.objects.filter(
        user=user, department__kind=Department.Kind.OFFICE
    ).exists()
