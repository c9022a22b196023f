"""Is this upload a photo we keep? Decided by its content — format and pixel count read from its
header before anything is decoded (cases.uploads) — never by its name or the browser's claimed
type; and a small thumbnail for slow connections, made while we are at it."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from cases.uploads import image_check

THUMBNAIL_BOX = (640, 640)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_COUNT = 10


def max_photo_bytes() -> int:
    return getattr(settings, "VISIT_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_photo_count() -> int:
    return getattr(settings, "VISIT_PHOTO_MAX_COUNT", DEFAULT_MAX_COUNT)


@dataclass(frozen=True)
class CheckedPhoto:
    upload: object  # the UploadedFile, rewound
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes

    @property
    def original_name(self) -> str:
        return os.path.basename(self.upload.name or "")[:200]


def check_photo(upload) -> CheckedPhoto:
    """The upload as a photo, or a ValidationError saying, in the user's words, what is wrong.

    The size in bytes and in pixels is checked before any pixel is decoded (cases.uploads): only
    a photo within both is decoded, once, for its thumbnail."""
    name = os.path.basename(upload.name or "")
    limit = max_photo_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("照片“%(name)s”有 %(size)s，超过了 %(limit)s 的上限，请压缩后再上传。")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("“%(name)s”不是图片文件，只能上传 JPEG、PNG、WebP 或 GIF 格式的照片。") % {"name": name},
        code="not_an_image",
    )
    image = image_check(upload, name=name)
    if image is None:
        raise not_an_image
    try:
        with Image.open(upload, formats=[image.format]) as opened:
            thumbnail = _thumbnail(opened)  # decodes the pixels: a truncated file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    return CheckedPhoto(
        upload, image.content_type, f".{image.extension}", image.width, image.height, thumbnail
    )


def _thumbnail(image: Image.Image) -> bytes:
    """A small JPEG, made by shrinking first: the later steps then work on the small picture, and
    a 50 MP photo costs little more than its own decoding."""
    image.draft("RGB", THUMBNAIL_BOX)  # JPEG decodes at a reduced scale: fast on big photos
    if image.mode in ("1", "P"):
        image = image.convert("L" if image.mode == "1" else "RGBA")  # else shrunk pixel by pixel
    image.thumbnail(THUMBNAIL_BOX)
    image = ImageOps.exif_transpose(image)  # phones store rotation in EXIF (kept by thumbnail)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()
