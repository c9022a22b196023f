"""What a cadre does in the field, as services the views call once each.

Both stand on the core modules: a visit goes through cases.intake.visit_create, a rating through
cases.workflow.case_rate. What is added here is what only the field knows: photos, and which visit
a return-visit rating may be recorded on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cases import intake, workflow
from cases.errors import ActionForbidden, InvalidState
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
    now: dt.datetime | None = None,
) -> tuple[Visit, list[Case]]:
    """走访登记: the visit, the cases it found and its photos — all saved, or none of them.

    The photo files are written inside the transaction; if anything fails they are deleted again,
    so a refused visit leaves no file behind.
    """
    actor = _as_actor(actor)
    if len(photos) > max_photo_count():
        raise ValidationError(
            {"photos": _("每次走访最多上传 %(count)d 张照片。") % {"count": max_photo_count()}}
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            visit, cases = intake.visit_create(
                actor=actor,
                enterprise=enterprise,
                visited_on=visited_on,
                kind=kind,
                notes=notes,
                problems=problems,
                now=now,
            )
            for photo in photos:
                _save_photo(visit, photo, actor, written)
    except BaseException:
        storage = photo_storage()
        for name in written:
            storage.delete(name)
        raise
    return visit, cases


def _save_photo(visit: Visit, photo: CheckedPhoto, actor: Actor, written: list[str]) -> None:
    record = VisitPhoto(
        visit=visit,
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
