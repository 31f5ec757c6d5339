"""The last good SAML metadata of an organization's provider, kept for when a refresh fails."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0005_sign_in_requirements_on_organization"),
    ]

    operations = [
        migrations.AddField(
            model_name="organizationsso",
            name="saml_metadata",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
