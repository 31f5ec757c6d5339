"""What the personal-data API reads and answers (perfmgmt/privacy/api.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import PersonalDataExport, PersonErasure


def export_url(export: PersonalDataExport, name: str) -> str:
    return reverse(
        f"api:personal-data-export-{name}",
        kwargs={"org_slug": export.organization.slug, "export_id": export.pk},
    )


class ExportSerializer(serializers.ModelSerializer[PersonalDataExport]):
    progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=_("Where to read this export's status."))
    download_url = serializers.SerializerMethodField(
        help_text=_("Where the requester downloads the ZIP; null until it is ready.")
    )

    class Meta:
        model = PersonalDataExport
        fields = [
            "id",
            "person",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "expires_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def get_progress(self, export: PersonalDataExport) -> dict[str, int]:
        return {"total": export.total, "done": export.done, "percent": export.percent}

    def get_url(self, export: PersonalDataExport) -> str:
        return export_url(export, "detail")

    def get_download_url(self, export: PersonalDataExport) -> str | None:
        return export_url(export, "download") if export.is_downloadable() else None


class ErasureInputSerializer(serializers.Serializer[Any]):
    confirmation = serializers.CharField(
        max_length=320,
        trim_whitespace=False,
        help_text=_("The person's name or email, typed exactly: erasure cannot be undone."),
    )
    texts = serializers.ChoiceField(
        choices=["blank", "keep"],
        help_text=_(
            "“blank”: the texts this person wrote are blanked; “keep”: they stay, without "
            "their name."
        ),
    )


class ErasureSerializer(serializers.ModelSerializer[PersonErasure]):
    person = serializers.IntegerField(source="membership_id", read_only=True)
    erased_by = serializers.IntegerField(source="erased_by_id", read_only=True, allow_null=True)

    class Meta:
        model = PersonErasure
        fields = ["id", "person", "erased_by", "texts_blanked", "erased_at"]
        read_only_fields = fields
