# The delivery page's counts by state read this index (deliveries.email_delivery_counts).
# Built concurrently: the notifications table is written on every reminder and email.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("notifications", "0004_email_delivery"),
        ("tenancy", "0007_membership_external_id_nullable"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="notification",
            index=models.Index(
                condition=~models.Q(email_state="none"),
                fields=["organization", "email_state"],
                name="notification_email_state",
            ),
        ),
    ]
