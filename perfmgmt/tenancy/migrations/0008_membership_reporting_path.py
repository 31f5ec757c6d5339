"""The reporting line as data: `Membership.reporting_path` and `reporting_since`.

Two statement-level triggers keep them. After any INSERT or UPDATE of memberships, the
rows whose manager, `manager_since` or stored path changed (an inserted row whose line is
not its manager's line) are recomputed, with everyone below them, in one recursive statement that starts from the
topmost changed rows (a row whose manager also changed is reached from that manager).
When a row is reached from two starts, the deeper walk wins: it began above the other
start, whose own stored path may be the stale one. So one UPDATE of many reporting lines
(the people sync sets them all in one statement) costs one walk, and a single change costs
the size of the moved branch. The triggers' own UPDATE does not run them again
(`pg_trigger_depth()`), and a write of a stale path (an in-memory instance saved late) is
recomputed like a change, so the columns always hold the computed value.

The walk stops at a repeated person, so corrupt data (a cycle, which the services refuse)
cannot loop; people in a cycle keep an empty path, as if nobody were above them.

`perfmgmt/tenancy/reporting_paths.py` reads the SQL function for repairs and compares the
columns with the manager links (`tests/tenancy/test_reporting_paths.py`).
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models

FUNCTIONS = """
CREATE OR REPLACE FUNCTION membership_reporting_paths_refresh(changed bigint[])
RETURNS integer LANGUAGE sql AS $$
WITH RECURSIVE changed_rows AS (
    SELECT DISTINCT unnest(changed) AS id
), walk(id, organization_id, path, since, depth) AS (
    SELECT start.id, start.organization_id,
           CASE WHEN boss.id IS NULL THEN '{}'::bigint[]
                ELSE boss.reporting_path || boss.id END,
           CASE WHEN boss.id IS NULL THEN '{}'::timestamptz[]
                ELSE ARRAY(SELECT GREATEST(line.since, start.manager_since)
                           FROM unnest(boss.reporting_since) WITH ORDINALITY AS line(since, n)
                           ORDER BY line.n) || start.manager_since END,
           0
    FROM changed_rows
    JOIN tenancy_membership start ON start.id = changed_rows.id
    LEFT JOIN tenancy_membership boss ON boss.id = start.manager_id
    WHERE NOT EXISTS (SELECT FROM changed_rows above WHERE above.id = start.manager_id)
    UNION ALL
    SELECT report.id, report.organization_id,
           walk.path || walk.id,
           ARRAY(SELECT GREATEST(line.since, report.manager_since)
                 FROM unnest(walk.since) WITH ORDINALITY AS line(since, n)
                 ORDER BY line.n) || report.manager_since,
           walk.depth + 1
    FROM walk
    JOIN tenancy_membership report
      ON report.organization_id = walk.organization_id AND report.manager_id = walk.id
    WHERE NOT report.id = ANY(walk.path || walk.id) AND walk.depth < 1000
), best AS (
    SELECT DISTINCT ON (id) id, path, since FROM walk ORDER BY id, depth DESC
), written AS (
    UPDATE tenancy_membership person
       SET reporting_path = best.path, reporting_since = best.since
      FROM best
     WHERE person.id = best.id
       AND (person.reporting_path IS DISTINCT FROM best.path
            OR person.reporting_since IS DISTINCT FROM best.since)
    RETURNING 1
)
SELECT count(*)::integer FROM written
$$;

-- A new row cannot have reports that were there before it, so it is right when its line
-- is its manager's line and its manager (new too, or not) is right: only the rows that
-- fail this local check are walked. A writer of many rows at once (the people sync)
-- writes each new row's line in its INSERT and costs one join here, not a rewrite.
CREATE OR REPLACE FUNCTION membership_reporting_paths_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM membership_reporting_paths_refresh(ARRAY(
        SELECT added.id FROM inserted_rows added
        LEFT JOIN tenancy_membership boss ON boss.id = added.manager_id
        WHERE (added.reporting_path, added.reporting_since) IS DISTINCT FROM (
            CASE WHEN boss.id IS NULL THEN '{}'::bigint[]
                 ELSE boss.reporting_path || boss.id END,
            CASE WHEN boss.id IS NULL THEN '{}'::timestamptz[]
                 ELSE ARRAY(SELECT GREATEST(line.since, added.manager_since)
                            FROM unnest(boss.reporting_since) WITH ORDINALITY AS line(since, n)
                            ORDER BY line.n) || added.manager_since END)
    ));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION membership_reporting_paths_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    -- EXCEPT, not a join of the two tables: the planner knows nothing of their sizes and
    -- PL/pgSQL keeps the first plan, so a join would stay a nested loop for 50,000 rows.
    PERFORM membership_reporting_paths_refresh(ARRAY(
        SELECT changed.id FROM (
            SELECT id, manager_id, manager_since, reporting_path, reporting_since
              FROM updated_rows
            EXCEPT
            SELECT id, manager_id, manager_since, reporting_path, reporting_since
              FROM previous_rows
        ) changed
    ));
    RETURN NULL;
END;
$$;

CREATE TRIGGER membership_reporting_paths_inserted
AFTER INSERT ON tenancy_membership REFERENCING NEW TABLE AS inserted_rows
FOR EACH STATEMENT EXECUTE FUNCTION membership_reporting_paths_inserted();

CREATE TRIGGER membership_reporting_paths_updated
AFTER UPDATE ON tenancy_membership
REFERENCING OLD TABLE AS previous_rows NEW TABLE AS updated_rows
FOR EACH STATEMENT EXECUTE FUNCTION membership_reporting_paths_updated();
"""

BACKFILL = """
SELECT membership_reporting_paths_refresh(
    ARRAY(SELECT id FROM tenancy_membership WHERE manager_id IS NULL)
)
"""

DROP = """
DROP TRIGGER IF EXISTS membership_reporting_paths_updated ON tenancy_membership;
DROP TRIGGER IF EXISTS membership_reporting_paths_inserted ON tenancy_membership;
DROP FUNCTION IF EXISTS membership_reporting_paths_updated();
DROP FUNCTION IF EXISTS membership_reporting_paths_inserted();
DROP FUNCTION IF EXISTS membership_reporting_paths_refresh(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0007_membership_external_id_nullable"),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.AddField(
            model_name="membership",
            name="reporting_path",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(),
                db_default=models.Value(
                    [],
                    output_field=django.contrib.postgres.fields.ArrayField(
                        base_field=models.BigIntegerField(), size=None
                    ),
                ),
                default=list,
                editable=False,
                size=None,
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="reporting_since",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.DateTimeField(),
                db_default=models.Value(
                    [],
                    output_field=django.contrib.postgres.fields.ArrayField(
                        base_field=models.DateTimeField(), size=None
                    ),
                ),
                default=list,
                editable=False,
                size=None,
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["organization", "reporting_path"], name="membership_org_path"
            ),
        ),
        migrations.RunSQL(FUNCTIONS, reverse_sql=DROP),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
