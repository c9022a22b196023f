"""Keyword search at a city's scale (cases.search): on PostgreSQL, a side table holding each case's
searched text — number, title, description and its enterprise's name, lower-cased, one a line —
with a GIN index over its character bigrams, kept current by triggers, so that a search of two
characters or more reads the index instead of every title. The embedded SQLite mode has none of it (cases.search falls back to a
plain substring match there).

Written in SQL, not as a Django model: the table exists only on PostgreSQL, and the database keeps
it current whatever writes a case (the workflow, the generator's COPY, an UPDATE by hand)."""

from django.db import migrations, models

# The bigrams of a text: every two consecutive characters, lower-cased, none holding white space
# (fields are joined by a line break, so no bigram spans two of them). IMMUTABLE, so that a query's
# `case_search_grams('企业')` is folded into a constant the planner estimates from the statistics.
GRAMS = r"""
CREATE FUNCTION case_search_grams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT gram), '{}')
    FROM (SELECT lower(doc) AS t) AS lowered,
         LATERAL (SELECT substr(t, i, 2) AS gram
                  FROM generate_series(1, char_length(t) - 1) AS i) AS grams
    WHERE gram !~ '\s'
$$;
"""

# Whether a case's text holds a word (the check after the index, for words of three characters
# or more): a PL/pgSQL function the
# planner does not look into, so that it estimates a search from the index's statistics alone
# rather than multiplying them by a guess for the same condition said twice.
HAS = """
CREATE FUNCTION case_search_has(doc text, word text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN strpos(doc, lower(word)) > 0;
END
$$;
"""

DOCUMENT = "lower(concat_ws(E'\\n', {case}.number, {case}.title, {case}.description, {name}))"

FORWARD = [
    GRAMS,
    HAS,
    # The bigrams are stored, not only indexed: a list walked in its own order checks each case
    # against them in a microsecond, where making them again would take a hundred.
    """
    CREATE TABLE cases_case_search (
        case_id bigint PRIMARY KEY,
        doc text NOT NULL,
        grams text[] GENERATED ALWAYS AS (case_search_grams(doc)) STORED
    );
    ALTER TABLE cases_case_search ALTER COLUMN grams SET STATISTICS 1000;
    """,
    # One statement for the million cases a county's years hold (minutes), then the index.
    f"""
    INSERT INTO cases_case_search (case_id, doc)
    SELECT c.id, {DOCUMENT.format(case="c", name="e.name")}
    FROM cases_case c JOIN enterprises_enterprise e ON e.id = c.enterprise_id;
    SET LOCAL maintenance_work_mem = '256MB';
    CREATE INDEX cases_case_search_grams ON cases_case_search USING gin (grams);
    ANALYZE cases_case_search;
    """,
    # A case written: its row, from the case and its enterprise's name. An update only when what
    # is searched changed (a workflow step rewrites the row, not its words).
    f"""
    CREATE FUNCTION case_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_case_search (case_id, doc)
        SELECT NEW.id, {DOCUMENT.format(case="NEW", name="e.name")}
        FROM enterprises_enterprise e WHERE e.id = NEW.enterprise_id
        ON CONFLICT (case_id) DO UPDATE SET doc = EXCLUDED.doc;
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER case_search_insert AFTER INSERT ON cases_case
        FOR EACH ROW EXECUTE FUNCTION case_search_write();
    CREATE TRIGGER case_search_update AFTER UPDATE ON cases_case FOR EACH ROW
        WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.title IS DISTINCT FROM NEW.title
              OR OLD.description IS DISTINCT FROM NEW.description
              OR OLD.enterprise_id IS DISTINCT FROM NEW.enterprise_id)
        EXECUTE FUNCTION case_search_write();

    CREATE FUNCTION case_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM cases_case_search WHERE case_id = OLD.id;
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER case_search_delete AFTER DELETE ON cases_case
        FOR EACH ROW EXECUTE FUNCTION case_search_delete();

    CREATE FUNCTION case_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE cases_case_search;
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER case_search_truncate AFTER TRUNCATE ON cases_case
        FOR EACH STATEMENT EXECUTE FUNCTION case_search_truncate();
    """,
    # An enterprise renamed: its cases' rows, in one statement.
    f"""
    CREATE FUNCTION case_search_enterprise_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE cases_case_search s
        SET doc = {DOCUMENT.format(case="c", name="NEW.name")}
        FROM cases_case c WHERE c.enterprise_id = NEW.id AND s.case_id = c.id;
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER case_search_enterprise_renamed AFTER UPDATE ON enterprises_enterprise
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION case_search_enterprise_renamed();
    """,
]

BACKWARD = """
DROP TRIGGER IF EXISTS case_search_enterprise_renamed ON enterprises_enterprise;
DROP TRIGGER IF EXISTS case_search_truncate ON cases_case;
DROP TRIGGER IF EXISTS case_search_delete ON cases_case;
DROP TRIGGER IF EXISTS case_search_update ON cases_case;
DROP TRIGGER IF EXISTS case_search_insert ON cases_case;
DROP FUNCTION IF EXISTS case_search_enterprise_renamed();
DROP FUNCTION IF EXISTS case_search_truncate();
DROP FUNCTION IF EXISTS case_search_delete();
DROP FUNCTION IF EXISTS case_search_write();
DROP TABLE IF EXISTS cases_case_search;
DROP FUNCTION IF EXISTS case_search_has(text, text);
DROP FUNCTION IF EXISTS case_search_grams(text);
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
    dependencies = [
        ("cases", "0023_visit_client_id_location"),
        ("enterprises", "0006_department_assessment_group"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-created_at", "-id"], name="case_recent"),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
