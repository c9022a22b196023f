"""Files on progress notes and replies (issue 17, "no proof"): photos, PDFs and Office documents,
checked by their content like the enterprise's attachments (cases.attachments), public or internal
with their note, and downloaded only by whoever may read the note."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases import workflow
from cases.models import Case, CaseEvent, EventAttachment
from cases.uploads import OLE_SIGNATURE
from tests.crafted import bomb_png, excel_97, office_bytes, ole_file, word_97
from tests.portal.conftest import MINIMAL_PDF, jpeg, pdf, png, stored_files

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"
    return settings.PORTAL_ATTACHMENTS_ROOT


def docx(name: str = "答复函.docx", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, office_bytes(**kwargs), content_type=DOCX)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_progress(user, case, note, files, public=True):
    data = {"progress-note": note, "progress-attachments": files}
    if public:
        data["progress-public"] = "on"
    return client_for(user).post(reverse("case_act", args=[case.pk, "progress"]), data)


def post_reply(user, case, files, reply="已增设一台变压器，详见答复函"):
    data = {"reply-outcome": "resolved", "reply-reply": reply, "reply-attachments": files}
    return client_for(user).post(reverse("case_act", args=[case.pk, "reply"]), data)


def file_url(attachment: EventAttachment) -> str:
    return reverse("case_event_file", args=[attachment.case_id, attachment.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- what is kept and shown ---------------------------------------------------------------------


def test_a_progress_note_with_a_photo_and_a_pdf_keeps_both_and_the_timeline_links_them(county):
    case = county.in_progress()
    response = post_progress(
        county.dan, case, "变压器已到货", [jpeg("到货.jpg"), pdf("验收单.pdf")]
    )
    assert response.status_code == 302
    event = CaseEvent.objects.get(case=case, kind="progress")
    photo, scan = event.attachments.order_by("pk")
    assert (photo.original_name, photo.content_type) == ("到货.jpg", "image/jpeg")
    assert (scan.original_name, scan.content_type) == ("验收单.pdf", "application/pdf")
    assert photo.uploaded_by == county.dan and photo.case_id == case.pk

    page = client_for(county.eva).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert file_url(photo) in page and file_url(scan) in page and "验收单.pdf" in page

    shown = client_for(county.eva).get(file_url(photo))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    saved = client_for(county.eva).get(file_url(scan))
    assert saved["Content-Type"] == "application/pdf"
    assert saved["Content-Disposition"].startswith("attachment")
    assert body(saved) == MINIMAL_PDF


def test_a_reply_with_a_docx_reaches_the_enterprise_which_downloads_it(county):
    case = county.in_progress()
    assert post_reply(county.dan, case, [docx("答复函.exe")]).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REPLIED
    [letter] = EventAttachment.objects.filter(event__case=case, event__kind="replied")
    assert letter.content_type == DOCX and letter.event.public

    page = client_for(county.eva).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert file_url(letter) in page
    response = client_for(county.eva).get(file_url(letter))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    # Named by its checked type, never by the uploader's extension.
    assert "filename*=utf-8''%E7%AD%94%E5%A4%8D%E5%87%BD.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert zipfile.ZipFile(io.BytesIO(body(response))).namelist()[1] == "word/document.xml"


def test_an_xlsx_and_a_pptx_are_recognised_by_their_main_part(county):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan,
        case=case,
        note="台账和汇报材料",
        attachments=[
            SimpleUploadedFile("台账", office_bytes("xl/workbook.xml")),
            SimpleUploadedFile("汇报.docx", office_bytes("ppt/presentation.xml")),
        ],
    )
    kinds = list(EventAttachment.objects.order_by("pk").values_list("content_type", flat=True))
    assert kinds == [
        XLSX,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]


def test_an_old_word_and_excel_file_are_taken_by_their_streams_and_downloaded_as_such(county):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan,
        case=case,
        note="答复函和台账（旧版 Office）",
        public=True,
        attachments=[
            SimpleUploadedFile("答复函.doc", word_97(), content_type="application/msword"),
            SimpleUploadedFile("台账.dat", excel_97()),  # the name says nothing; the streams do
        ],
    )
    letter, ledger = EventAttachment.objects.order_by("pk")
    assert (letter.content_type, ledger.content_type) == (
        "application/msword",
        "application/vnd.ms-excel",
    )
    assert letter.file.name.endswith(".doc") and ledger.file.name.endswith(".xls")
    response = client_for(county.eva).get(file_url(ledger))
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.ms-excel"
    assert "filename*=utf-8''%E5%8F%B0%E8%B4%A6.xls" in response["Content-Disposition"]
    assert body(response) == excel_97()


def test_a_workbook_saved_by_wps_office_is_taken(county):
    # WPS writes a class id into the compound file's header, which the specification wants zero.
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan,
        case=case,
        note="台账（WPS 表格）",
        attachments=[SimpleUploadedFile("台账.xls", excel_97(wps=True))],
    )
    assert EventAttachment.objects.get().content_type == "application/vnd.ms-excel"


def test_a_program_renamed_doc_is_refused_naming_the_file_on_the_page(county, files_root):
    case = county.in_progress()
    program = SimpleUploadedFile("答复函.doc", b"MZ\x90\x00" + b"\x00" * 200, "application/msword")
    response = post_progress(county.dan, case, "答复函", [program])
    assert response.status_code == 400
    assert "“答复函.doc”不是可识别的图片、PDF 或 Office 文件" in response.content.decode()
    assert not EventAttachment.objects.exists() and stored_files(files_root) == []


# --- internal with the note ---------------------------------------------------------------------


def test_an_internal_notes_file_is_404_for_the_enterprise_and_another_department(county):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan,
        case=case,
        note="内部协调纪要",
        public=False,
        attachments=[png("纪要.png")],
    )
    [minutes] = EventAttachment.objects.all()
    url = file_url(minutes)
    for outsider in (county.eva, county.ren, county.bea, county.sam):
        assert client_for(outsider).get(url).status_code == 404, outsider.username
    for insider in (county.dan, county.hu, county.office, county.li):
        assert client_for(insider).get(url).status_code == 200, insider.username
    page = client_for(county.eva).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "纪要.png" not in page and url not in page


def test_a_file_is_found_only_under_its_own_case(county):
    first, second = county.in_progress(), county.in_progress()
    workflow.case_add_progress(
        actor=county.dan, case=first, note="现场照片", public=True, attachments=[png()]
    )
    [photo] = EventAttachment.objects.all()
    dan = client_for(county.dan)
    assert dan.get(file_url(photo)).status_code == 200
    assert dan.get(reverse("case_event_file", args=[second.pk, photo.pk])).status_code == 404
    assert dan.get(reverse("case_event_file", args=[first.pk, photo.pk + 999])).status_code == 404


def test_a_download_needs_a_login(county):
    case = county.in_progress()
    workflow.case_add_progress(
        actor=county.dan, case=case, note="现场照片", public=True, attachments=[png()]
    )
    response = Client().get(file_url(EventAttachment.objects.get()))
    assert response.status_code == 302 and "login" in response["Location"]


# --- refused, with nothing saved ----------------------------------------------------------------


def fake_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")


def fake_docx() -> SimpleUploadedFile:
    return SimpleUploadedFile("答复函.docx", b"PK\x03\x04" + b"not really a zip" * 20)


def bomb() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场.png", bomb_png(12_000, 12_000), content_type="image/png")


@pytest.mark.parametrize(
    "bad, message",
    [
        (bomb, "图片“现场.png”为 12000×12000，共 144,000,000 像素，超过了 50,000,000 像素的上限"),
        (fake_pdf, "“答复函.pdf”不是有效的 PDF 文件"),
        (fake_docx, "“答复函.docx”不是有效的 Word、Excel 或 PowerPoint 文件"),
    ],
)
def test_a_bad_file_refuses_the_whole_note_and_nothing_is_saved(county, files_root, bad, message):
    case = county.in_progress()
    response = post_progress(county.dan, case, "变压器已到货", [png("good.png"), bad()])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind="progress").exists()
    assert not EventAttachment.objects.exists()
    assert stored_files(files_root) == []


def test_a_bad_file_refuses_the_reply_and_the_case_stays_in_progress(county, files_root):
    case = county.in_progress()
    response = post_reply(county.dan, case, [fake_docx()])
    assert response.status_code == 400
    assert "“答复函.docx”不是有效的 Word、Excel 或 PowerPoint 文件" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.reply == ""
    assert not CaseEvent.objects.filter(case=case, kind="replied").exists()
    assert stored_files(files_root) == []


def test_a_document_unpacking_past_the_import_cap_is_refused(county, settings, files_root):
    settings.ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    padded = docx(extra={"word/media/padding.xml": "0" * (2 * 1024 * 1024)})
    assert padded.size < 100 * 1024  # it compresses well: only its unpacked size gives it away
    with pytest.raises(workflow.ValidationError) as refused:
        workflow.case_add_progress(
            actor=county.dan, case=county.in_progress(), note="答复函", attachments=[padded]
        )
    [message] = refused.value.message_dict["attachments"]
    assert message.startswith("“答复函.docx”解压后有 2.0 MB，超过了 1 MB 的上限")
    assert stored_files(files_root) == []


NOT_WORD_OR_EXCEL = "不是有效的 Word 或 Excel 文件（.doc、.xls）"


@pytest.mark.parametrize(
    "content, message",
    [
        (OLE_SIGNATURE + b"\x00" * 600, NOT_WORD_OR_EXCEL),  # the signature, and no compound file
        (word_97()[:3000], NOT_WORD_OR_EXCEL),  # cut short: its sectors are missing
        (excel_97()[:2000], NOT_WORD_OR_EXCEL),  # cut in its stream, the globals still whole
        # An installer (.msi), a presentation: compound files, but neither Word nor Excel.
        (
            ole_file({"\u4840\u3f3f\u4577": b"tables", "\x05SummaryInformation": b"\xfe\xff"}),
            NOT_WORD_OR_EXCEL,
        ),
        (ole_file({"PowerPoint Document": b"\x0f\x00\xe8\x03"}), "请“另存为”.pptx"),
        (ole_file({"WordDocument": b"<html>"}), NOT_WORD_OR_EXCEL),  # no Word identifier
        (ole_file({"Workbook": b"<html>"}), NOT_WORD_OR_EXCEL),  # no BOF record
        (word_97(macros=True), "含有宏"),
        (excel_97(sheet_type=1), "含有宏"),  # an Excel 4.0 macro sheet
        (excel_97(password=True), "设有打开密码"),
        (ole_file({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x00"}), "设有打开密码"),
        (office_bytes(extra={"word/vbaProject.bin": "macro"}), "含有宏"),
        (b"MZ\x90\x00" + b"\x00" * 200, "不是可识别的图片、PDF 或 Office 文件"),
        (b"", "是空文件"),
    ],
)
def test_damaged_or_foreign_compound_files_macros_programs_and_empty_files_are_refused(
    county, content, message
):
    case = county.in_progress()
    with pytest.raises(workflow.ValidationError) as refused:
        workflow.case_add_progress(
            actor=county.dan,
            case=case,
            note="材料",
            attachments=[SimpleUploadedFile("材料.doc", content)],
        )
    [text] = refused.value.message_dict["attachments"]
    assert text.startswith("“材料.doc”") and message in text


def test_a_note_takes_at_most_the_set_number_of_files_each_within_the_size_cap(county, settings):
    settings.CASE_EVENT_ATTACHMENT_MAX_FILES = 2
    case = county.in_progress()
    with pytest.raises(workflow.ValidationError) as refused:
        workflow.case_add_progress(
            actor=county.dan, case=case, note="照片", attachments=[png(), png(), png()]
        )
    assert refused.value.message_dict["attachments"] == ["最多上传 2 个附件。"]
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(workflow.ValidationError) as refused:
        workflow.case_add_progress(actor=county.dan, case=case, note="照片", attachments=[png()])
    [text] = refused.value.message_dict["attachments"]
    assert text.startswith("“transformer.png”大小为")
    assert not CaseEvent.objects.filter(case=case, kind="progress").exists()


def test_the_forms_send_files_and_say_what_they_take(county):
    case = county.in_progress()
    page = client_for(county.dan).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert page.count('enctype="multipart/form-data"') == 2  # progress and reply
    assert 'name="progress-attachments"' in page and 'name="reply-attachments"' in page
    assert "最多 5 个，每个不超过 10 MB" in page
