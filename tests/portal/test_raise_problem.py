"""Eva, the contact of 荣信钢构, raises a problem herself: it reaches the office's triage inbox as
submitted, with her photos and PDFs — or, when something is wrong, nothing is saved at all."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, CaseAttachment, CaseEvent
from cases.selectors import cases_visible_to
from tests.crafted import excel_97, office_bytes, word_97
from tests.portal.conftest import MINIMAL_PDF, fake_image, jpeg, pdf, png, stored_files

pytestmark = pytest.mark.django_db
RAISE = reverse("portal:raise")


def post(client, user, **data):
    client.force_login(user)
    return client.post(RAISE, data)


def problem(county, **overrides):
    data = {
        "title": "厂区门口道路缺失，货车无法进出",
        "category": county.power_category.pk,
        "description": "雨天泥泞，重型钢构件运不出去",
    }
    data.update(overrides)
    return data


def test_a_contact_raises_a_problem_that_waits_for_the_offices_triage(client, county):
    response = post(client, county.eva, **problem(county))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#case-{case.pk}")
    assert case.status == Case.Status.SUBMITTED
    assert case.source == Case.Source.SELF_REPORT
    assert case.enterprise == county.steel and case.created_by == county.eva
    assert case.category == county.power_category
    assert cases_visible_to(county.office).filter(status=Case.Status.SUBMITTED).get() == case
    assert case.events.get().kind == CaseEvent.Kind.CREATED


def test_the_new_problem_is_listed_as_submitted_with_its_number(client, county):
    post(client, county.eva, **problem(county))
    body = client.get(reverse("portal:cases"), follow=True).content.decode()
    case = Case.objects.get()
    assert case.number in body and "厂区门口道路缺失" in body
    assert "待交办" in body and "等待县委办交由相关部门办理" in body
    assert "问题已提交" in body  # the confirmation message


def test_photos_and_a_pdf_are_kept_with_the_problem(client, county, attachments_root):
    post(
        client,
        county.eva,
        **problem(county),
        attachments=[png("road.png"), jpeg("gate.jpg"), pdf("letter.pdf")],
    )
    case = Case.objects.get()
    kinds = sorted(case.attachments.values_list("original_name", "content_type"))
    assert kinds == [
        ("gate.jpg", "image/jpeg"),
        ("letter.pdf", "application/pdf"),
        ("road.png", "image/png"),
    ]
    assert len(stored_files(attachments_root)) == 3
    assert all(a.uploaded_by == county.eva for a in case.attachments.all())


def test_the_stored_file_name_is_ours_not_the_uploaders(client, county):
    post(client, county.eva, **problem(county), attachments=[png("../../etc/passwd.png")])
    attachment = CaseAttachment.objects.get()
    assert attachment.original_name == "passwd.png"
    assert ".." not in attachment.file.name and attachment.file.name.endswith(".png")


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "请用一句话写明遇到的问题。"),
        ({"title": "   "}, "title", "请用一句话写明遇到的问题。"),
        ({"category": ""}, "category", "请选择问题类别。"),
        ({"category": "999999"}, "category", "请选择列表中的类别。"),
    ],
)
def test_an_incomplete_problem_is_refused_next_to_its_field(
    client, county, overrides, field, message
):
    response = post(client, county.eva, **problem(county, **overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_an_empty_problem_names_both_missing_fields(client, county):
    response = post(client, county.eva, title="", category="", description="")
    errors = response.context["form"].errors
    assert set(errors) == {"title", "category"}
    assert not Case.objects.exists()


def test_a_post_with_nothing_in_it_is_refused_with_messages(client, county):
    response = post(client, county.eva)
    assert set(response.context["form"].errors) == {"title", "category"}
    assert not Case.objects.exists()


def test_a_deactivated_category_cannot_be_chosen(client, county):
    county.labour_category.active = False
    county.labour_category.save()
    response = post(client, county.eva, **problem(county, category=county.labour_category.pk))
    assert "category" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_program_renamed_as_a_photo_is_refused_and_nothing_is_saved(
    client, county, attachments_root
):
    response = post(
        client, county.eva, **problem(county), attachments=[png("ok.png"), fake_image("photo.jpg")]
    )
    body = response.content.decode()
    assert "“photo.jpg”不是可识别的图片、PDF 或 Office 文件" in body
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    assert stored_files(attachments_root) == []


def test_an_old_word_and_excel_file_are_kept_and_the_form_says_so(client, county):
    client.force_login(county.eva)
    form = client.get(RAISE).content.decode()
    assert ".doc,.docx,.xls,.xlsx" in form and "（.doc、.docx、.xls、.xlsx、.pptx）" in form
    letter = SimpleUploadedFile("申请表.doc", word_97(), content_type="application/msword")
    ledger = SimpleUploadedFile("用电台账.xls", excel_97(), content_type="application/vnd.ms-excel")
    assert (
        post(client, county.eva, **problem(county), attachments=[letter, ledger]).status_code == 302
    )
    kept = CaseAttachment.objects.order_by("pk")
    assert [(a.original_name, a.content_type) for a in kept] == [
        ("申请表.doc", "application/msword"),
        ("用电台账.xls", "application/vnd.ms-excel"),
    ]
    response = client.get(reverse("portal:attachment", args=[kept[0].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/msword"
    assert b"".join(response.streaming_content) == word_97()


def test_office_documents_of_every_kind_are_kept_with_their_full_types(client, county):
    # The Office Open XML types are longer than a picture's: the column holds them (PostgreSQL
    # refuses what does not fit).
    parts = ("word/document.xml", "xl/workbook.xml", "ppt/presentation.xml")
    files = [SimpleUploadedFile(f"材料{i}.bin", office_bytes(part)) for i, part in enumerate(parts)]
    assert post(client, county.eva, **problem(county), attachments=files).status_code == 302
    kept = CaseAttachment.objects.order_by("pk").values_list("content_type", flat=True)
    assert [t.rsplit(".", 1)[-1] for t in kept] == ["document", "sheet", "presentation"]


def test_a_program_renamed_doc_is_refused_naming_it(client, county, attachments_root):
    program = SimpleUploadedFile("申请表.doc", b"MZ\x90\x00" + b"\x00" * 200, "application/msword")
    response = post(client, county.eva, **problem(county), attachments=[program])
    assert "“申请表.doc”不是可识别的图片、PDF 或 Office 文件" in response.content.decode()
    assert not Case.objects.exists() and stored_files(attachments_root) == []


def test_a_truncated_photo_is_refused(client, county):
    broken = SimpleUploadedFile("cut.jpg", jpeg().read()[:60], content_type="image/jpeg")
    response = post(client, county.eva, **problem(county), attachments=[broken])
    assert "“cut.jpg”不是可识别的图片、PDF 或 Office 文件" in response.content.decode()
    assert not Case.objects.exists()


def test_an_oversized_attachment_is_refused_with_the_limit_and_nothing_is_saved(
    client, county, settings, attachments_root
):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024
    big = png("big.png", size=(400, 400))
    assert big.size > 1024
    response = post(client, county.eva, **problem(county), attachments=[big])
    errors = response.context["form"].errors["attachments"]
    assert any("“big.png”" in e and "大小为 1.4 KB，超过了 1 KB 的上限" in e for e in errors)
    assert not Case.objects.exists() and stored_files(attachments_root) == []


def test_a_request_far_beyond_the_caps_is_refused_before_it_is_read(
    client, county, settings, attachments_root
):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024
    settings.PORTAL_ATTACHMENT_MAX_FILES = 1
    huge = SimpleUploadedFile("huge.pdf", MINIMAL_PDF + b" " * (400 * 1024))
    response = post(client, county.eva, **problem(county), attachments=[huge])
    assert response.status_code == 413
    assert "提交的附件太大：最多 1 个，每个不超过 1 KB。" in response.content.decode()
    assert not Case.objects.exists() and stored_files(attachments_root) == []


def test_too_many_attachments_are_refused(client, county, settings):
    settings.PORTAL_ATTACHMENT_MAX_FILES = 2
    response = post(
        client, county.eva, **problem(county), attachments=[png("a.png"), png("b.png"), pdf()]
    )
    assert "最多上传 2 个附件。" in response.context["form"].errors["attachments"]
    assert not Case.objects.exists()


def test_every_bad_attachment_is_named_at_once(client, county):
    response = post(
        client,
        county.eva,
        **problem(county),
        attachments=[fake_image("one.jpg"), fake_image("two.jpg")],
    )
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "“one.jpg”" in errors and "“two.jpg”" in errors


def test_a_failure_while_storing_removes_the_files_already_written(
    client, county, attachments_root, monkeypatch
):
    from cases import models

    calls = {"n": 0}
    original = models.CaseAttachment.save

    def fail_on_second(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(models.CaseAttachment, "save", fail_on_second)
    client.raise_request_exception = False
    response = post(client, county.eva, **problem(county), attachments=[png("a.png"), png("b.png")])
    assert response.status_code == 500
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    assert stored_files(attachments_root) == []


@pytest.mark.parametrize("who", ["office", "dan", "carl", "sam"])
def test_only_an_enterprise_contact_may_use_the_form(client, county, who):
    client.force_login(getattr(county, who))
    assert client.get(RAISE).status_code == 403
    assert client.post(RAISE, problem(county)).status_code == 403
    assert not Case.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client, county):
    response = client.get(RAISE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_on_a_phone_offers_the_active_categories_and_the_limits(client, county):
    client.force_login(county.eva)
    body = client.get(RAISE).content.decode()
    assert "用电用能" in body and "用工人才" in body
    assert 'enctype="multipart/form-data"' in body
    assert "每个不超过 10 MB" in body


def test_the_form_says_how_soon_a_department_will_call(client, county, settings):
    settings.CONTACT_DEADLINE_WORKING_DAYS = 5
    client.force_login(county.eva)
    assert "部门须在 5 个工作日内与您对接" in client.get(RAISE).content.decode()
