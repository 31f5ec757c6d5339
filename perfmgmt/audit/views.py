"""The audit log pages: the list with its filters and keyset pages, one entry, the export.

HR admins and owners only (`policies`); everyone else gets the 403 of every HR page. An
entry of another organization is a 404, like an unknown one, and so is a filter naming a
person of another organization.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from perfmgmt import ids
from perfmgmt.tenancy.models import Membership
from perfmgmt.web.base import OrgView

from . import policies, selectors
from .exporting import audit_export
from .forms import AuditFilterForm, ExportForm
from .paging import DEFAULT_PAGE_SIZE, keyset_page
from .presenting import entry_view


def _query(request: HttpRequest, **changes: str | None) -> str:
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


def _person_name(member_id: int | None) -> str:
    """The name of the person a filter names; 404 for anyone not of this organization."""
    if member_id is None:
        return ""
    person = Membership.objects.filter(pk=ids.object_id(member_id)).select_related("user").first()
    if person is None:
        raise Http404(_("No such person."))
    return person.display_name


class AuditEntryListView(OrgView):
    permission_check = staticmethod(policies.can_view_audit_entries)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        context: dict[str, Any] = {"form": form, "export_form": ExportForm()}
        if form.is_valid():
            entries = selectors.audit_entry_list(actor=self.membership, **form.selector_arguments())
            page = keyset_page(
                entries, position=form.cleaned_data["cursor"], size=DEFAULT_PAGE_SIZE
            )
            slug = self.organization.slug
            context |= {
                "entries": [entry_view(entry, slug) for entry in page.entries],
                "next_query": _query(request, cursor=page.next.encode()) if page.next else "",
                "first_query": _query(request, cursor=None) if form.cleaned_data["cursor"] else "",
                "export_query": _query(request, cursor=None),
                "actor_name": _person_name(form.cleaned_data.get("actor")),
                "person_name": _person_name(form.cleaned_data.get("person")),
                "without_actor": _query(request, actor=None, cursor=None),
                "without_person": _query(request, person=None, cursor=None),
                "can_export": policies.can_export_audit_entries(self.membership),
            }
        return render(request, "audit/list.html", context, status=200 if form.is_valid() else 400)


class AuditEntryDetailView(OrgView):
    permission_check = staticmethod(policies.can_view_audit_entries)

    def get(self, request: HttpRequest, entry_id: int) -> HttpResponse:
        entry = selectors.audit_entry_get(actor=self.membership, entry_id=entry_id)
        context = {"view": entry_view(entry, self.organization.slug)}
        return render(request, "audit/detail.html", context)


class AuditExportView(OrgView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_export_audit_entries)

    def post(self, request: HttpRequest) -> HttpResponseBase:
        filters, export = AuditFilterForm(request.GET), ExportForm(request.POST)
        if not (filters.is_valid() and export.is_valid()):
            messages.error(request, _("The export could not be made: check the filters."))
            url = reverse("audit:list", args=[self.organization.slug])
            return redirect(f"{url}?{_query(request, cursor=None)}")
        entries = selectors.audit_entry_list(actor=self.membership, **filters.selector_arguments())
        return audit_export(
            actor=self.membership,
            entries=entries,
            file_format=export.cleaned_data["file_format"],
            filters=filters.recorded_filters(),
        )
