"""What an upload is, found out cheaply (cases.uploads), and the name it leaves under
(web.downloads): pictures measured before they are decoded, PDFs parsed, names made from the
checked type."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile
from pypdf import PdfWriter

from cases.uploads import image_check, max_image_pixels, pdf_check
from tests.crafted import bomb_png
from web.downloads import download_name


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None:
        writer.encrypt(password, "owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- pictures --------------------------------------------------------------------------------


def test_a_picture_of_144_million_pixels_is_refused_with_its_name_and_size_before_decoding(
    monkeypatch,
):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(ValidationError) as refused:
        image_check(upload("bomb.png", bomb_png(12_000, 12_000)), name="bomb.png")
    assert refused.value.messages == [
        "图片“bomb.png”为 12000×12000，共 144,000,000 像素，超过了 50,000,000 像素的上限，"
        "请缩小后再上传。"
    ]


def test_a_picture_past_pillows_own_refusal_still_gets_our_message():
    with pytest.raises(ValidationError) as refused:
        image_check(upload("huge.png", bomb_png(20_000, 20_000)), name="huge.png")
    [message] = refused.value.messages
    assert message.startswith("图片“huge.png”超过 178,956,970 像素，远超 50,000,000 像素的上限")


def test_the_pixel_cap_is_a_setting_and_a_picture_at_the_cap_passes(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1200
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "PNG")
    assert image_check(upload("a.png", out.getvalue()), name="a.png").width == 40
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1199
    with pytest.raises(ValidationError):
        image_check(upload("a.png", out.getvalue()), name="a.png")


def test_the_default_cap_admits_a_50_megapixel_phone_photo():
    assert max_image_pixels() == 50_000_000 >= 8160 * 6120


def test_only_the_formats_we_show_are_even_parsed():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "TIFF")
    assert image_check(upload("scan.tif", out.getvalue()), name="scan.tif") is None


# --- PDFs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pages", [1, 3])
def test_a_real_pdf_passes(pages):
    pdf_check(upload("letter.pdf", pdf_bytes(pages)), name="letter.pdf")


def test_a_pdf_locked_with_a_password_passes_once_its_structure_parses():
    pdf_check(upload("locked.pdf", pdf_bytes(password="secret")), name="locked.pdf")


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
        pdf_bytes()[:200],  # cut short
    ],
    ids=["a web page behind the header", "no page at all", "truncated"],
)
def test_what_only_starts_like_a_pdf_is_refused_with_its_name(content):
    with pytest.raises(ValidationError) as refused:
        pdf_check(upload("evil.pdf.html", content), name="evil.pdf.html")
    assert refused.value.messages == [
        "“evil.pdf.html”不是有效的 PDF 文件：无法读出其中的页面。请重新导出或扫描后再上传。"
    ]


# --- download names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "content_type", "expected"),
    [
        ("evil.pdf.html", "application/pdf", "evil.pdf"),
        ("x.hta", "image/png", "x.png"),
        ("x.cmd", "application/pdf", "x.pdf"),
        ("x.svg", "image/png", "x.png"),
        ("电费单.pdf", "application/pdf", "电费单.pdf"),
        ("IMG_0001.JPG", "image/jpeg", "IMG_0001.jpg"),
        ("..\\..\\Windows\\run.bat", "image/gif", "run.gif"),
        ('a"b<c>|d.pdf', "application/pdf", "a_b_c__d.pdf"),
        ("photo\u202egnp.exe", "image/png", "photognp.png"),  # a right-to-left override
        ("line\r\nbreak.pdf", "application/pdf", "linebreak.pdf"),
        (".htaccess", "image/webp", "htaccess.webp"),
        ("", "image/png", "附件.png"),
        ("...", "application/pdf", "附件.pdf"),
        ("page.html", "text/html", "page.bin"),  # a type no check ever gives
    ],
)
def test_a_download_is_named_by_its_checked_type_never_by_the_uploaders_extensions(
    original, content_type, expected
):
    assert download_name(original, content_type, fallback="附件") == expected
