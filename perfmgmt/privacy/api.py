"""Personal data over the API: /api/v1/orgs/<org_slug>/personal-data/<member_id>/exports/
and .../erasure/, and /personal-data-exports/<export_id>/ (+ download/).

Thin, over the services, selectors and policies of the pages: an export is requested for
the caller and only they read its status and download it, until it expires; only an owner
erases. API keys may not do any of it: an export is downloaded by the person who asked for
it (an audited act of someone), and an erasure is an owner's irreversible decision, so
both need a person. A key is answered 403 after the id is looked up, so another
organization's id stays a 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from perfmgmt.api.base import OrgViewSet
from perfmgmt.api.schema import COMMON_PARAMETERS, error_responses
from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import member_get

from . import selectors, services
from .models import PersonalDataExport
from .serializers import ErasureInputSerializer, ErasureSerializer, ExportSerializer

PERSONAL_DATA = cast(
    "str", _("Exports and erasures of personal data are done by people; API keys cannot.")
)
_COMMON: dict[str, Any] = {"tags": ["personal data"], "parameters": COMMON_PARAMETERS}


@extend_schema_view(
    export=extend_schema(
        summary="Request an export of a person's data",
        description=(
            "Queues a ZIP of everything about the person (JSON and CSV), built in the "
            "background. The answer (202) links to the export's status, which only the caller "
            "reads; HR admins and owners export anyone, everyone else only themselves. "
            "A second request while one is being built is a 409."
        ),
        request=None,
        responses={202: ExportSerializer, **error_responses(401, 403, 404, 409, 429)},
        **_COMMON,
    ),
    erase=extend_schema(
        summary="Erase a person's data",
        description=(
            "Irreversible: the person's name, email, job title and external id in this "
            "organization go, and the texts they wrote with `texts: blank`; other people's "
            "records and the organization's aggregates stay. Owners only, never an owner. "
            "`confirmation` must be the person's name or email (400 otherwise); a person "
            "already erased is a 409."
        ),
        request=ErasureInputSerializer,
        responses={200: ErasureSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
        **_COMMON,
    ),
)
class PersonalDataViewSet(OrgViewSet):
    model = Membership
    serializer_class = ExportSerializer
    lookup_url_kwarg = "member_id"
    people_only = PERSONAL_DATA

    def _person(self) -> Membership:
        """The person whose data it is, as the caller may reach it (404 otherwise)."""
        return self.visible(
            lambda: member_get(member_id=self.object_id(), actor=self.actor),
            lambda caller: selectors.personal_data_person(actor=caller, member_id=self.object_id()),
        )

    @action(detail=True, methods=["post"], url_path="exports")
    def export(self, request: Request, org_slug: str, member_id: str) -> Response:
        person = self._person()
        export = services.export_request(actor=self.person(), person=person)
        return self.present(export, status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"], url_path="erasure")
    def erase(self, request: Request, org_slug: str, member_id: str) -> Response:
        person = self._person()
        data = self.parse(ErasureInputSerializer)
        erasure = services.person_erase(
            actor=self.person(),
            person=person,
            confirmation=data["confirmation"],
            blank_texts=data["texts"] == "blank",
        )
        return self.present(erasure, serializer=ErasureSerializer)


@extend_schema_view(
    retrieve=extend_schema(
        summary="The status of a personal-data export",
        description=(
            "Only for the person who requested it, until it expires (a 404 otherwise). "
            "`download_url` is set once the ZIP is ready."
        ),
        responses={200: ExportSerializer, **error_responses(401, 403, 404, 429)},
        **_COMMON,
    ),
    download=extend_schema(
        summary="Download a personal-data export",
        description="The ZIP, for the person who requested it, until it expires (404 otherwise).",
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="ZIP"),
            **error_responses(401, 403, 404, 429),
        },
        **_COMMON,
    ),
)
class PersonalDataExportViewSet(OrgViewSet):
    model = PersonalDataExport
    serializer_class = ExportSerializer
    lookup_url_kwarg = "export_id"
    people_only = PERSONAL_DATA

    def _lookup(self) -> None:
        # For a key: an id of another organization is a 404 before it is told it may not.
        if not PersonalDataExport.objects.filter(pk=self.object_id()).exists():
            raise Http404("No such export.")

    def retrieve(self, request: Request, org_slug: str, export_id: str) -> Response:
        export = self.visible(
            self._lookup,
            lambda caller: selectors.export_status_get(actor=caller, export_id=self.object_id()),
        )
        return self.present(export)

    @action(detail=True, methods=["get"])
    def download(self, request: Request, org_slug: str, export_id: str) -> FileResponse:
        export = self.visible(
            self._lookup,
            lambda caller: selectors.export_get(actor=caller, export_id=self.object_id()),
        )
        services.export_download(actor=self.person(), export=export)
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"personal-data-{export.person_id}-{export.pk}.zip",
            content_type="application/zip",
        )
