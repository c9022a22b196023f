"""The portal's tests: attachments go to a temporary folder; small real files are made here."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def one_page_pdf() -> bytes:
    """A real PDF of one blank A4 page, as pypdf writes it: header, objects, xref table, trailer."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MINIMAL_PDF = one_page_pdf()


@pytest.fixture(autouse=True)
def attachments_root(settings, tmp_path):
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"
    return settings.PORTAL_ATTACHMENTS_ROOT


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def png(name: str = "transformer.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")


def jpeg(name: str = "workshop.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", **kwargs), content_type="image/jpeg")


def pdf(name: str = "electricity-bill.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def fake_image(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A program renamed to look like a photo, with the browser's word that it is one."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
