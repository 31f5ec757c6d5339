"""The audit trail becomes append-only, and its keyset order gets its index.

A trigger refuses UPDATE and DELETE on every row; perfmgmt/audit/services.py explains the
two exceptions (a deleted person's entries losing their foreign key, and the deletion of a
whole organization inside `audit_entries_deletable()`). TRUNCATE is not a row operation and
stays possible for the table's owner (the test runner empties tables with it).

The migrations that relabel entries of moved models (meetings 0001, development 0001: an
UPDATE) predate this one; on a new database they find no rows, and a row trigger is not
fired for no rows. A later relabelling must run inside `audit_entries_deletable()`'s
setting (`SELECT set_config('perfmgmt.audit_deletion', 'on', true)`).
"""

from django.db import migrations, models
from django.db.models import F

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('perfmgmt.audit_deletion', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
        AND NEW.actor_membership_id IS NULL
        AND to_jsonb(NEW) - 'actor_membership_id' = to_jsonb(OLD) - 'actor_membership_id'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
"""

TRIGGER = """
CREATE TRIGGER audit_entry_append_only
BEFORE UPDATE OR DELETE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("tenancy", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="auditentry", name="audit_org_created"),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                models.F("organization"),
                F("created_at").desc(),
                F("id").desc(),
                name="audit_org_newest",
            ),
        ),
        migrations.RunSQL(FUNCTION + TRIGGER, DROP),
    ]
