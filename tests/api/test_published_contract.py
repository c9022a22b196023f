"""Issue 25: one published contract. /api/schema/ serves the same bytes whatever the reader's
language, and they are the committed docs/openapi.yaml (`make openapi` rewrites it): a change to
the API's shape fails here until the new contract is committed, and so is reviewed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from api.management.commands.openapi import CONTRACT

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(r"^[A-Za-z0-9_]+$")


def served(client, **extra) -> bytes:
    answer = client.get("/api/schema/", **extra)
    assert answer.status_code == 200
    return answer.content


def test_the_served_schema_is_the_committed_contract_in_every_language(client):
    committed = CONTRACT.read_bytes()
    chinese = served(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese == committed, "docs/openapi.yaml is not the served schema: run `make openapi`"
    assert served(client, HTTP_ACCEPT_LANGUAGE="en") == committed
    assert served(client, data={"lang": "zh-hans"}) == committed
    client.cookies["django_language"] = "zh-hans"
    assert served(client) == committed


def test_the_contract_has_a_stable_ascii_title_and_english_identifiers():
    schema = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    assert schema["info"]["title"] == "Sijisiwen case management API"
    assert schema["info"]["version"] == "1.0.0"
    assert schema["openapi"].startswith("3.")
    for name in schema["components"]["schemas"]:
        assert IDENTIFIER.match(name), name
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            assert IDENTIFIER.match(operation["operationId"]), path
            for parameter in operation.get("parameters", []):
                assert IDENTIFIER.match(parameter["name"]), path
                # An enum's title names the client's enum class: English, not 状态.
                assert IDENTIFIER.match(parameter["schema"].get("title", "x").replace(" ", "_"))
    # The descriptions may keep the Chinese terms.
    assert "四进四问" in schema["info"]["description"]


def test_the_command_checks_the_committed_file_and_rewrites_a_stale_one(tmp_path):
    call_command("openapi", "--check")  # the committed file is the contract
    stale = tmp_path / "openapi.yaml"
    stale.write_text("openapi: 3.0.3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="make openapi"):
        call_command("openapi", "--check", "--file", str(stale))
    call_command("openapi", "--file", str(stale))
    call_command("openapi", "--check", "--file", str(stale))
    assert Path(stale).read_bytes() == CONTRACT.read_bytes()
