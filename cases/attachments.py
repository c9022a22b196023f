"""Files sent with a progress note or a reply: photos, PDFs and Office documents, checked by
their content (cases.uploads) before anything is saved, and kept where no web server serves them.

The same rules as the enterprise's attachments (portal.attachments): the same size cap per file
(PORTAL_ATTACHMENT_MAX_BYTES), pictures within the pixel cap, PDFs that parse and hold a page; and
besides, .docx/.xlsx/.pptx whose zip structure holds and which unpack within the cap of the Excel
import. At most CASE_EVENT_ATTACHMENT_MAX_FILES per note.

A file is public or internal with its event: a reply's files reach the enterprise, an internal
progress note's never do (web.case_views.event_file asks cases.selectors who may read the event).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cases.models import CaseEvent, EventAttachment
from cases.uploads import (
    PDF_TYPE,
    image_check,
    is_office,
    is_pdf,
    office_check,
    pdf_check,
)
from portal.attachments import CheckedFile, display_name, max_bytes, size_label

DEFAULT_MAX_FILES = 5
ACCEPT = (
    "image/*,application/pdf,.docx,.xlsx,.pptx,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)


def max_files() -> int:
    return int(getattr(settings, "CASE_EVENT_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


def help_text() -> str:
    return _(
        "最多 %(count)d 个，每个不超过 %(size)s；支持图片、PDF 和 Word、Excel、PowerPoint 文件"
        "（.docx、.xlsx、.pptx）。"
    ) % {"count": max_files(), "size": size_label(max_bytes())}


def check_file(upload: UploadedFile) -> CheckedFile:
    """The file's real type, or a ValidationError naming the file and what is wrong with it."""
    name = display_name(upload)
    if upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限，请压缩后再上传。")
            % {"name": name, "size": size_label(upload.size), "limit": size_label(max_bytes())}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    if is_pdf(upload):
        pdf_check(upload, name=name)
        content_type, extension = PDF_TYPE
    elif is_office(upload):
        content_type, extension = office_check(upload, name=name)
    else:
        image = image_check(upload, name=name)
        if image is None:
            raise ValidationError(
                _(
                    "“%(name)s”不是可识别的图片、PDF 或 Office 文件，请上传 JPG、PNG、GIF、WebP "
                    "图片、PDF 或 .docx、.xlsx、.pptx 文件。"
                )
                % {"name": name}
            )
        content_type, extension = image.content_type, image.extension
    upload.seek(0)
    return CheckedFile(upload, name, content_type, extension, upload.size)


def check_files(uploads: Iterable[UploadedFile | None]) -> list[CheckedFile]:
    """Every file checked; every problem reported at once under `attachments`."""
    uploads = [u for u in uploads or () if u is not None]
    if len(uploads) > max_files():
        raise ValidationError(
            {"attachments": _("最多上传 %(count)d 个附件。") % {"count": max_files()}}
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def attachments_store(
    *, event: CaseEvent, files: list[CheckedFile], uploaded_by
) -> list[EventAttachment]:
    """Write the checked files and their rows; on any failure, remove the files already written.

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
    except BaseException:
        _remove(stored)
        raise
    return stored


def _remove(stored: list[EventAttachment]) -> None:
    for attachment in stored:
        attachment.file.delete(save=False)
