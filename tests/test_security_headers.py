"""Every page answers with the Content-Security-Policy, and no template carries what the policy
would block (an inline script, an on… handler attribute, htmx's eval-based hx-on). The browser
test (tests/browser/test_csp.py) shows the pages work under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|hx-on[:-]|javascript:", re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "dan", "carl", "li", "eva"])
def test_every_page_carries_the_policy(client, county, who):
    client.force_login(getattr(county, who))
    home = client.get(reverse("home"), follow=True)

    policy = home.headers["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-eval'" not in policy


@pytest.mark.django_db
def test_the_login_page_and_the_api_docs_carry_it_too(client, county):
    assert "script-src 'self'" in client.get(reverse("login")).headers["Content-Security-Policy"]
    client.force_login(county.office)
    docs = client.get("/api/docs/")
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]
    assert "<script>" not in docs.content.decode()  # Swagger UI's start-up script is a file


def test_no_template_carries_inline_script():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if INLINE.search(line) and 'type="application/json"' not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)
