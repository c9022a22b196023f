"""Keyword search (cases.search) inside one county: the side table holds each case's county, and
the bigram index leads with it (btree_gin), so a county's search reads its own county's cases from
the index — not every county's, filtered afterwards.

Measured in a city of ten counties of 100,000 cases (docs/benchmark-results.md): a frequent word's
count took the bigram's cases of all ten counties (25,000 for 电压) and joined them to the county's
100,000 ids (36–114 ms); the county's own share of the bigram is a tenth of it. The city's office,
which searches every county, reads the same index by its bigrams alone (a GIN index over two
columns answers a condition on either).

The column is written by the triggers with the rest of the row (a case's county is its
enterprise's, copied at intake; a case moved to another county is rewritten)."""

from django.db import migrations

DOCUMENT = "lower(concat_ws(E'\\n', {case}.number, {case}.title, {case}.description, {name}))"

WRITE = f"""
CREATE OR REPLACE FUNCTION case_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cases_case_search (case_id, county_id, doc)
    SELECT NEW.id, NEW.county_id, {DOCUMENT.format(case="NEW", name="e.name")}
    FROM enterprises_enterprise e WHERE e.id = NEW.enterprise_id
    ON CONFLICT (case_id) DO UPDATE SET doc = EXCLUDED.doc, county_id = EXCLUDED.county_id;
    RETURN NULL;
END
$$;
"""

UPDATE_TRIGGER = """
DROP TRIGGER case_search_update ON cases_case;
CREATE TRIGGER case_search_update AFTER UPDATE ON cases_case FOR EACH ROW
    WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.title IS DISTINCT FROM NEW.title
          OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id
          OR OLD.county_id IS DISTINCT FROM NEW.county_id)
    EXECUTE FUNCTION case_search_write();
"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    # The indexes are dropped while every row is rewritten (a million at a city's scale), and made
    # again once, rather than updated a row at a time.
    """
    ALTER TABLE cases_case_search ADD COLUMN county_id bigint;
    DROP INDEX cases_case_search_grams;
    DROP INDEX cases_case_search_ascii;
    UPDATE cases_case_search s SET county_id = c.county_id
    FROM cases_case c WHERE c.id = s.case_id;
    SET LOCAL maintenance_work_mem = '256MB';
    CREATE INDEX cases_case_search_grams ON cases_case_search USING gin (county_id, grams);
    CREATE INDEX cases_case_search_ascii ON cases_case_search
        USING gin (case_search_ascii(doc) gin_trgm_ops);
    ANALYZE cases_case_search;
    """,
    WRITE,
    UPDATE_TRIGGER,
]

BACKWARD = [
    f"""
    CREATE OR REPLACE FUNCTION case_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_case_search (case_id, doc)
        SELECT NEW.id, {DOCUMENT.format(case="NEW", name="e.name")}
        FROM enterprises_enterprise e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (case_id) DO UPDATE SET doc = EXCLUDED.doc;
        RETURN NULL;
    END
    $$;
    DROP TRIGGER case_search_update ON cases_case;
    CREATE TRIGGER case_search_update AFTER UPDATE ON cases_case FOR EACH ROW
        WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.title IS DISTINCT FROM NEW.title
              OR OLD.description IS DISTINCT FROM NEW.description
              OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id)
        EXECUTE FUNCTION case_search_write();
    """,
    """
    DROP INDEX cases_case_search_grams;
    ALTER TABLE cases_case_search DROP COLUMN county_id;
    CREATE INDEX cases_case_search_grams ON cases_case_search USING gin (grams);
    """,
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0033_city_reminders_into_reminder")]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
