"""The base of the feedback app's pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView
from perfmgmt.web.keyset import Keyset

PAGE_SIZE = 50
# Newest first, on feedback's (organization, created_at, id) index, without a count.
FEEDBACK_PAGES = Keyset(name="feedback", order=("-created_at", "-id"))


def _page(request: HttpRequest, items: QuerySet[Any]) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


class FeedbackAppView(OrgView):
    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"feedback:{name}", kwargs={"org_slug": self.organization.slug, **kwargs})

    def show(self, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, f"feedback/{template}", context, status=status)


class FeedbackFormView(OrgFormView, FeedbackAppView):
    """A feedback form page: each one says in render_form() how its page shows the form."""
