"""How a stored upload leaves: named and typed by what its content was checked to be.

The uploader's file name is kept as a record, but never trusted: the download's name is made at the
moment of download from the name's stem — every extension dropped — and the extension of the
checked type. "evil.pdf.html" holding a PDF leaves as "evil.pdf", "x.hta" holding a PNG as "x.png".
Made here rather than stored, rows kept before this rule download safely too, with no migration.

Only pictures are shown in the browser; anything else downloads as an attachment. The browser may
not guess another type (nosniff), and what it shows runs nothing (a sandboxing policy).
"""

from __future__ import annotations

import unicodedata
from typing import IO

from django.http import FileResponse
from django.utils.translation import gettext as _

from cases.uploads import EXTENSIONS

UNKNOWN_TYPE = ("application/octet-stream", "bin")
# Characters Windows refuses in a file name. Control and format characters go too: a
# right-to-left override (U+202E) makes "photo<U+202E>gnp.exe" read as "photoexe.png".
UNSAFE = set('<>:"/\\|?*')
MAX_STEM = 100


def download_name(original_name: str, content_type: str, *, fallback: str) -> str:
    """The name a stored file downloads under: a safe stem of the uploader's name and the
    extension of its checked type."""
    extension = EXTENSIONS.get(content_type, UNKNOWN_TYPE[1])
    base = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        "_" if c in UNSAFE else c for c in base if unicodedata.category(c) not in ("Cc", "Cf")
    )
    stem = kept.strip(" .").split(".", 1)[0].strip()[:MAX_STEM]
    return f"{stem or fallback}.{extension}"


def file_download(
    handle: IO[bytes], *, content_type: str, original_name: str, fallback_name: str
) -> FileResponse:
    """A stored upload as a response. `content_type` is the type its check found when it was
    uploaded; one we do not know is served as bytes to save, never to show."""
    if content_type not in EXTENSIONS:
        content_type = UNKNOWN_TYPE[0]
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not content_type.startswith("image/"),
        filename=download_name(original_name, content_type, fallback=fallback_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


class StoredFileMissing(Exception):
    """The row is there but its file is gone from storage: the caller answers 404 its own way."""


def stored_file_response(attachment) -> FileResponse:
    """A checked attachment (CaseAttachment, EventAttachment: `file`, `content_type`,
    `original_name`) as a private, never-cached download."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise StoredFileMissing(attachment.pk) from None
    response = file_download(
        handle,
        content_type=attachment.content_type,
        original_name=attachment.original_name,
        fallback_name=_("附件"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
