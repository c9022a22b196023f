"""Is this upload a photo we keep? Decided by its content (Pillow), never by its name or the
browser's claimed type; and a small thumbnail for slow connections, made while we are at it."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# What phones and their browsers send. HEIC is converted to JPEG by the browsers that upload it.
FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "GIF": ("image/gif", ".gif"),
}
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
    """The upload as a photo, or a ValidationError saying, in the user's words, what is wrong."""
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
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()  # checks the file's structure without decoding every pixel
        if kind not in FORMATS:
            raise not_an_image
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
            thumbnail = _thumbnail(image)  # decodes the pixels: a truncated file fails here
    except Image.DecompressionBombError:
        raise ValidationError(
            _("照片“%(name)s”的像素太多，无法处理，请换一张。") % {"name": name},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    content_type, extension = FORMATS[kind]
    return CheckedPhoto(upload, content_type, extension, width, height, thumbnail)


def _thumbnail(image: Image.Image) -> bytes:
    image.draft("RGB", THUMBNAIL_BOX)  # JPEG decodes at a reduced scale: fast on big photos
    image = ImageOps.exif_transpose(image)  # phones store rotation in EXIF
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail(THUMBNAIL_BOX)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()
