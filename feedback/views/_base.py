"""The base of the feedback app's pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from perfmgmt.errors import DomainError
from perfmgmt.tenancy.forms import PeopleForm
from perfmgmt.web.base import OrgView

PAGE_SIZE = 50


def _page(request: HttpRequest, items: QuerySet[Any]) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


class FeedbackAppView(OrgView):
    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"feedback:{name}", kwargs={"org_slug": self.organization.slug, **kwargs})

    def show(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, f"feedback/{template}", context, status=status)

    def save(self, form: PeopleForm, action: Any) -> Any:
        """Run a service; on a DomainError put its messages on the form and return None."""
        try:
            return action()
        except DomainError as error:
            form.add_domain_error(error)
            return None
