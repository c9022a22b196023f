"""The lead department's handling: the first contact with the enterprise (签收并对接), progress
notes (进展), and the reply with the result (反馈)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import attachments as event_files
from cases.models import Case, CaseEvent
from cases.roles import Actor
from cases.validators import check_input, input_errors
from cases.workflow import steps
from cases.workflow.rules import S, _as_actor
from cases.workflow.steps import _authorize, _lock, _record, _required
from enterprises.validators import validate_mainland_mobile
from taskforces.contacts import contact_person_add

CONTACT_METHODS = {
    "visit": gettext_lazy("上门走访"),
    "phone": gettext_lazy("电话"),
    "meeting": gettext_lazy("座谈会议"),
}


@transaction.atomic
def case_accept(
    *,
    actor,
    case: Case | int,
    contact_note: str,
    contact_method: str = "",
    contact_person: str = "",
    contact_mobile: str = "",
    new_contact: bool = False,
    now: dt.datetime | None = None,
) -> Case:
    """签收并对接: the first contact with the enterprise — what the 3-working-day rule measures.

    contact_note says what was agreed; how (visit, phone, meeting) and with whom go with it: the
    对接人 is one of the enterprise's contacts (enterprises.contacts), or with new_contact a person
    not among them yet, who joins them (name and a mainland mobile required).
    """
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("accept", actor, case)
    _required(contact_note=contact_note)
    check_input(
        lines={"contact_person": contact_person, "contact_mobile": contact_mobile},
        texts={"contact_note": contact_note},
    )
    if contact_method and contact_method not in CONTACT_METHODS:
        raise ValidationError({"contact_method": _("对接方式只能是上门、电话或会议。")})
    person, mobile = (contact_person or "").strip(), (contact_mobile or "").strip()
    added = None
    if new_contact:
        added = _contact_person_add(actor, case, person, mobile)
        person, mobile = added.name, added.mobile
    now = steps._now(now)
    case.status = S.IN_PROGRESS
    case.contacted_at = now
    case.save()
    _record(
        case,
        CaseEvent.Kind.ACCEPTED,
        actor,
        note=contact_note,
        public=True,
        department=case.lead_department_id,
        data={
            "on_time": case.contact_due_at is None or now <= case.contact_due_at,
            "method": contact_method,
            "person": person,
            "mobile": mobile,
            "contact": added.pk if added else None,
        },
    )
    return case


def _contact_person_add(actor: Actor, case: Case, name: str, mobile: str):
    """A 对接人 typed in on acceptance joins the enterprise's contacts (the same name and mobile
    again is the person already there; another name on a listed mobile is refused)."""
    errors = {}
    if not name:
        errors["contact_person"] = _("请填写新联系人的姓名。")
    elif len(name) > 50:
        errors["contact_person"] = _("姓名不能超过50个字。")
    try:
        validate_mainland_mobile(mobile)
    except ValidationError as invalid:
        errors["contact_mobile"] = invalid.messages
    if errors:
        raise ValidationError(errors)
    person, created = contact_person_add(
        enterprise=case.enterprise_id, name=name, mobile=mobile, added_by=actor.user
    )
    if not created and person.name != name:
        raise ValidationError(
            {
                "contact_mobile": _(
                    "手机号码 %(mobile)s 已登记为联系人“%(name)s”，请从联系人中选择。"
                )
                % {"mobile": person.mobile, "name": person.name}
            }
        )
    return person


@transaction.atomic
def case_add_progress(
    *, actor, case: Case | int, note: str, public: bool = False, attachments=()
) -> CaseEvent:
    """调度/进展: a note on the handling; public ones reach the enterprise. Its files (photos,
    PDFs, Office documents: cases.attachments) are public or internal with it; one bad file
    refuses the whole note."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("progress", actor, case)
    _required(note=note)
    check_input(texts={"note": note})
    files = event_files.check_files(attachments)
    event = _record(
        case,
        CaseEvent.Kind.PROGRESS,
        actor,
        note=note,
        public=bool(public),
        department=actor.department_id,
    )
    event_files.attachments_store(event=event, files=files, uploaded_by=actor.user)
    return event


@transaction.atomic
def case_reply(
    *,
    actor,
    case: Case | int,
    outcome: str,
    reply: str,
    now: dt.datetime | None = None,
    attachments=(),
) -> Case:
    """反馈: the result goes to the enterprise — resolved, or explained (a policy barrier) — with
    its files (a 答复函, photos: cases.attachments), which the enterprise may download."""
    actor = _as_actor(actor)
    case = _lock(case)
    _authorize("reply", actor, case)
    errors = {}
    if outcome not in Case.Outcome.values:
        errors["outcome"] = _("请选择办理结果：已解决，或政策障碍已解释到位。")
    if not (reply or "").strip():
        errors["reply"] = _("请填写反馈给企业的办理结果。")
    errors = {**input_errors(texts={"reply": reply}), **errors}
    files = []
    try:
        files = event_files.check_files(attachments)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    now = steps._now(now)
    case.status = S.REPLIED
    case.outcome = outcome
    case.reply = reply.strip()
    case.replied_at = now
    case.reply_round += 1
    case.rating = ""
    case.save()
    event = _record(
        case,
        CaseEvent.Kind.REPLIED,
        actor,
        note=case.reply,
        public=True,
        department=case.lead_department_id,
        data={
            "outcome": outcome,
            "round": case.reply_round,
            "on_time": case.resolve_due_at is None or now <= case.resolve_due_at,
        },
    )
    event_files.attachments_store(event=event, files=files, uploaded_by=actor.user)
    return case
