"""Keyword search (cases.search): a query checking a case's text for a word (case_search_has: a
walked phrase, or a phrase taken from the bigram index) is planned without parallel workers.

At a million cases the planner gave a walked phrase's page and count two workers each; on the
machine measured (docs/benchmark-results.md) starting them cost more than the page they found —
60–100 ms for the first page of `电压不稳`, 14–28 ms in the one process. A function marked PARALLEL
UNSAFE keeps every query calling it in one process: the check is the same, only its plan changes."""

from django.db import migrations

FORWARD = "ALTER FUNCTION case_search_has(text, text) PARALLEL UNSAFE"
BACKWARD = "ALTER FUNCTION case_search_has(text, text) PARALLEL SAFE"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_case_county_batch")]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
