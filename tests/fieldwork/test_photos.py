"""Visit photos: images only (by content), a size cap, private files served only within scope."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases import workflow
from cases.models import Visit, VisitPhoto
from cases.storage import photo_storage
from fieldwork.photos import check_photo
from fieldwork.services import visit_log
from tests.crafted import bomb_png
from tests.fieldwork.conftest import image_bytes, jpeg, png, today, visit_post


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_the_usual_photo_formats_are_accepted_with_their_real_type(fmt, content_type):
    checked = check_photo(upload("any-name.bin", image_bytes(fmt)))
    assert (checked.content_type, checked.width, checked.height) == (content_type, 40, 30)
    assert Image.open(io.BytesIO(checked.thumbnail)).format == "JPEG"


def test_a_text_file_named_like_a_photo_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_photo(upload("IMG_0001.jpg", b"just some text, not an image"))
    assert refused.value.messages == [
        "“IMG_0001.jpg”不是图片文件，只能上传 JPEG、PNG、WebP 或 GIF 格式的照片。"
    ]


def test_a_truncated_photo_is_refused():
    whole = image_bytes("JPEG", size=(200, 200))
    with pytest.raises(ValidationError):
        check_photo(upload("cut.jpg", whole[: len(whole) // 2]))


def test_an_image_in_a_format_phones_do_not_send_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    with pytest.raises(ValidationError):
        check_photo(upload("scan.bmp", out.getvalue()))


def test_the_size_cap_is_a_setting_and_the_message_says_it(settings):
    settings.VISIT_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        check_photo(upload("big.png", image_bytes("PNG", size=(300, 300))))
    [message] = refused.value.messages
    assert message.startswith("照片“big.png”有 ")
    assert "100\xa0字节" in message or "100\xa0bytes" in message


def test_the_default_cap_is_ten_megabytes():
    from fieldwork.photos import max_photo_bytes

    assert max_photo_bytes() == 10 * 1024 * 1024


def test_a_large_photo_gets_a_small_thumbnail_turned_the_right_way_up():
    image = Image.new("RGB", (2000, 1000), "blue")
    exif = image.getexif()
    exif[0x0112] = 6  # EXIF orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    checked = check_photo(upload("rotated.jpg", out.getvalue()))
    thumb = Image.open(io.BytesIO(checked.thumbnail))
    assert max(thumb.size) <= 640
    assert thumb.size[1] > thumb.size[0]  # portrait after honouring the EXIF rotation


# --- storage and serving ------------------------------------------------------------------------


@pytest.fixture
def photographed(county):
    """A visit by Carl to 荣信钢构 with one problem and one photo."""
    from cases.intake import Problem

    visit, [case] = visit_log(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=today(),
        kind=Visit.Kind.INSPECT,
        problems=[Problem("电压不稳", "", county.power_category)],
        photos=[check_photo(png())],
    )
    return visit, case, visit.photos.get()


def test_photos_are_stored_in_a_private_folder_with_no_public_url(photographed, media_root):
    _, _, photo = photographed
    path = photo_storage().path(photo.image.name)
    assert path.startswith(str(media_root / "private" / "visit-photos"))
    assert "workshop" not in path  # the user's file name never reaches the disk
    with pytest.raises(ValueError):
        _ = photo.image.url


def test_the_visiting_cadre_sees_the_photo_with_its_real_type(client, county, photographed):
    _, _, photo = photographed
    client.force_login(county.carl)
    response = client.get(reverse("fieldwork:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_the_thumbnail_is_a_small_jpeg(client, county, photographed):
    _, _, photo = photographed
    client.force_login(county.carl)
    response = client.get(reverse("fieldwork:photo_thumbnail", args=[photo.pk]))
    assert response["Content-Type"] == "image/jpeg"


def test_the_department_handling_a_problem_of_the_visit_sees_its_photo(
    client, county, photographed
):
    _, case, photo = photographed
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    client.force_login(county.dan)
    assert client.get(reverse("fieldwork:photo", args=[photo.pk])).status_code == 200


@pytest.mark.parametrize("who", ["ren", "bea", "sam"])
def test_nobody_else_can_fetch_the_photo(client, county, photographed, who):
    _, case, photo = photographed
    workflow.case_assign(actor=county.office, case=case, lead_department=county.gxj)
    client.force_login(getattr(county, who))
    assert client.get(reverse("fieldwork:photo", args=[photo.pk])).status_code == 404
    assert client.get(reverse("fieldwork:photo_thumbnail", args=[photo.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, photographed):
    _, _, photo = photographed
    response = client.get(reverse("fieldwork:photo", args=[photo.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_visit_page_shows_the_photo_thumbnails(client, county, photographed):
    visit, case, photo = photographed
    client.force_login(county.carl)
    html = client.get(reverse("fieldwork:visit", args=[visit.pk])).content.decode()
    assert reverse("fieldwork:photo_thumbnail", args=[photo.pk]) in html
    assert case.number in html


def test_a_photo_whose_file_went_missing_answers_404(client, county, photographed):
    _, _, photo = photographed
    photo_storage().delete(photo.image.name)
    client.force_login(county.carl)
    assert client.get(reverse("fieldwork:photo", args=[photo.pk])).status_code == 404


def test_photos_are_kept_as_uploaded_not_re_encoded(county):
    original = jpeg()
    content = original.read()
    original.seek(0)
    visit, _ = visit_log(
        actor=county.carl,
        enterprise=county.steel,
        visited_on=today(),
        kind=Visit.Kind.INSPECT,
        photos=[check_photo(original)],
    )
    stored = VisitPhoto.objects.get(visit=visit)
    with stored.image.open("rb") as handle:
        assert handle.read() == content
    assert stored.size == len(content)


# --- hostile files ------------------------------------------------------------------------------


def test_a_decompression_bomb_on_the_visit_form_is_refused_and_nothing_is_saved(
    carl_client, county, media_root
):
    data = visit_post(county)
    data["photos"] = [SimpleUploadedFile("车间.png", bomb_png(12_000, 12_000), "image/png")]
    response = carl_client.post(reverse("fieldwork:visit_new"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == [
        "图片“车间.png”为 12000×12000，共 144,000,000 像素，超过了 50,000,000 像素的上限，"
        "请缩小后再上传。"
    ]
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_too_many_photos_are_refused_before_any_is_opened(
    carl_client, county, settings, monkeypatch
):
    settings.VISIT_PHOTO_MAX_COUNT = 2
    opened = []
    monkeypatch.setattr("fieldwork.forms.check_photo", opened.append)
    data = visit_post(county)
    data["photos"] = [png("a.png"), png("b.png"), png("c.png")]
    response = carl_client.post(reverse("fieldwork:visit_new"), data)
    assert response.context["form"].errors["photos"] == ["每次走访最多上传 2 张照片。"]
    assert opened == []


def test_a_black_and_white_photo_gets_a_thumbnail_too():
    checked = check_photo(upload("scan.png", bomb_png(1200, 900)))
    assert (checked.width, checked.height) == (1200, 900)
    assert Image.open(io.BytesIO(checked.thumbnail)).size == (640, 480)


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ("x.hta", 'inline; filename="x.png"'),
        ("x.png.svg", 'inline; filename="x.png"'),
        ("", "inline; filename*=utf-8''%E8%B5%B0%E8%AE%BF%E7%85%A7%E7%89%87.png"),  # 走访照片.png
    ],
)
def test_a_photo_downloads_under_a_name_made_from_its_real_type(
    client, county, photographed, name, disposition
):
    _, _, photo = photographed
    VisitPhoto.objects.filter(pk=photo.pk).update(original_name=name)  # as a row kept long ago
    client.force_login(county.carl)
    response = client.get(reverse("fieldwork:photo", args=[photo.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    thumbnail = client.get(reverse("fieldwork:photo_thumbnail", args=[photo.pk]))
    assert thumbnail["Content-Type"] == "image/jpeg"
    assert thumbnail["Content-Disposition"] == disposition.replace(".png", ".jpg")
