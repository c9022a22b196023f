"""Large text (适老化, web/display.py): any signed-in user switches it on from the account menu; it is
a class on <html> that scales the root font size (static/site/site.css), and it is remembered for
the user, on a new sign-in from another device too. Every page says its language as zh-CN or en and
starts with a skip link to its main content."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from web.models import DisplayPreference

pytestmark = pytest.mark.django_db

LARGE = '<html lang="zh-CN" class="large-text">'
NORMAL = '<html lang="zh-CN">'


def _switch(client, on: str, next_url: str = "/portal/"):
    return client.post(reverse("large_text"), {"on": on, "next": next_url})


def test_large_text_is_off_until_chosen_then_follows_the_user_to_a_new_sign_in(county):
    client = Client()
    client.force_login(county.eva)
    html = client.get("/portal/").content.decode()
    assert NORMAL in html
    menu = html[html.index('id="large-text-form"') :]
    assert 'name="on" value="1"' in menu[:600] and 'aria-pressed="false"' in menu[:900]

    response = _switch(client, "1")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    html = client.get("/portal/").content.decode()
    assert LARGE in html
    assert 'aria-pressed="true"' in html[html.index('id="large-text-form"') :][:900]
    assert DisplayPreference.objects.get(user=county.eva).large_text is True

    phone = Client()  # another device, signed in afresh
    phone.force_login(county.eva)
    assert LARGE in phone.get("/portal/").content.decode()
    other = Client()
    other.force_login(county.carl)  # someone else's choice is their own
    assert NORMAL in other.get("/field/").content.decode()

    _switch(phone, "0")
    assert NORMAL in phone.get("/portal/").content.decode()
    assert DisplayPreference.objects.get(user=county.eva).large_text is False


def test_the_switch_goes_back_only_to_a_page_of_this_site_and_needs_a_sign_in(client, county):
    assert _switch(client, "1")["Location"].startswith(reverse("login"))
    assert not DisplayPreference.objects.exists()

    client.force_login(county.dan)
    assert _switch(client, "1", "https://evil.example/")["Location"] == reverse("home")
    # A bare word, a date, a number: not a page of this site either — home, never a 500.
    for bad in ("abc", "2026-02-30", "0", "//evil.example/", "a\u2028b\x1b"):
        assert _switch(client, "0", bad)["Location"] == reverse("home"), bad
    assert _switch(client, "1", "/dept/?page=2")["Location"] == "/dept/?page=2"
    assert client.get(reverse("large_text")).status_code == 405


def test_every_page_names_its_language_and_starts_with_a_skip_link(client, county):
    client.force_login(county.dan)
    html = client.get("/dept/").content.decode()
    assert NORMAL in html
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="visually-hidden-focusable skip-link"' in first_link
    assert 'href="#main"' in first_link
    assert '<main class="container-lg pb-5" id="main" tabindex="-1">' in html
    assert '<nav class="navbar' in html and 'aria-label="主导航"' in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/dept/").content.decode()
    assert '<html lang="en">' in html and "Skip to main content" in html
    assert "Large text" in html
