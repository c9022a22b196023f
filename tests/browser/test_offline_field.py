"""Offline-first field capture (issue 20), walked in Chromium on a 390 px phone.

With the connection cut (context.set_offline), a cadre opens the installed app's visit form, types a
visit with two problems and a 10 MB photo, reloads (the draft is back), saves (the visit waits in
"待上传 1 条"), reloads again (still waiting), reads 我的企业 from the kept data, and comes back
online: the queue uploads by itself and the server ends with exactly one visit, two cases and one
photo under 1 MB — although the first answer was lost on the way and the visit was sent twice.
A visit whose enterprise moved to another task force meanwhile is refused in plain words and kept
on the phone; signing out deletes everything the app kept.

Screenshots: test-artifacts/screenshots/offline-*.png.
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from PIL import Image

from cases.models import Case, Visit, VisitPhoto
from taskforces.models import TaskForceEnterprise
from tests.browser.conftest import PHONE_390, login, screenshot, wait_until
from tests.browser.test_accessibility import axe_violations, with_axe

LAPTOP = {"width": 1024, "height": 800}

NO_BACKGROUND_SYNC = (
    "Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', {get: () => undefined});"
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def shot(page, name: str) -> None:
    screenshot(page, name)


def ten_megabyte_photo(path: Path) -> Path:
    """A 4,000 × 3,000 camera-sized JPEG of about 10 MB: a gradient with grain, as a phone saves it."""
    width, height = 4000, 3000
    gradient = Image.linear_gradient("L").resize((width, height))
    grain = Image.frombytes("L", (width, height), os.urandom(width * height))
    red = Image.blend(gradient, grain, 0.35)
    picture = Image.merge("RGB", (red, gradient.transpose(Image.Transpose.ROTATE_180), grain))
    picture.save(path, "JPEG", quality=97)
    return path


def installed(page, timeout: float = 30.0) -> None:
    """The service worker is active, controls this page and has kept the app shell."""
    state = ""
    deadline = time.monotonic() + timeout
    while state != "ok":
        if time.monotonic() > deadline:
            raise AssertionError(f"the app is not installed after {timeout} s: {state}")
        if state == "page not controlled":
            # This page's navigation began before the worker was active and its clients.claim()
            # passed it by (a race the browser allows): the next load of the page is controlled.
            page.reload()
        page.wait_for_timeout(100)
        state = page.evaluate(
            """async () => {
              const r = await navigator.serviceWorker.getRegistration('/field/');
              if (!r) return 'no registration';
              if (!r.active) return 'no active worker (installing: ' + !!r.installing + ')';
              if (r.active.state !== 'activated') return 'worker ' + r.active.state;
              if (!navigator.serviceWorker.controller) return 'page not controlled';
              const kept = [];
              for (const name of await caches.keys()) {
                const c = await caches.open(name);
                for (const url of ['/field/', '/field/visits/new/']) {
                  if (await c.match(url)) kept.push(url);
                }
              }
              return kept.length === 2 ? 'ok' : 'pages kept: ' + JSON.stringify(kept);
            }"""
        )


def queue(page) -> list[dict]:
    return page.evaluate(
        """async () => (await FieldStore.queue()).map((i) => ({
          id: i.id, state: i.state, message: i.message || '', visit: i.visit || null,
          photos: i.photos.map((p) => ({done: !!p.done, size: p.blob ? p.blob.size : null})),
        }))"""
    )


def fill_visit(page, county, photo: Path) -> None:
    page.select_option("#id_enterprise", label=county.steel.name)
    page.click("label[for=id_kind_1]")  # 走访问实情
    page.fill("#id_notes", "车间里没有信号：与付董座谈，电压不稳，焊工也招不够。")
    page.fill("#id_problems-0-title", "电压不稳，无法满负荷生产")
    page.select_option("#id_problems-0-category", label="用电用能")
    page.click("#add-problem")  # offline: a copy of the page's template row, no round trip
    page.fill("#id_problems-1-title", "招不到持证焊工")
    page.fill("#id_problems-1-description", "缺20名焊工，影响订单交付")
    page.select_option("#id_problems-1-category", label="用工人才")
    page.set_input_files("#id_photos", str(photo))
    # Shrunk on the phone before anything is kept: under 1 MB, long side 1,920 px.
    wait_until(
        page,
        "() => { const f = document.getElementById('id_photos').files[0];"
        " return f && f.size < 1024 * 1024; }",
        timeout=30,
    )
    wait_until(
        page, "async () => { const d = await FieldStore.getDraft(); return d && d.photos.length; }"
    )


def test_a_visit_typed_offline_is_kept_queued_and_uploaded_once(
    county, open_browser, media_root, tmp_path
):
    photo = ten_megabyte_photo(tmp_path / "IMG_0001.jpg")
    assert photo.stat().st_size >= 9.5 * 1024 * 1024
    page = open_browser(viewport=PHONE_390)
    context = page.context
    # As a browser without Background Sync (Firefox, Safari): the page uploads, on the `online`
    # event — and its requests are the ones context.route sees.
    context.add_init_script(NO_BACKGROUND_SYNC)
    login(page, "carl")
    page.goto("/field/")
    installed(page)

    # No signal: the form opens from what the app kept.
    context.set_offline(True)
    page.goto("/field/visits/new/")
    assert page.locator("#visit-form").is_visible()
    fill_visit(page, county, photo)

    # A reload (or a closed browser) gives the draft back, photo included.
    page.reload()
    wait_until(page, "() => document.getElementById('id_problems-1-title')")
    wait_until(page, "() => document.getElementById('id_photos').files.length === 1")
    assert page.input_value("#id_problems-1-title") == "招不到持证焊工"
    assert page.input_value("#id_problems-0-category") == str(county.power_category.pk)
    assert page.locator("#id_kind_1").is_checked()
    assert "已恢复" in page.locator("#visit-status").inner_text()
    shot(page, "offline-1-draft-restored-390")

    page.click("#save-visit")
    page.wait_for_selector("#upload-queue:not([hidden]) .upload-item")
    assert "待上传 1 条" in page.locator("#upload-queue-title").inner_text()
    assert "保存在本机" in page.locator("#visit-status").inner_text()
    assert page.input_value("#id_notes") == ""  # ready for the next visit
    shot(page, "offline-2-queued-390")

    page.reload()
    page.wait_for_selector("#upload-queue:not([hidden]) .upload-item")
    [item] = queue(page)
    assert item["state"] == "queued" and item["photos"][0]["size"] < 1024 * 1024
    assert "待上传" in page.locator(f"#upload-{item['id']}").inner_text()
    assert Visit.objects.count() == 0

    # 我的企业 offline: drawn from the kept data, with its age.
    page.goto("/field/")
    page.wait_for_selector("#offline-banner:not([hidden])")
    assert "离线，数据更新于" in page.locator("#offline-banner").inner_text()
    assert county.steel.name in page.locator("#enterprise-list").inner_text()
    assert "待上传 1 条" in page.locator("#upload-queue-title").inner_text()
    shot(page, "offline-3-enterprises-390")

    # Back online. The server saves the visit but its answer is lost on the way: the phone retries
    # and is told "uploaded before".
    posts = []

    def lose_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server does the work …
            route.abort("connectionreset")  # … and the answer never arrives
        else:
            route.continue_()

    context.route("**/field/visits/new/", lose_first_answer)
    context.set_offline(False)
    wait_until(
        page, "async () => (await FieldStore.queue()).every((i) => i.state === 'done')", timeout=60
    )
    assert len(posts) == 2
    visit = Visit.objects.get()
    assert str(visit.client_id) == item["id"]
    assert visit.latitude is None and visit.located_at is None  # the box was not ticked
    assert Case.objects.filter(visit=visit).count() == 2
    stored = VisitPhoto.objects.get(visit=visit)
    assert stored.image.size < 1024 * 1024
    with Image.open(io.BytesIO(stored.image.read())) as image:
        assert max(image.size) <= 1920 and image.format == "JPEG"
    page.wait_for_selector(".upload-state-done")
    shot(page, "offline-4-uploaded-390")

    # The visit sent again (a second tab, a worker that never heard the answer) still leaves one.
    page.evaluate(
        "async (id) => FieldStore.update(id, (it) => { it.state = 'queued'; it.visit = null; })",
        item["id"],
    )
    page.evaluate("() => FieldApp.upload({force: true})")
    [again] = queue(page)
    assert again["state"] == "done", again
    assert Visit.objects.count() == 1 and Case.objects.count() == 2
    assert VisitPhoto.objects.count() == 1


def test_the_form_at_laptop_width_and_the_upload_in_progress(county, open_browser, media_root):
    page = open_browser(viewport=LAPTOP)
    context = page.context
    context.add_init_script(NO_BACKGROUND_SYNC)
    login(page, "carl")
    page.goto("/field/visits/new/")
    installed(page)
    shot(page, "offline-5-form-1024")

    page.set_viewport_size(PHONE_390)
    context.set_offline(True)
    page.select_option("#id_enterprise", label=county.steel.name)
    page.click("label[for=id_kind_0]")
    page.fill("#id_notes", "宣讲惠企政策")
    page.click("#save-visit")
    page.wait_for_selector(".upload-state-queued")

    held = []
    context.route(
        "**/field/visits/new/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    context.set_offline(False)
    page.wait_for_selector(".upload-state-uploading")
    assert "正在上传" in page.locator("#upload-status").inner_text()  # said to a screen reader
    shot(page, "offline-6-uploading-390")
    held[0].continue_()
    page.wait_for_selector(".upload-state-done")
    assert "走访已登记：本次未发现问题。" in page.locator("#upload-queue").inner_text()
    assert Visit.objects.count() == 1


def test_a_save_whose_connection_drops_on_the_way_lands_in_the_queue_not_an_error_page(
    county, open_browser, media_root
):
    page = open_browser(viewport=PHONE_390)
    context = page.context
    context.add_init_script(NO_BACKGROUND_SYNC)
    # A weak signal: the phone believes it is online, the request never arrives.
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'onLine', {get: () => true});"
    )
    login(page, "carl")
    page.goto("/field/visits/new/")
    installed(page)
    page.select_option("#id_enterprise", label=county.steel.name)
    page.click("label[for=id_kind_1]")
    page.fill("#id_notes", "信号时有时无")
    page.fill("#id_problems-0-title", "厂区道路坑洼")
    page.select_option("#id_problems-0-category", index=1)
    wait_until(page, "async () => (await FieldStore.getDraft())?.values?.notes === '信号时有时无'")
    context.set_offline(True)
    page.click("#save-visit")
    page.wait_for_url("**/field/visits/new/")
    page.wait_for_selector(".upload-item")
    # Waiting; or, as the phone thinks it is online, trying (and failing) already.
    assert queue(page)[0]["state"] in ("queued", "uploading", "failed")
    assert "保存在本机" in page.locator("#visit-status").inner_text()
    assert "?unsent" not in page.url

    context.set_offline(False)
    wait_until(  # the next retry, or 立即上传
        page,
        "async () => { await FieldApp.upload({force: true});"
        " return (await FieldStore.queue())[0].state === 'done'; }",
        timeout=40,
    )
    visit = Visit.objects.get()
    assert visit.notes == "信号时有时无" and visit.cases.count() == 1


def test_online_the_form_posts_as_ever_and_the_draft_lasts_until_the_visit_is_saved(
    county, open_browser, media_root
):
    page = open_browser(viewport=PHONE_390)
    login(page, "carl")
    page.goto(f"/field/visits/new/?enterprise={county.steel.pk}")
    page.click("label[for=id_kind_3]")
    page.fill("#id_notes", "企业建议简化用电报装手续")
    wait_until(page, "async () => (await FieldStore.getDraft())?.values?.notes !== undefined")
    client_id = page.input_value("#id_client_id")
    # The check-in location: read only once the cadre ticks the box.
    context = page.context
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 28.376543, "longitude": 116.243210, "accuracy": 12})
    assert page.input_value("#id_latitude") == ""
    page.check("#share-location")
    wait_until(page, "() => document.getElementById('location-note').textContent.includes('12')")

    page.click("#save-visit")
    page.wait_for_url(re.compile(r"/field/visits/\d+/$"))

    visit = Visit.objects.get()
    assert str(visit.client_id) == client_id  # a resend of the same post would find this one
    assert (round(float(visit.latitude), 6), round(float(visit.longitude), 6)) == (
        28.376543,
        116.24321,
    )
    assert visit.accuracy_m == 12 and visit.located_at is not None
    wait_until(page, "async () => !(await FieldStore.getDraft())")  # saved: the draft is done


def test_a_visit_whose_enterprise_moved_is_refused_in_plain_words_and_kept(
    county, open_browser, media_root
):
    page = open_browser(viewport=PHONE_390)
    context = with_axe(page.context)
    login(page, "carl")
    page.goto("/field/")
    installed(page)
    context.set_offline(True)
    page.goto(f"/field/visits/new/?enterprise={county.steel.pk}")
    assert page.input_value("#id_enterprise") == str(county.steel.pk)
    page.click("label[for=id_kind_1]")
    page.fill("#id_notes", "走访记录，离线填写")
    page.click("#save-visit")
    page.wait_for_selector("#upload-queue:not([hidden]) .upload-item")
    page.wait_for_timeout(400)  # the cleared form's buttons end Bootstrap's colour transition
    assert axe_violations(page) == []

    # Meanwhile the office moves the enterprise to another task force.
    TaskForceEnterprise.objects.filter(enterprise=county.steel).delete()
    context.set_offline(False)
    page.wait_for_selector(".upload-state-conflict", timeout=30_000)
    card = page.locator(".upload-item").first.inner_text()
    assert "冲突" in card and "其他专班" in card
    assert Visit.objects.count() == 0
    [item] = queue(page)
    assert item["state"] == "conflict"  # kept on the phone
    assert axe_violations(page) == []  # the queue's states, words and buttons (WCAG 2.1 AA)
    shot(page, "offline-7-conflict-390")

    # Back into the form, to be corrected.
    page.click("text=放回表单修改")
    page.wait_for_url("**/field/visits/new/")
    wait_until(page, "() => document.getElementById('id_notes').value !== ''")
    assert page.input_value("#id_notes") == "走访记录，离线填写"
    assert queue(page) == []


def test_signing_out_deletes_what_the_app_kept_on_the_phone(county, open_browser, media_root):
    page = open_browser(viewport=PHONE_390)
    login(page, "carl")
    page.goto("/field/")
    installed(page)
    page.context.set_offline(True)
    page.goto("/field/visits/new/")
    page.select_option("#id_enterprise", label=county.steel.name)
    page.click("label[for=id_kind_1]")
    page.fill("#id_notes", "不该留给下一位用户的记录")
    page.click("#save-visit")
    page.wait_for_selector(".upload-item")
    page.context.route("**/field/visits/new/", lambda route: route.abort())  # stays unsent
    page.context.set_offline(False)

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.goto("/field/")
    page.click(".navbar-toggler")  # folded on a phone
    page.wait_for_selector(".navbar-collapse.show")  # unfolded: its transition over
    page.click("#account-menu button")
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/**")
    assert dialogs and "1 条走访没有上传" in dialogs[0]
    left = page.evaluate(
        """async () => ({
          databases: (await indexedDB.databases()).map((d) => d.name),
          caches: await caches.keys(),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    assert "sijisiwen-field" not in left["databases"], left
    assert not [name for name in left["caches"] if name.startswith("sijisiwen-field")], left
    assert left["workers"] == 0


def test_a_visit_left_by_one_user_is_neither_shown_to_nor_sent_by_the_next(
    county, open_browser, media_root
):
    page = open_browser(viewport=PHONE_390)
    login(page, "carl")
    page.goto("/field/visits/new/")
    installed(page)
    page.context.set_offline(True)
    page.select_option("#id_enterprise", label=county.steel.name)
    page.click("label[for=id_kind_1]")
    page.fill("#id_notes", "卡尔的走访记录")
    page.click("#save-visit")
    page.wait_for_selector(".upload-item")
    page.fill("#id_notes", "卡尔未保存的草稿")
    wait_until(
        page, "async () => (await FieldStore.getDraft())?.values?.notes === '卡尔未保存的草稿'"
    )

    # Carl's session ends without signing out; Li, of the same task force, signs in on the phone.
    page.context.clear_cookies()
    page.context.set_offline(False)
    login(page, "li")
    page.goto("/field/visits/new/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#upload-queue").is_hidden()
    assert page.input_value("#id_notes") == ""
    page.evaluate("() => FieldApp.upload({force: true})")
    assert Visit.objects.count() == 0  # not uploaded under Li's name
