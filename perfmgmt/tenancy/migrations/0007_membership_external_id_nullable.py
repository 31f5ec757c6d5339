"""`Membership.external_id`: NULL for none, unique per organization without a predicate.

A partial unique index (`WHERE external_id <> ''`) cannot be the target of
`INSERT ... ON CONFLICT (organization_id, external_id)` unless every statement repeats the
predicate; a plain constraint can (NULLs stay distinct, so many people may have none).
"""

from django.db import migrations, models

BLANK_TO_NULL = "UPDATE tenancy_membership SET external_id = NULL WHERE external_id = ''"
NULL_TO_BLANK = "UPDATE tenancy_membership SET external_id = '' WHERE external_id IS NULL"


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0006_organization_locale_is_a_product_language"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="membership", name="membership_unique_external_id"),
        migrations.AlterField(
            model_name="membership",
            name="external_id",
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.RunSQL(BLANK_TO_NULL, reverse_sql=NULL_TO_BLANK),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("organization", "external_id"), name="membership_unique_external_id"
            ),
        ),
    ]
