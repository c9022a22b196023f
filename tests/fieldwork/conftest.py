"""Field pages: photos go to a temporary MEDIA_ROOT, and small real images are made with Pillow."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.models import Visit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt: str = "PNG", size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def png(name: str = "workshop.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")


def noisy_png(name: str = "big.png", size=(100, 100)) -> SimpleUploadedFile:
    """A PNG that does not compress: about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpeg(name: str = "transformer.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", **kwargs), content_type="image/jpeg")


def today() -> dt.date:
    return timezone.localdate()


def visit_post(county, **overrides) -> dict:
    """The visit form as a cadre fills it in: one problem row, no photo."""
    data = {
        "enterprise": str(county.steel.pk),
        "visited_on": today().isoformat(),
        "kind": Visit.Kind.INSPECT,
        "notes": "与付董座谈，车间满负荷时电压掉到340伏",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "30",
        "problems-0-title": "电压不稳，无法满负荷生产",
        "problems-0-description": "高峰时段电压掉到340伏，焊机跳闸",
        "problems-0-category": str(county.power_category.pk),
    }
    data.update(overrides)
    return data


@pytest.fixture
def carl_client(client, county):
    client.force_login(county.carl)
    return client
