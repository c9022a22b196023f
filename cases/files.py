"""What an attached file may be: the one rule for every file people attach — the enterprise's
problem (portal), progress notes and replies (cases.attachments) — decided by its content, never
its name: a photo is a JPEG, PNG, GIF or WebP within the pixel cap; a PDF parses as
one and has a page; an Office document is a .docx, .xlsx or .pptx, or an old Word or Excel file
(.doc, .xls), whose structure holds and which has no macros (all checked by cases.uploads).
Anything else — a renamed .exe, an installer behind the OLE2 signature, a web page behind a
`%PDF-` header, a truncated picture, a decompression bomb — is refused with a message that names
the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cases.uploads import PDF_TYPE, image_check, is_office, is_pdf, office_check, pdf_check

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_FILES = 5
# What a file input offers to pick (the check above decides).
ACCEPT = (
    "image/*,application/pdf,.doc,.docx,.xls,.xlsx,.pptx,"
    "application/msword,application/vnd.ms-excel,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)


def max_bytes() -> int:
    return int(getattr(settings, "PORTAL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_files() -> int:
    return int(getattr(settings, "PORTAL_ATTACHMENT_MAX_FILES", DEFAULT_MAX_FILES))


def max_request_bytes() -> int:
    """The largest form a raise-a-problem request may send: every file at its cap, and the text."""
    return max_files() * max_bytes() + 256 * 1024


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    extension: str
    size: int


def size_label(size: int) -> str:
    """10 MB, 1.4 MB, 512 KB: the sizes a message shows (plain spaces, so tests and people can read them)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.1f}".removesuffix(".0") + " KB"


def display_name(upload: UploadedFile) -> str:
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[-200:] or _("附件")


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """The file's real type, or a ValidationError saying what is wrong with it."""
    name = display_name(upload)
    if upload.size > max_bytes():
        raise ValidationError(
            _("“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限，请压缩后再上传。")
            % {
                "name": name,
                "size": size_label(upload.size),
                "limit": size_label(max_bytes()),
            }
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
                    "图片、PDF 或 Word、Excel、PowerPoint 文件（.doc、.docx、.xls、.xlsx、.pptx）。"
                )
                % {"name": name},
                code="unknown_type",
            )
        content_type, extension = image.content_type, image.extension
    upload.seek(0)
    return CheckedFile(upload, name, content_type, extension, upload.size)


def help_text(count: int) -> str:
    """What a file field takes, said beside it."""
    return _(
        "最多 %(count)d 个，每个不超过 %(size)s；支持图片、PDF 和 Word、Excel、PowerPoint 文件"
        "（.doc、.docx、.xls、.xlsx、.pptx）。"
    ) % {"count": count, "size": size_label(max_bytes())}


def check_attachments(
    uploads: Iterable[UploadedFile | None], *, limit: int | None = None
) -> list[CheckedFile]:
    """Every file checked, and every problem reported at once under the `attachments` field; at
    most `limit` files (the enterprise's cap, PORTAL_ATTACHMENT_MAX_FILES, unless told)."""
    limit = max_files() if limit is None else limit
    uploads = [u for u in uploads or () if u is not None]
    if len(uploads) > limit:
        raise ValidationError({"attachments": _("最多上传 %(count)d 个附件。") % {"count": limit}})
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked
