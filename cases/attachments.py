"""Files sent with a progress note or a reply, and those an enterprise sends with its problem:
photos, PDFs and Office documents, checked by their content before anything is saved, and kept
where no web server serves them. One writer stores both kinds.

The one rule for an attached file is the enterprise's (cases.files.check_attachment, over
cases.uploads): the same size cap per file (PORTAL_ATTACHMENT_MAX_BYTES), pictures within the
pixel cap, PDFs that parse and hold a page, .docx/.xlsx/.pptx whose zip structure holds and which
unpack within the cap of the Excel import, old .doc/.xls whose compound file is a Word or Excel
document; no macros. At most CASE_EVENT_ATTACHMENT_MAX_FILES per note.

A file is public or internal with its event: a reply's files reach the enterprise, an internal
progress note's never do (web.case_views.event_file asks cases.selectors who may read the event).
Under joint handling (cases.joint) the members of a group receive the main case's public note or
reply as an event of their own, and its files with it: a row on each member's event for the same
stored file, so each enterprise downloads them from its own case and from nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from cases import files as rule
from cases.files import CheckedFile
from cases.models import Case, CaseAttachment, CaseEvent, EventAttachment

Attachment = TypeVar("Attachment", CaseAttachment, EventAttachment)

DEFAULT_MAX_FILES = 5
ACCEPT = rule.ACCEPT


def max_files() -> int:
    return int(getattr(settings, "CASE_EVENT_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


def help_text() -> str:
    return rule.help_text(max_files())


def check_files(uploads: Iterable[UploadedFile | None]) -> list[CheckedFile]:
    """Every file checked by the one rule for attachments (cases.files); every problem
    reported at once under `attachments`."""
    return rule.check_attachments(uploads, limit=max_files())


def attachments_store(
    *, event: CaseEvent, files: list[CheckedFile], uploaded_by
) -> list[EventAttachment]:
    """Write the checked files and their rows; on any failure, remove the files already written.
    The events the workflow carried this one to (`event.carried`: the members of a joint group,
    cases.joint) get a row each for the same files.

    Call last inside the caller's transaction (cases.workflow), once everything that may refuse
    the action has run: a refused action must not leave a file behind."""

    def carry(stored: list[EventAttachment]) -> None:
        for carried in getattr(event, "carried", ()):
            EventAttachment.objects.bulk_create(_copy(attachment, carried) for attachment in stored)

    return _write(
        EventAttachment,
        files,
        uploaded_by=uploaded_by,
        then=carry,
        event=event,
        case_id=event.case_id,
    )


def problem_attachments_store(
    *, case: Case, files: list[CheckedFile], uploaded_by
) -> list[CaseAttachment]:
    """The enterprise's attachments to its problem, kept beside the case: the checked files and
    their rows written; on any failure, the files already written removed.

    Call inside the caller's transaction: a rolled-back row must not leave its file behind."""
    return _write(CaseAttachment, files, uploaded_by=uploaded_by, case=case)


def attachments_of(case: Case) -> QuerySet[CaseAttachment]:
    """A case's problem attachments; the caller has already checked the case is visible to the
    user."""
    return CaseAttachment.objects.filter(case=case).order_by("uploaded_at", "id")


def _write(
    model: type[Attachment],
    files: list[CheckedFile],
    *,
    uploaded_by,
    then: Callable[[list[Attachment]], object] | None = None,
    **owner,
) -> list[Attachment]:
    """The one writer: a row of `model` for each checked file, belonging to `owner` (its case or
    its event), its file written first; then `then(stored)`. On any failure, including in
    `then`, the files already written are removed before the error goes on."""
    stored: list[Attachment] = []
    try:
        for checked in files:
            attachment = model(
                **owner,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=uploaded_by,
            )
            attachment.file.save(f"upload.{checked.extension}", checked.upload, save=False)
            stored.append(attachment)
            attachment.save()
        if then is not None:
            then(stored)
    except BaseException:
        _remove(stored)
        raise
    return stored


def _copy(attachment: EventAttachment, event: CaseEvent) -> EventAttachment:
    """The same stored file on another case's event: the file is never written twice."""
    return EventAttachment(
        event=event,
        case_id=event.case_id,
        file=attachment.file.name,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        uploaded_by=attachment.uploaded_by,
    )


def _remove(stored: list[CaseAttachment] | list[EventAttachment]) -> None:
    for attachment in stored:
        attachment.file.delete(save=False)
