"""Keyword search, how a word is routed (cases.search): a larger sample of the searched text, and a
trigram index over its ASCII letters and digits.

- The text's statistics keep a thousand cases' texts (its histogram), not a hundred: cases.search
  reads them to tell a frequent phrase from a rare one (the share of them holding it), where the
  bigrams' statistics only bound it (a phrase is held by no more cases than its rarest bigram).
- Case numbers and enterprise numbers are digits, and every case number holds "20": a digit
  string's bigrams are all frequent. Its trigrams (pg_trgm, over the text's runs of ASCII letters
  and digits only, a few dozen characters a case) find the few cases holding "7620"."""

from django.db import migrations

# The text's runs of ASCII letters and digits, one space between them: a word made only of them is
# in the text exactly when it is in these (cases.search.ASCII_WORD). The text is lower-cased.
ASCII = r"""
CREATE FUNCTION case_search_ascii(doc text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT regexp_replace(doc, '[^0-9a-z]+', ' ', 'g')
$$;
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    ASCII,
    """
    ALTER TABLE cases_case_search ALTER COLUMN doc SET STATISTICS 1000;
    SET LOCAL maintenance_work_mem = '256MB';
    CREATE INDEX cases_case_search_ascii ON cases_case_search
        USING gin (case_search_ascii(doc) gin_trgm_ops);
    ANALYZE cases_case_search;
    """,
]

BACKWARD = """
DROP INDEX IF EXISTS cases_case_search_ascii;
ALTER TABLE cases_case_search ALTER COLUMN doc SET STATISTICS -1;
DROP FUNCTION IF EXISTS case_search_ascii(text);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0024_case_search")]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
