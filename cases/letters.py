"""交办函: after a 交办会 the office issues one letter to each lead department, numbered once
(进四问交〔2026〕3号, cases.documents); the department signs its 回执 (receipt) back in the product,
once; the office reads who signed and when.

Issuing is idempotent per meeting and department: a second issue — a double click, two clerks at
once — answers the first letter, with its number, and takes no new one. The department is told
through cases.signals.assignment_letter_issued (notifications listens).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.documents import Kind, document_number_issue
from cases.errors import ActionForbidden, InvalidState
from cases.models import AssignmentLetter, Case, Meeting
from cases.roles import DEPARTMENT, Actor
from cases.signals import letter_issued
from cases.validators import check_input
from cases.workdays import local_date
from enterprises.models import Department, DepartmentStaff

# A letter lists the cases handed to the department, whatever happened to them since.
LETTER_STATUSES = tuple(
    s for s in Case.Status.values if s not in (Case.Status.SUBMITTED, Case.Status.MERGED)
)


# --- what a letter says ------------------------------------------------------------------------


def letter_cases(meeting: Meeting, department: Department | int) -> QuerySet[Case]:
    """The cases of a 交办会 the department leads, in number order: the letter's table."""
    if meeting.kind != Meeting.Kind.ASSIGNMENT:
        return Case.objects.none()
    return (
        Case.objects.filter(
            meetings=meeting,
            lead_department=getattr(department, "pk", department),
            status__in=LETTER_STATUSES,
        )
        .select_related("enterprise", "category")
        .prefetch_related("co_departments")
        .order_by("number")
    )


def letter_contact_defaults(user) -> dict[str, str]:
    """Whom the department calls at the office, as the issue form first offers it: the issuing
    clerk, with their own phone, else their unit's, else the county's (OFFICE_CONTACT_PHONE)."""
    staff = DepartmentStaff.objects.filter(user=user).select_related("department").first()
    phone = (staff.phone or staff.department.phone) if staff else ""
    return {
        "contact_name": user.get_full_name() or user.get_username(),
        "contact_phone": phone or getattr(settings, "OFFICE_CONTACT_PHONE", ""),
    }


# --- who may -----------------------------------------------------------------------------------


def may_issue_letter(actor: Actor) -> bool:
    return actor.is_office


def may_read_letter(actor: Actor, letter: AssignmentLetter) -> bool:
    """The office, and the staff of the department it is addressed to."""
    return actor.is_office or is_addressee(actor, letter)


def is_addressee(actor: Actor, letter: AssignmentLetter) -> bool:
    return actor.has_role(DEPARTMENT) and actor.department_id == letter.department_id


def may_sign_letter(actor: Actor, letter: AssignmentLetter) -> bool:
    """Its department's staff, once."""
    return is_addressee(actor, letter) and not letter.signed


# --- issue and sign ----------------------------------------------------------------------------


@transaction.atomic
def letter_issue(
    *,
    actor: Actor,
    meeting: Meeting,
    department: Department,
    contact_name: str,
    contact_phone: str = "",
    now: dt.datetime | None = None,
) -> AssignmentLetter:
    """Issue the meeting's letter to the department, taking its number; or answer the letter
    issued before (unchanged). Refused: not the office (ActionForbidden); no case of the meeting
    led by the department (InvalidState); a blank or multi-line contact (ValidationError)."""
    if not may_issue_letter(actor):
        raise ActionForbidden(_("只有县委办可以出具交办函。"))
    # Issuers of one meeting's letters queue here, so a second issue finds the first letter.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    issued = AssignmentLetter.objects.filter(meeting=meeting, department=department).first()
    if issued is not None:
        return issued
    if not letter_cases(meeting, department).exists():
        raise InvalidState(_("此次会议没有交办给该部门的问题。"), status=meeting.kind)
    contact_name, contact_phone = contact_name.strip(), contact_phone.strip()
    check_input(lines={"contact_name": contact_name, "contact_phone": contact_phone})
    if not contact_name:
        raise ValidationError({"contact_name": [_("请填写县委办联系人。")]})
    now = now or timezone.now()
    number = document_number_issue(Kind.ASSIGNMENT, county_id=meeting.county_id, on=local_date(now))
    letter = AssignmentLetter.objects.create(
        county_id=meeting.county_id,
        meeting=meeting,
        department=department,
        year=number.year,
        serial=number.serial,
        number=str(number),
        contact_name=contact_name,
        contact_phone=contact_phone,
        issued_by=actor.user,
        issued_at=now,
    )
    letter_issued(letter)
    return letter


@transaction.atomic
def letter_sign(
    *, actor: Actor, letter: AssignmentLetter, note: str = "", now: dt.datetime | None = None
) -> AssignmentLetter:
    """Sign the letter's 回执: who and when are kept, once. Refused: anyone but the staff of the
    department it is addressed to (ActionForbidden); a receipt signed already (InvalidState)."""
    letter = (
        AssignmentLetter.objects.select_for_update(of=("self",))
        .select_related("department", "signed_by")
        .get(pk=letter.pk)
    )
    if not is_addressee(actor, letter):
        raise ActionForbidden(
            _("只有%(department)s的工作人员可以签收此交办函的回执。")
            % {"department": letter.department.name}
        )
    if letter.signed:
        raise InvalidState(
            _("回执已由%(name)s于%(when)s签收。")
            % {
                "name": letter.signed_by.get_full_name() or letter.signed_by.get_username(),
                "when": timezone.localtime(letter.signed_at).strftime("%Y-%m-%d %H:%M"),
            },
            status="signed",
        )
    note = note.strip()
    check_input(texts={"note": note})
    letter.signed_by = actor.user
    letter.signed_at = now or timezone.now()
    letter.receipt_note = note
    letter.save(update_fields=["signed_by", "signed_at", "receipt_note"])
    return letter


# --- selectors ---------------------------------------------------------------------------------


def _letters() -> QuerySet[AssignmentLetter]:
    return AssignmentLetter.objects.select_related("meeting", "department", "signed_by")


def meeting_letters(meeting: Meeting) -> dict[int, AssignmentLetter]:
    """The letters issued for a meeting, by department id."""
    return {letter.department_id: letter for letter in _letters().filter(meeting=meeting)}


def department_letters(department_id: int) -> QuerySet[AssignmentLetter]:
    """A department's letters: those still to sign first, then the newest."""
    signed = ExpressionWrapper(Q(signed_at__isnull=False), output_field=BooleanField())
    return _letters().filter(department_id=department_id).order_by(signed, "-issued_at", "-pk")


def unsigned_letters(department_id: int) -> QuerySet[AssignmentLetter]:
    """The letters whose 回执 the department has not signed yet, the oldest first."""
    return (
        _letters()
        .filter(department_id=department_id, signed_at__isnull=True)
        .order_by("issued_at", "pk")
    )
