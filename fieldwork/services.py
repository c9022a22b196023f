"""What a cadre does in the field, as services the views call once each.

Both stand on the core modules: a visit goes through cases.intake.visit_create, a rating through
cases.workflow.case_rate. What is added here is what only the field knows: photos, and which visit
a return-visit rating may be recorded on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases import intake, workflow
from cases.checkin import CheckIn
from cases.errors import ActionForbidden, ClientIdTaken, InvalidState, LimitReached
from cases.models import Case, Visit, VisitPhoto
from cases.roles import Actor, actor_for
from cases.storage import photo_storage
from enterprises.models import Enterprise
from fieldwork.photos import CheckedPhoto, max_photo_count


def _as_actor(who) -> Actor:
    return who if isinstance(who, Actor) else actor_for(who)


def visit_log(
    *,
    actor,
    enterprise: Enterprise,
    visited_on: dt.date | None,
    kind: str,
    notes: str = "",
    problems: Iterable[intake.Problem] = (),
    photos: Sequence[CheckedPhoto] = (),
    client_id: uuid.UUID | None = None,
    checkin: CheckIn | None = None,
    now: dt.datetime | None = None,
) -> intake.VisitLogged:
    """走访登记: the visit, the cases it found and its photos — all saved, or none of them.

    The photo files are written inside the transaction; if anything fails they are deleted again,
    so a refused visit leaves no file behind. A visit sent before under the same client_id
    (cases.intake.visit_create) is answered as it is: its photos are not stored a second time.
    """
    actor = _as_actor(actor)
    if len(photos) > max_photo_count():
        raise ValidationError(
            {"photos": _("每次走访最多上传 %(count)d 张照片。") % {"count": max_photo_count()}}
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            logged = intake.visit_create(
                actor=actor,
                enterprise=enterprise,
                visited_on=visited_on,
                kind=kind,
                notes=notes,
                problems=problems,
                client_id=client_id,
                checkin=checkin,
                now=now,
            )
            for photo in photos if logged.created else ():
                _save_photo(logged.visit, photo, actor, written)
    except BaseException:
        _delete_files(written)
        raise
    return logged


def _delete_files(names: list[str]) -> None:
    storage = photo_storage()
    for name in names:
        storage.delete(name)


def _photo_sent_before(actor: Actor, visit: Visit, client_id: uuid.UUID) -> VisitPhoto | None:
    photo = VisitPhoto.objects.filter(client_id=client_id).first()
    if photo is None:
        return None
    if photo.visit_id != visit.pk or photo.uploaded_by_id != actor.user.pk:
        raise ClientIdTaken(_("这张照片的编号已被另一条走访使用，未能上传。"))
    return photo


def visit_photo_add(
    *, actor, visit: Visit, photo: CheckedPhoto, client_id: uuid.UUID
) -> tuple[VisitPhoto, bool]:
    """One photo added to the cadre's own visit after it was saved — the offline uploader sends
    them one by one, so a dropped connection resends only the photos not yet stored.

    Answers (the photo, created). Idempotent by the photo's client_id: a resend answers the photo
    stored first (created False), even when the visit has since reached its maximum. The visit's
    row is locked first, so photos sent at once are counted one after the other and cannot pass
    the maximum together, and the second of two identical sends finds the first's photo (the unique
    constraint catches what the lock cannot: the same id sent for two visits at once).
    """
    actor = _as_actor(actor)
    if visit.cadre_id != actor.user.pk:
        raise ActionForbidden(_("只有走访干部本人可以为这次走访上传照片。"))
    written: list[str] = []
    try:
        with transaction.atomic():
            Visit.objects.select_for_update().filter(pk=visit.pk).first()
            if sent := _photo_sent_before(actor, visit, client_id):
                return sent, False
            if VisitPhoto.objects.filter(visit=visit).count() >= max_photo_count():
                raise LimitReached(
                    _("这次走访已有 %(count)d 张照片，达到上限，不能再上传。")
                    % {"count": max_photo_count()}
                )
            try:
                with transaction.atomic():
                    record = _save_photo(visit, photo, actor, written, client_id=client_id)
            except IntegrityError:
                _delete_files(written)
                written.clear()
                if not (sent := _photo_sent_before(actor, visit, client_id)):
                    raise
                return sent, False
    except BaseException:
        _delete_files(written)
        raise
    return record, True


def _save_photo(
    visit: Visit,
    photo: CheckedPhoto,
    actor: Actor,
    written: list[str],
    client_id: uuid.UUID | None = None,
) -> VisitPhoto:
    record = VisitPhoto(
        visit=visit,
        client_id=client_id,
        content_type=photo.content_type,
        size=photo.upload.size,
        width=photo.width,
        height=photo.height,
        original_name=photo.original_name,
        uploaded_by=actor.user,
    )
    photo.upload.seek(0)
    record.image.save(f"photo{photo.extension}", photo.upload, save=False)
    written.append(record.image.name)
    record.thumbnail.save("thumbnail.jpg", ContentFile(photo.thumbnail), save=False)
    written.append(record.thumbnail.name)
    record.save()
    return record


def return_visit_rate(
    *,
    actor,
    visit: Visit,
    case: Case | int,
    rating: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """回访: on a 解难问成效 visit, the visiting cadre records the enterprise's rating of a replied
    case of that enterprise. The workflow marks it as recorded by the cadre and reopens the case
    when the enterprise is dissatisfied."""
    actor = _as_actor(actor)
    case_id = getattr(case, "pk", case)
    if visit.cadre_id != actor.user.pk:
        raise ActionForbidden(_("只有这次走访的干部本人可以在走访中代录评价。"))
    if not Case.objects.filter(pk=case_id, enterprise_id=visit.enterprise_id).exists():
        raise ActionForbidden(_("这个问题不属于本次走访的企业。"))
    if visit.kind != Visit.Kind.RESOLVE:
        status = Case.objects.values_list("status", flat=True).get(pk=case_id)
        raise InvalidState(_("只有“解难问成效”类型的走访可以代录企业评价。"), status=status)
    return workflow.case_rate(actor=actor, case=case_id, rating=rating, comment=comment, now=now)
