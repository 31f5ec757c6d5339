"""Personal-data pages: a person's exports (request, progress, download) and the erasure.

Thin views over perfmgmt.privacy.services and selectors; another organization's person or
export is a 404, like a missing one.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt, is_htmx

from . import policies, selectors, services
from .forms import ErasureForm
from .models import PersonErasure


class PersonalDataView(OrgView):
    def get(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = selectors.personal_data_person(actor=self.membership, member_id=member_id)
        exports = list(selectors.export_list(actor=self.membership, person=person))
        context = {
            "person": person,
            "exports": exports,
            "pending": any(not export.finished_at for export in exports),
            "erasure": selectors.erasure_of(person=person),
            "can_erase": policies.can_erase_person(self.membership, person),
        }
        template = "privacy/_exports.html" if is_htmx(request) else "privacy/person.html"
        return render(request, template, context)


class ExportRequestView(OrgView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = selectors.personal_data_person(actor=self.membership, member_id=member_id)
        outcome = attempt(
            lambda: services.export_request(actor=self.membership, person=person), shown=True
        )
        if outcome.ok:
            messages.success(request, _("The export is being built. It appears below when ready."))
        else:
            messages.error(request, outcome.message)
        return redirect("privacy:person", self.organization.slug, person.pk)


class ExportDownloadView(OrgView):
    def get(self, request: HttpRequest, export_id: int) -> FileResponse:
        export = selectors.export_get(actor=self.membership, export_id=export_id)
        services.export_download(actor=self.membership, export=export)
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"personal-data-{export.person_id}-{export.pk}.zip",
            content_type="application/zip",
        )


class ErasureView(OrgFormView):
    form_class = ErasureForm
    template_name = "privacy/erase.html"

    @cached_property
    def person(self) -> Any:
        person = selectors.personal_data_person(
            actor=self.membership, member_id=self.kwargs["member_id"]
        )
        if not policies.can_erase_person(self.membership, person):
            raise PermissionDenied
        return person

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {
            **context,
            "person": self.person,
            "erasure": selectors.erasure_of(person=self.person),
        }

    def perform(self, form: ErasureForm) -> PersonErasure:
        return services.person_erase(
            actor=self.membership,
            person=self.person,
            confirmation=form.cleaned_data["confirmation"],
            blank_texts=form.cleaned_data["texts"] == "blank",
        )

    def success(self, result: PersonErasure) -> HttpResponse:
        messages.success(self.request, _("The person's data has been erased."))
        return redirect(
            reverse("people:profile", args=[self.organization.slug, result.membership_id])
        )
