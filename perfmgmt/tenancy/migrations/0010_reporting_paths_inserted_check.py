"""A cheaper check of new rows' stored reporting lines (the INSERT trigger of 0008).

The check asks of each new row whether its line is its manager's line and its manager.
For `reporting_since` that meant, per row, unnesting the manager's times and sorting them
again (GREATEST of each with the new link's start): most of the check when the people sync
inserts 50,000 rows at once. Usually every link above is older than the new one (it begins
now), so every entry is the new row's `manager_since`: that case is now one array
comparison, and only a row with a link above it that begins later takes the old
expression. The answer is the same for every row.
"""

from django.db import migrations

INSERTED_CHECK = """
CREATE OR REPLACE FUNCTION membership_reporting_paths_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM membership_reporting_paths_refresh(ARRAY(
        SELECT added.id FROM inserted_rows added
        LEFT JOIN tenancy_membership boss ON boss.id = added.manager_id
        WHERE added.reporting_path IS DISTINCT FROM
                  CASE WHEN boss.id IS NULL THEN '{}'::bigint[]
                       ELSE boss.reporting_path || boss.id END
           OR CASE
              WHEN boss.id IS NULL THEN
                  added.reporting_since IS DISTINCT FROM '{}'::timestamptz[]
              -- No link above begins after this one: every entry is this link's start.
              WHEN added.manager_since >= ALL(boss.reporting_since) THEN
                  added.reporting_since IS DISTINCT FROM array_fill(
                      added.manager_since, ARRAY[cardinality(boss.reporting_since) + 1])
              ELSE
                  added.reporting_since IS DISTINCT FROM (
                      ARRAY(SELECT GREATEST(line.since, added.manager_since)
                            FROM unnest(boss.reporting_since) WITH ORDINALITY AS line(since, n)
                            ORDER BY line.n) || added.manager_since)
              END
    ));
    RETURN NULL;
END;
$$;
"""

PREVIOUS_CHECK = """
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
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0009_membership_name_index"),
    ]

    operations = [
        migrations.RunSQL(INSERTED_CHECK, reverse_sql=PREVIOUS_CHECK),
    ]
