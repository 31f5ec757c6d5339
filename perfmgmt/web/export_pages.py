"""The Exports page: a form per export the reader may run (filters and format), and one
download address per export, built from what the apps registered (perfmgmt/exports.py).

A bad filter shows the page again with the form's errors (400); an export the reader may
not run is a 403; everything else is audited and answered by `exports.export_answer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, path

from perfmgmt import exports
from perfmgmt.errors import PermissionDeniedError
from perfmgmt.tenancy.policies import Actor

from .base import OrgView


def has_exports(actor: Actor) -> bool:
    return any(export.visible(actor) for export in exports.registered())


def url_name(export: exports.Export) -> str:
    return "export_" + export.key.replace("-", "_")


def _page(
    request: HttpRequest, actor: Actor, bound: exports.ExportForm | None = None, status: int = 200
) -> HttpResponse:
    offered = []
    for export in exports.available_to(actor):
        form = bound if bound is not None and isinstance(bound, export.form) else None
        form = form or export.form(actor=actor, auto_id=f"{export.key}-%s")
        offered.append({"export": export, "form": form, "url_name": f"web:{url_name(export)}"})
    return render(request, "web/exports.html", {"offered": offered}, status=status)


def export_download(
    request: HttpRequest, export: exports.Export, *, actor: Actor, data: Mapping[str, Any]
) -> HttpResponseBase:
    """The file of `export` with the filters in `data`, or the page with the errors (400)."""
    try:
        form = exports.export_form(export, actor=actor, data=data)
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from None
    if not form.is_valid():
        form.auto_id = f"{export.key}-%s"
        return _page(request, actor, form, status=400)
    organization = request.organization  # type: ignore[attr-defined]
    return exports.export_answer(export, actor=actor, form=form, organization=organization)


class ExportsView(OrgView):
    permission_check = staticmethod(has_exports)

    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request, self.membership)


class ExportDownloadView(OrgView):
    export_key = ""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        export = exports.export_named(self.export_key)
        assert export is not None  # the address exists only for a registered export
        return export_download(request, export, actor=self.membership, data=request.GET)


def export_urlpatterns() -> list[URLPattern]:
    patterns = [path("o/<slug:org_slug>/exports/", ExportsView.as_view(), name="exports")]
    for export in exports.registered():
        view = ExportDownloadView.as_view(export_key=export.key)
        patterns.append(
            path(f"o/<slug:org_slug>/exports/{export.key}/", view, name=url_name(export))
        )
    return patterns
