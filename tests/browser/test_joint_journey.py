"""Joint handling of one problem for two enterprises (并案办理, cases.joint; issue 17), at a phone's
390 px and a desktop's 1,280 px: 荣信钢构 (Eva) and 桂柳家禽 (Bea) both raise the unfinished park
road in the portal. The office, told of each, finds them side by side in triage, puts them under
joint handling and assigns the group to 县工信局 as one piece of work. Dan there sees both and
accepts and replies once, on the main case. Each enterprise sees only its own case — never the
other's name, and the other's case is a 404 — gets its own reply, rates on its own, and the office
closes each out on its own.

Each step checks what the next person sees and is told: the in-app messages at /notifications/,
the case page, the portal."""

from __future__ import annotations

from cases.models import Case
from enterprises.models import EnterpriseContact
from tests.browser.conftest import DESKTOP, fits, inbox, login, portal_card, screenshot
from tests.browser.conftest import PHONE_390 as PHONE


def raise_problem(page, title: str) -> Case:
    page.goto("/portal/raise/")
    page.fill("#id_title", title)
    page.select_option("#id_category", label="用工人才")
    page.fill("#id_description", "园区道路一直没有修通，雨天泥泞，重型货车进不来")
    page.locator("#raise-form button[type=submit]").click()
    page.wait_for_url("**/portal/*")
    return Case.objects.get(title=title)


def test_two_enterprises_raise_one_problem_handled_jointly_each_with_its_own_reply_and_rating(
    county, open_browser
):
    """Eva and Dan on phones, Bea and the office on laptops: each page is checked at the size its
    reader uses it at."""
    steel, poultry = county.steel.name, county.poultry.name
    county.bea.first_name = "柳桂英"
    county.bea.save()
    EnterpriseContact.objects.filter(user=county.bea).update(phone="13900000002")

    eva = open_browser(viewport=PHONE)
    login(eva, "eva")
    first = raise_problem(eva, "园区道路未修通，货车进不来")
    bea = open_browser(viewport=DESKTOP)
    login(bea, "bea")
    second = raise_problem(bea, "园区道路没有修通，货车进不来")

    # --- the office is told of each and puts them under joint handling ------------------------
    office = open_browser(viewport=DESKTOP)
    login(office, "office")
    told = inbox(office)
    assert f"【新问题】{first.number}" in told and f"【新问题】{second.number}" in told
    office.goto("/office/")
    row = office.locator(f"#case-{second.pk}")
    assert first.number in row.locator(".duplicates").inner_text()
    assert steel in row.locator(".duplicates").inner_text()  # the office sees both names
    assert fits(office)
    screenshot(office, "joint-office-triage")
    row.get_by_role("button", name=f"与 {first.number} 并案办理").click()
    office.wait_for_load_state("networkidle")
    assert f"问题 {second.number} 已并案办理" in office.locator("main").inner_text()
    main_row = office.locator(f"#case-{first.pk}")
    members = main_row.locator(".joint-members").inner_text()
    assert "并案办理：与另外 1 家企业的同类问题一并交办" in members
    assert second.number in members and poultry in members
    assert office.locator(f"#case-{second.pk}").count() == 0  # listed under its main case
    assert fits(office)
    screenshot(office, "joint-office-joined")

    # One assignment for the group.
    main_row.get_by_role("link", name="交办", exact=True).click()
    office.select_option(f"#id_c{first.pk}-lead_department", str(county.gxj.pk))
    office.click("#preview-assign")
    office.wait_for_selector("#preview-table")
    assert fits(office)
    office.click("#confirm-assign")
    office.wait_for_load_state("networkidle")
    assert "已交办 1 件问题。" in office.locator("main").inner_text()
    for case in (first, second):
        case.refresh_from_db()
        assert (case.status, case.lead_department) == (Case.Status.ASSIGNED, county.gxj)
    assert second.joint_group_id == first.pk and second.contact_due_at == first.contact_due_at

    # --- 县工信局 is told, and works on the main case, seeing both ---------------------------------
    dan = open_browser(viewport=PHONE)
    login(dan, "dan")
    # One piece of work: the main case's message names the other, the other's needs no acceptance.
    told = inbox(dan)
    assert f"【新交办】{first.number}" in told
    assert f"并案办理：{second.number}（{poultry}）与本件一并办理，请联系每家企业" in told
    assert f"【并案交办】{second.number}" in told
    assert f"随主办件 {first.number} 一并办理" in told and "本件无需单独签收" in told
    screenshot(dan, "joint-dept-told")
    dan.goto("/dept/")
    main_entry = dan.locator(f"[data-case='{first.number}']").inner_text()
    member_entry = dan.locator(f"[data-case='{second.number}']").inner_text()
    assert "并案主办件" in main_entry and "并案：在主办件上办理" in member_entry
    assert fits(dan)
    screenshot(dan, "joint-dept-inbox")
    dan.goto(f"/cases/{first.pk}/")
    joint = dan.locator("#joint").inner_text()
    assert "与 1 家企业的同类问题一并办理" in joint and "本件为主办件" in joint
    assert second.number in joint and poultry in joint
    # Dan calls both enterprises: the other's contacts are beside the main one's.
    others = dan.locator(f".joint-contacts[data-case='{second.number}']").inner_text()
    assert poultry in others
    book = dan.locator("#enterprise-contacts .joint-contacts-list").inner_text()
    assert "柳桂英" in book and "13900000002" in book
    assert dan.locator("#enterprise-contacts a[href='tel:13900000002']").count() == 1
    accept = dan.locator("form[data-action=accept]")
    assert "会同时发给另外 1 家企业" in accept.inner_text()
    accept.get_by_label("上门").check()
    accept.get_by_label("对接人", exact=True).select_option(index=1)
    accept.locator("textarea").fill("已与园区管委会和两家企业现场查看道路")
    accept.locator("button[type=submit]").click()
    dan.wait_for_load_state("networkidle")
    assert dan.locator("#case-status").inner_text() == "办理中"
    reply = dan.locator("form[data-action=reply]")
    reply.get_by_label("已解决").check()
    reply.locator("textarea").fill("园区道路已铺设沥青并通车，货车可正常进出。")
    screenshot(dan, "joint-dept-replying")
    reply.locator("button[type=submit]").click()
    dan.wait_for_load_state("networkidle")
    assert dan.locator("#case-status").inner_text() == "已反馈"
    for case in (first, second):
        case.refresh_from_db()
        assert case.status == Case.Status.REPLIED and "沥青" in case.reply

    # --- each enterprise sees its own case only, with its own reply ------------------------------
    for page, mine, other, other_name, who in (
        (eva, first, second, poultry, "eva"),
        (bea, second, first, steel, "bea"),
    ):
        assert mine.number in inbox(page)
        card = portal_card(page, mine)
        assert "办理结果已反馈，请您评价。" in card
        listing = page.locator("main").inner_text()
        assert other.number not in listing and other_name not in listing
        assert page.locator(".portal-case").count() == 1
        screenshot(page, f"joint-{who}-portal")
        page.goto(f"/cases/{mine.pk}/")
        text = page.locator("main").inner_text()
        assert "与 1 家企业的同类问题一并办理" in text
        assert "沥青" in page.locator("#case-reply").inner_text()
        assert other.number not in text and other_name not in text
        assert fits(page)
        screenshot(page, f"joint-{who}-case")
        response = page.goto(f"/cases/{other.pk}/")
        assert response.status == 404

    # Each rates on its own: Eva is satisfied, Bea very satisfied.
    for page, case, level, comment in (
        (eva, first, "满意", "道路通了"),
        (bea, second, "非常满意", "货车进出方便多了"),
    ):
        page.goto(f"/cases/{case.pk}/")
        rate = page.locator("form[data-action=rate]")
        rate.get_by_label(level, exact=True).check()
        rate.locator("textarea").fill(comment)
        rate.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "已评价，等待县委办销号。" in portal_card(page, case)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rating, second.rating) == ("satisfied", "very_satisfied")

    # --- the office closes each out on its own -----------------------------------------------------
    office.goto("/office/closeout/")
    assert "道路通了" in office.locator(f"#closeout-{first.pk}").inner_text()
    assert "货车进出方便多了" in office.locator(f"#closeout-{second.pk}").inner_text()
    assert fits(office)
    screenshot(office, "joint-office-closeout")
    office.check(f"#close-{second.pk}")
    office.click("#close-selected")
    office.wait_for_selector(".alert-success")
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == (Case.Status.REPLIED, Case.Status.CLOSED)
    assert "已办结销号" in portal_card(bea, second)
    assert "已评价，等待县委办销号。" in portal_card(eva, first)
    office.goto("/office/closeout/")
    office.check(f"#close-{first.pk}")
    office.click("#close-selected")
    office.wait_for_selector(".alert-success")
    first.refresh_from_db()
    assert first.status == Case.Status.CLOSED
    assert "已办结销号" in portal_card(eva, first)
    screenshot(eva, "joint-eva-closed")
