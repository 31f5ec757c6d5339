"""`GoalOwnerLine`: a person's goals seen from everyone above their owner, kept by triggers.

One SQL function writes the rows of some goals from what the tables hold now (it deletes
theirs and inserts one row per id of the owner's stored reporting line), so every path
ends in the same computation:

- after an INSERT of goals (once per statement: a bulk insert costs one join);
- after an UPDATE of a goal that changes its owner, its kind of owner or `created_at`
  (a row trigger with a WHEN clause: an update of progress or title costs nothing);
- after an UPDATE of people whose stored reporting line changed (once per statement,
  at any trigger depth: the lines are rewritten by tenancy's own triggers, migration
  0008, in a nested UPDATE), for all the goals of those people.

Deleting a goal or a person deletes their rows (Django's cascade). The plpgsql triggers
only collect ids; the SQL function is planned at each call, so a bulk change is not stuck
with the plan of a single-row one (see tenancy 0008). tests/goals/test_team_goals_list.py
compares the rows with the lines walked from the manager links after each kind of write.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNCTIONS = """
CREATE OR REPLACE FUNCTION goal_owner_lines_write(goal_ids bigint[])
RETURNS integer LANGUAGE sql AS $$
DELETE FROM goals_goalownerline WHERE goal_id = ANY(goal_ids);
WITH written AS (
    INSERT INTO goals_goalownerline (organization_id, goal_id, above_id, created_at)
    SELECT goal.organization_id, goal.id, above.id, goal.created_at
    FROM goals_goal goal
    JOIN tenancy_membership owner ON owner.id = goal.owner_person_id
    CROSS JOIN LATERAL unnest(owner.reporting_path) AS above(id)
    WHERE goal.id = ANY(goal_ids) AND goal.owner_kind = 'person'
    RETURNING 1
)
SELECT count(*)::integer FROM written
$$;

CREATE OR REPLACE FUNCTION goal_owner_lines_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM goal_owner_lines_write(ARRAY(
        SELECT added.id FROM added_goals added WHERE added.owner_kind = 'person'
    ));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION goal_owner_lines_goal_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM goal_owner_lines_write(ARRAY[NEW.id]);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION goal_owner_lines_people_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM goal_owner_lines_write(ARRAY(
        SELECT goal.id FROM goals_goal goal
        WHERE goal.owner_person_id = ANY(ARRAY(
            SELECT moved.id FROM (
                SELECT id, reporting_path FROM updated_people
                EXCEPT
                SELECT id, reporting_path FROM previous_people
            ) moved
        ))
    ));
    RETURN NULL;
END;
$$;

CREATE TRIGGER goal_owner_lines_inserted
AFTER INSERT ON goals_goal REFERENCING NEW TABLE AS added_goals
FOR EACH STATEMENT EXECUTE FUNCTION goal_owner_lines_inserted();

CREATE TRIGGER goal_owner_lines_goal_changed
AFTER UPDATE OF owner_kind, owner_person_id, created_at ON goals_goal
FOR EACH ROW WHEN (
    OLD.owner_kind IS DISTINCT FROM NEW.owner_kind
    OR OLD.owner_person_id IS DISTINCT FROM NEW.owner_person_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at
) EXECUTE FUNCTION goal_owner_lines_goal_changed();

CREATE TRIGGER goal_owner_lines_people_moved
AFTER UPDATE ON tenancy_membership
REFERENCING OLD TABLE AS previous_people NEW TABLE AS updated_people
FOR EACH STATEMENT EXECUTE FUNCTION goal_owner_lines_people_moved();
"""

BACKFILL = """
SELECT goal_owner_lines_write(ARRAY(SELECT id FROM goals_goal WHERE owner_kind = 'person'))
"""

DROP = """
DROP TRIGGER IF EXISTS goal_owner_lines_people_moved ON tenancy_membership;
DROP TRIGGER IF EXISTS goal_owner_lines_goal_changed ON goals_goal;
DROP TRIGGER IF EXISTS goal_owner_lines_inserted ON goals_goal;
DROP FUNCTION IF EXISTS goal_owner_lines_people_moved();
DROP FUNCTION IF EXISTS goal_owner_lines_goal_changed();
DROP FUNCTION IF EXISTS goal_owner_lines_inserted();
DROP FUNCTION IF EXISTS goal_owner_lines_write(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0006_goal_list_newest_index"),
        ("tenancy", "0009_membership_name_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="GoalOwnerLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(editable=False)),
                (
                    "above",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tenancy.membership",
                    ),
                ),
                (
                    "goal",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="owner_lines",
                        to="goals.goal",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tenancy.organization",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "above", "created_at", "goal"),
                        name="goal_line_newest",
                    )
                ],
            },
        ),
        migrations.RunSQL(FUNCTIONS, reverse_sql=DROP),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
