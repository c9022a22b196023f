"""The installable app's server side (fieldwork/offline.py): the manifest a phone reads to put 走访 on
its home screen, and the service worker at /field/sw.js with the list of what it keeps. What the
worker does with them is walked in Chromium (tests/browser/test_offline_field.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.intake import visit_create
from cases.models import Visit
from fieldwork import offline

pytestmark = pytest.mark.django_db


def worker_config(response) -> dict:
    first_line = response.content.decode().split("\n", 1)[0]
    match = re.fullmatch(r"self\.FIELD_CONFIG = (.*);", first_line)
    assert match, first_line
    return json.loads(match[1])


def test_the_manifest_makes_the_cadre_pages_an_installable_app(client):
    response = client.get("/field/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "四进四问·走访"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/field/",
        "/field/",
        "standalone",
    )
    # The navigation bar's navy (static/site/site.css), so the phone's bar matches the page's.
    css = open(finders.find("site/site.css"), encoding="utf-8").read()
    assert f"--brand-navy: {manifest['theme_color']};" in css
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes[icon.get("purpose", "any")] = sizes.get(icon.get("purpose", "any"), []) + [
            icon["sizes"]
        ]
    assert sizes == {"any": ["192x192", "512x512"], "maskable": ["512x512"]}


def test_the_worker_is_served_from_its_static_file_at_the_apps_scope(client):
    response = client.get("/field/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    config = worker_config(response)
    source = open(finders.find(offline.WORKER), encoding="utf-8").read()
    assert response.content.decode().endswith(source)
    assert config["scope"] == "/field/"
    # 我的企业, the visit form and the data 我的企业 is drawn from offline.
    assert config["pages"] == ["/field/", "/field/visits/new/", "/field/offline/data.json"]
    assert config["offlineData"] == reverse("fieldwork:offline_data")
    # Every file the pages load, and nothing from elsewhere.
    for url in config["static"] + config["scripts"]:
        assert url.startswith("/static/")
        assert finders.find(url.removeprefix("/static/")), url
    assert "/static/vendor/bootstrap.min.css" in config["static"]
    assert set(config["scripts"]) <= set(config["static"])
    assert response["X-Field-Worker-Version"] == config["version"]


def test_a_changed_file_makes_a_new_worker_version(client, monkeypatch):
    before = worker_config(client.get("/field/sw.js"))["version"]
    real = offline._read_static
    monkeypatch.setattr(
        offline,
        "_read_static",
        lambda name: real(name) + (b"/* changed */" if name == "site/site.css" else b""),
    )

    offline._cached_worker_source.cache_clear()  # a new deployment: a new process
    try:
        after = worker_config(client.get("/field/sw.js"))["version"]
    finally:
        offline._cached_worker_source.cache_clear()

    assert after != before


@pytest.mark.parametrize(
    "url", ["/field/", "/field/visits/new/", "fieldwork:enterprise", "fieldwork:visit"]
)
def test_every_cadre_page_links_the_manifest_and_starts_the_app(client, county, url):
    if url == "fieldwork:enterprise":
        url = reverse(url, args=[county.steel.pk])
    elif url == "fieldwork:visit":
        logged = visit_create(
            actor=county.carl,
            enterprise=county.steel,
            visited_on=timezone.localdate(),
            kind=Visit.Kind.INSPECT,
        )
        url = reverse(url, args=[logged[0].pk])
    client.force_login(county.carl)

    page = client.get(url).content.decode()

    assert '<link rel="manifest" href="/field/manifest.webmanifest">' in page
    assert 'data-service-worker="/field/sw.js"' in page
    assert "fieldwork/offline/app.js" in page


def test_the_visit_form_carries_the_offline_pieces(client, county):
    client.force_login(county.carl)

    page = client.get("/field/visits/new/").content.decode()

    assert 'name="client_id"' in page
    assert '<template id="problem-row-template">' in page
    assert 'id="id_problems-__prefix__-title"' in page  # the row copied offline
    assert 'id="share-location"' in page  # the check-in location only with the box ticked
    assert 'id="upload-queue"' in page and 'role="status"' in page
    assert "hx-get" not in page  # adding a row needs no connection


def test_the_sign_out_button_clears_the_phone_first_on_every_page(client, county):
    for who in (county.carl, county.office, county.eva):
        client.force_login(who)
        page = client.get(reverse("home"), follow=True).content.decode()
        assert re.search(r'<form action="/accounts/logout/" method="post" data-clear-offline', page)
