"""What an uploaded file really is, found out before anything costly is done with it.

Every form that takes a file asks here: the visit form (fieldwork.photos) and the enterprise's
attachments (portal.attachments). The answer comes from the content, never the name or the
browser's claimed type, and it is cheap to get:

- a picture is measured from its header, width × height, before a single pixel is decoded: a
  560 KB PNG can hold 144 million pixels, and decoding them takes gigabytes;
- a PDF must parse as one and hold a page: its first five bytes prove nothing, `%PDF-1.4` may be
  followed by a web page.

The page apps word their own "this is not a picture" message; the messages about limits that are
the same everywhere live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import DependencyError

# The pictures phones and their browsers send (HEIC arrives converted to JPEG): Pillow's name for
# the format → (the type we serve it as, the extension it is stored and downloaded with).
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
PDF_TYPE = ("application/pdf", "pdf")
PDF_SIGNATURE = b"%PDF-"
EXTENSIONS = dict([*IMAGE_TYPES.values(), PDF_TYPE])  # content type → extension

# Phones take 12–50 MP photos; decoding 50 MP takes about 150 MB, 144 MP about 1.2 GB.
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000


def max_image_pixels() -> int:
    return int(getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


@dataclass(frozen=True)
class CheckedImage:
    format: str  # Pillow's name: JPEG, PNG, GIF, WEBP
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return IMAGE_TYPES[self.format][0]

    @property
    def extension(self) -> str:
        return IMAGE_TYPES[self.format][1]


def image_check(upload: IO[bytes], *, name: str) -> CheckedImage | None:
    """The picture's format and size; None when it is not a JPEG, PNG, GIF or WebP whose structure
    holds; a ValidationError naming the file when it has more pixels than we will decode.

    Only the header is read and the structure verified: no pixel is decoded here, so the caller may
    decode (a thumbnail) knowing the cost is bounded. Pillow's own bomb guard only warns below
    twice its MAX_IMAGE_PIXELS (179 MP), which is why the size is checked here, first."""
    limit = max_image_pixels()
    upload.seek(0)
    try:
        with Image.open(upload, formats=list(IMAGE_TYPES)) as image:
            width, height = image.size
            if width * height > limit:
                raise ValidationError(
                    _(
                        "图片“%(name)s”为 %(width)d×%(height)d，共 %(pixels)s 像素，"
                        "超过了 %(limit)s 像素的上限，请缩小后再上传。"
                    )
                    % {
                        "name": name,
                        "width": width,
                        "height": height,
                        "pixels": f"{width * height:,}",
                        "limit": f"{limit:,}",
                    },
                    code="too_many_pixels",
                )
            image.verify()  # the chunks and their checksums, without decoding the pixels
            kind = image.format
    except Image.DecompressionBombError:
        # Pillow refused to open it at all: past twice its limit, and so far past ours.
        raise ValidationError(
            _("图片“%(name)s”超过 %(pixels)s 像素，远超 %(limit)s 像素的上限，请缩小后再上传。")
            % {"name": name, "pixels": f"{2 * Image.MAX_IMAGE_PIXELS:,}", "limit": f"{limit:,}"},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None  # not a picture, or a damaged one
    finally:
        upload.seek(0)
    return CheckedImage(kind, width, height) if kind in IMAGE_TYPES else None


def is_pdf(upload: IO[bytes]) -> bool:
    """Does the file say it is a PDF? Only which check to run next: pdf_check decides."""
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    return head == PDF_SIGNATURE


def pdf_check(upload: IO[bytes], *, name: str) -> None:
    """A ValidationError naming the file unless it parses as a PDF with at least one page.

    Lenient (pypdf's strict=False) about what Word, WPS and scanners get slightly wrong — an xref
    table off by a few bytes, a missing end-of-file marker — but the cross-reference table, the
    trailer and the page tree must be found. A locked PDF counts once its structure has parsed:
    its pages are behind a password, and that is the sender's business."""
    damaged = ValidationError(
        _("“%(name)s”不是有效的 PDF 文件：无法读出其中的页面。请重新导出或扫描后再上传。")
        % {"name": name},
        code="not_a_pdf",
    )
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        pages = 1 if reader.is_encrypted else len(reader.pages)
    except DependencyError:
        pages = 1  # AES-encrypted: pypdf opens it only with `cryptography`, but it has parsed
    except Exception:  # pypdf raises many kinds (and RecursionError) on a damaged file
        raise damaged from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise damaged
