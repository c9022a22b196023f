"""A clerk sends a photo and a PDF with a progress note from a phone; the enterprise sees them on
its case page and opens the photo (issue 17: proof on notes and replies)."""

import pytest

from cases.models import EventAttachment
from tests.browser.conftest import DESKTOP, PHONE, login, screenshot
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
