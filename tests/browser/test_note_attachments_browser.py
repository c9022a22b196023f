"""A clerk sends a photo and a PDF with a progress note from a phone; the enterprise sees them on
its case page and opens the photo (issue 17: proof on notes and replies)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import workflow
from cases.models import Case, EventAttachment
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot
from tests.crafted import word_97
from tests.portal.conftest import MINIMAL_PDF, image_bytes


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):
    settings.PORTAL_ATTACHMENTS_ROOT = tmp_path / "attachments"


def test_a_clerk_sends_a_photo_and_a_pdf_and_the_enterprise_opens_them(county, open_browser):
    case = county.in_progress()
    page = open_browser(viewport=PHONE)
    login(page, "dan")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#action-progress .card-header").click()
    form = page.locator("form[data-action=progress]")
    form.locator("textarea").fill("变压器已到货，附到货照片和验收单")
    form.locator("input[type=file]").set_input_files(
        [
            {"name": "到货.png", "mimeType": "image/png", "buffer": image_bytes("PNG")},
            {"name": "验收单.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF},
        ]
    )
    screenshot(page, "note-files-form-phone")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert EventAttachment.objects.filter(case=case).count() == 2
    files = page.locator("#timeline .event-files a")
    assert [t.strip() for t in files.all_inner_texts()] == ["到货.png", "验收单.pdf"]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        enterprise = open_browser(viewport=viewport)
        login(enterprise, "eva")
        enterprise.goto(f"/cases/{case.pk}/")
        screenshot(enterprise, f"note-files-enterprise-{name}")
        link = enterprise.locator("#timeline .event-files a", has_text="到货.png")
        assert enterprise.evaluate("document.documentElement.scrollWidth <= innerWidth")
        response = enterprise.request.get(link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"] == "image/png"


NARROW = {"width": 390, "height": 844}
LONG_NAME = "关于园区道路长期未修通导致货车无法进出影响生产经营的情况说明及现场附图"


def test_old_word_files_on_a_joint_case_at_390_px(county, open_browser, tmp_path):
    """Eva raises the road problem from her phone with an old .doc; it is joined with the poultry
    farm's; the department replies with a .doc. The clerk's case page shows both; Bea, whose case
    is the member, reads and downloads the reply's file and never sees Eva's."""
    eva = open_browser(viewport=NARROW)
    login(eva, "eva")
    eva.goto("/portal/raise/")
    eva.fill("#id_title", "园区道路未修通，货车进不来")
    eva.select_option("#id_category", label="用电用能")
    form_doc = tmp_path / f"{LONG_NAME}.doc"  # a long name: it must wrap, not widen
    form_doc.write_bytes(word_97())
    eva.set_input_files("#id_attachments", str(form_doc))
    assert ".doc、.docx、.xls、.xlsx" in eva.locator("#raise-form").inner_text()
    screenshot(eva, "doc-raise-form-390")
    eva.locator("#raise-form button[type=submit]").click()
    eva.wait_for_url("**/portal/*")
    main = Case.objects.get(source=Case.Source.SELF_REPORT)
    assert main.attachments.get().content_type == "application/msword"

    member = county.submitted(enterprise=county.poultry, title="园区道路没有修通")
    workflow.case_join(actor=county.office, case=member, into=main)
    workflow.case_assign(actor=county.office, case=main, lead_department=county.gxj)
    workflow.case_accept(
        actor=county.dan, case=main, contact_note="现场查看", contact_method="visit"
    )
    workflow.case_reply(
        actor=county.dan,
        case=main,
        outcome="resolved",
        reply="道路已修通，详见答复函",
        attachments=[SimpleUploadedFile("关于园区道路的答复函.doc", word_97())],
    )

    clerk = open_browser(viewport=NARROW)
    login(clerk, "dan")
    clerk.goto(f"/cases/{main.pk}/")
    assert f"{LONG_NAME}.doc" in clerk.locator("#case-attachments").inner_text()
    reply_files = clerk.locator("#timeline .event-files a")
    assert [t.strip() for t in reply_files.all_inner_texts()] == ["关于园区道路的答复函.doc"]
    assert clerk.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(clerk, "doc-case-page-390")

    bea = open_browser(viewport=NARROW)
    login(bea, "bea")
    bea.goto(f"/cases/{member.pk}/")
    link = bea.locator("#timeline .event-files a", has_text="关于园区道路的答复函.doc")
    assert link.count() == 1 and LONG_NAME not in bea.locator("main").inner_text()
    assert bea.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(bea, "doc-member-enterprise-390")
    response = bea.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/msword"
    assert response.body() == word_97()
    own = main.attachments.get()
    assert bea.request.get(f"/portal/attachments/{own.pk}/").status == 404

    eva.goto(f"/cases/{main.pk}/")  # her own case: her file and the reply's
    assert f"{LONG_NAME}.doc" in eva.locator("#case-attachments").inner_text()
    assert eva.locator("#timeline .event-files a", has_text="答复函.doc").count() == 1
    assert eva.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(eva, "doc-enterprise-own-390")
    response = eva.request.get(f"/portal/attachments/{own.pk}/")
    assert response.status == 200 and response.body() == word_97()
