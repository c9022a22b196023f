"""Files sent with a progress note or a reply: photos, PDFs and Office documents, checked by
their content before anything is saved, and kept where no web server serves them.

The one rule for an attached file is the enterprise's (portal.attachments.check_attachment, over
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

from collections.abc import Iterable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cases.models import CaseEvent, EventAttachment
from portal import attachments as rule
from portal.attachments import CheckedFile

DEFAULT_MAX_FILES = 5
ACCEPT = rule.ACCEPT


def max_files() -> int:
    return int(getattr(settings, "CASE_EVENT_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


def help_text() -> str:
    return rule.help_text(max_files())


def check_files(uploads: Iterable[UploadedFile | None]) -> list[CheckedFile]:
    """Every file checked by the one rule for attachments (portal.attachments); every problem
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
    stored: list[EventAttachment] = []
    try:
        for checked in files:
            attachment = EventAttachment(
                event=event,
                case_id=event.case_id,
                original_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=uploaded_by,
            )
            attachment.file.save(f"upload.{checked.extension}", checked.upload, save=False)
            stored.append(attachment)
            attachment.save()
        for carried in getattr(event, "carried", ()):
            EventAttachment.objects.bulk_create(_copy(attachment, carried) for attachment in stored)
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


def _remove(stored: list[EventAttachment]) -> None:
    for attachment in stored:
        attachment.file.delete(save=False)
