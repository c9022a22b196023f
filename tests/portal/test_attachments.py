"""Attachments are what their content says, live outside any public folder, and leave only
through a view that asks whether the user may see the case."""

from __future__ import annotations

import io

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases.files import check_attachment, size_label
from portal import services
from tests.crafted import bomb_png
from tests.portal.conftest import (
    MINIMAL_PDF,
    fake_image,
    image_bytes,
    jpeg,
    pdf,
    png,
    stored_files,
)

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    "fmt, content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")]
)  # fmt: skip
def test_a_photo_is_recognised_by_its_content_whatever_its_name(fmt, content_type):
    checked = check_attachment(upload("IMG_0001.dat", image_bytes(fmt)))
    assert checked.content_type == content_type


def test_a_pdf_is_recognised_by_its_signature():
    checked = check_attachment(upload("scan", MINIMAL_PDF))
    assert (checked.content_type, checked.extension) == ("application/pdf", "pdf")


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00" + b"\x00" * 64,  # a Windows program
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + b"\x00" * 10,  # a GIF header and nothing behind it
        image_bytes("PNG")[:40],  # a truncated PNG
        b"%PD",  # almost a PDF
    ],
)
def test_anything_else_is_refused_with_its_name(content):
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("证明材料.jpg", content, "image/jpeg"))
    assert "“证明材料.jpg”不是可识别的图片、PDF 或 Office 文件" in refused.value.messages[0]


def test_an_image_format_we_do_not_show_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "BMP")
    with pytest.raises(ValidationError):
        check_attachment(upload("x.bmp", out.getvalue()))


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValidationError):
        check_attachment(png(size=(40, 30)))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("empty.pdf", b""))
    assert "空文件" in refused.value.messages[0]


def test_the_size_cap_is_a_setting_and_the_message_names_both_sizes(settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("scan.pdf", MINIMAL_PDF + b" " * (3 * 1024 * 1024)))
    assert (
        "“scan.pdf”大小为 3 MB，超过了 2 MB 的上限，请压缩后再上传。" == refused.value.messages[0]
    )


def test_sizes_read_like_people_write_them():
    assert [size_label(n) for n in (1024, 1434, 512 * 1024, 10 * 1024 * 1024, 1572864)] == [
        "1 KB", "1.4 KB", "512 KB", "10 MB", "1.5 MB",
    ]  # fmt: skip


# --- stored privately ---------------------------------------------------------------------------


def raised_with(county, *files):
    return services.problem_raise(
        actor=county.eva, title="电价偏高", category=county.power_category, attachments=files
    )


def test_files_are_stored_under_the_private_folder_and_have_no_public_url(county, attachments_root):
    case = raised_with(county, png())
    attachment = case.attachments.get()
    path = attachment.file.path
    assert path.startswith(str(attachments_root))
    assert not path.startswith(str(django_settings.STATIC_ROOT))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_by_default_attachments_live_outside_the_media_folder(settings):
    del settings.PORTAL_ATTACHMENTS_ROOT
    from cases.storage import attachments_root

    assert not str(attachments_root()).startswith(str(settings.MEDIA_ROOT) + "/")
    assert "private" in str(attachments_root())


# --- served through the view -----------------------------------------------------------------


def download(client, user, attachment):
    client.force_login(user)
    return client.get(reverse("portal:attachment", args=[attachment.pk]))


def test_the_contact_and_the_county_staff_of_the_case_can_open_a_photo(client, county):
    case = raised_with(county, png("road.png"))
    attachment = case.attachments.get()
    for user in (county.eva, county.office, county.carl, county.li):
        response = download(client, user, attachment)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
        assert "inline" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_is_downloaded_rather_than_shown(client, county):
    attachment = raised_with(county, pdf("电费单.pdf")).attachments.get()
    response = download(client, county.eva, attachment)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%94%B5%E8%B4%B9%E5%8D%95.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["bea", "dan", "ren", "sam"])
def test_anyone_who_cannot_see_the_case_gets_404(client, county, who):
    attachment = raised_with(county, jpeg()).attachments.get()
    assert download(client, getattr(county, who), attachment).status_code == 404


def test_a_department_sees_the_attachment_once_it_leads_the_case(client, county):
    from cases import workflow

    case = raised_with(county, jpeg())
    attachment = case.attachments.get()
    assert download(client, county.dan, attachment).status_code == 404
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    assert download(client, county.dan, attachment).status_code == 200


def test_without_signing_in_the_attachment_is_not_served(client, county):
    attachment = raised_with(county, jpeg()).attachments.get()
    response = client.get(reverse("portal:attachment", args=[attachment.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_file_gone_from_disk_answers_404_not_500(client, county):
    attachment = raised_with(county, jpeg()).attachments.get()
    attachment.file.delete(save=False)
    assert download(client, county.eva, attachment).status_code == 404


def test_the_service_refuses_a_bad_file_even_without_the_form(county):
    with pytest.raises(ValidationError) as refused:
        raised_with(county, png(), fake_image("x.jpg"))
    assert "attachments" in refused.value.message_dict
    assert not county.steel.cases.exists()


def test_the_case_page_tag_lists_the_attachments_with_links_through_the_view(county):
    from django.template import Context, Template

    case = raised_with(county, png("road.png"), pdf("letter.pdf"))
    html = Template("{% load portal_tags %}{% case_attachments case %}").render(
        Context({"case": case})
    )
    for attachment in case.attachments.all():
        assert reverse("portal:attachment", args=[attachment.pk]) in html
    assert "letter.pdf" in html and 'alt="road.png"' in html


# --- hostile files ------------------------------------------------------------------------------


def test_a_decompression_bomb_sent_through_the_form_is_refused_with_its_size(
    client, county, attachments_root
):
    client.force_login(county.eva)
    bomb = SimpleUploadedFile("工地.png", bomb_png(12_000, 12_000), content_type="image/png")
    response = client.post(
        reverse("portal:raise"),
        {"title": "电价偏高", "category": county.power_category.pk, "attachments": [bomb]},
    )
    assert response.context["form"].errors["attachments"] == [
        "图片“工地.png”为 12000×12000，共 144,000,000 像素，超过了 50,000,000 像素的上限，"
        "请缩小后再上传。"
    ]
    assert not county.steel.cases.exists() and not stored_files(attachments_root)


def test_a_web_page_behind_a_pdf_header_is_refused(county):
    page = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("evil.pdf.html", page, "application/pdf"))
    assert refused.value.messages == [
        "“evil.pdf.html”不是有效的 PDF 文件：无法读出其中的页面。请重新导出或扫描后再上传。"
    ]


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition", "filename"),
    [
        ("evil.pdf.html", MINIMAL_PDF, "application/pdf", "attachment", "evil.pdf"),
        ("x.hta", image_bytes("PNG"), "image/png", "inline", "x.png"),
        ("x.cmd", MINIMAL_PDF, "application/pdf", "attachment", "x.pdf"),
        ("x.svg", image_bytes("PNG"), "image/png", "inline", "x.png"),
    ],
)
def test_a_download_is_named_and_typed_by_its_content_not_by_the_uploaders_name(
    client, county, name, content, content_type, disposition, filename
):
    attachment = raised_with(county, upload(name, content)).attachments.get()
    assert attachment.original_name == name  # kept as the record of what was sent
    response = download(client, county.office, attachment)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'{disposition}; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content_type", "served_as", "filename"),
    [
        ("evil.pdf.html", "application/pdf", "application/pdf", "evil.pdf"),
        ("x.hta", "application/pdf", "application/pdf", "x.pdf"),
        ("x.svg", "image/svg+xml", "application/octet-stream", "x.bin"),
    ],
)
def test_rows_stored_before_the_checks_tightened_download_safely_too(
    client, county, name, content_type, served_as, filename
):
    """The old check let `%PDF-` and a web page through; the name is made at download time."""
    from django.core.files.base import ContentFile

    from cases.models import CaseAttachment

    case = raised_with(county)
    attachment = CaseAttachment(
        case=case, original_name=name, content_type=content_type, size=60, uploaded_by=county.eva
    )
    attachment.file.save("old.bin", ContentFile(b"%PDF-1.4\n<html><script>1</script></html>"))
    response = download(client, county.office, attachment)
    assert response["Content-Type"] == served_as
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
