"""Review set-up pages: rating scales (HR admins and owners edit; every member reads)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView

from . import policies, selectors, services
from .forms import RatingScaleForm
from .models import RatingScale


class ScaleListView(OrgView):
    permission_check = staticmethod(policies.can_view_review_setup)

    def get(self, request: HttpRequest) -> HttpResponse:
        can_manage = policies.can_manage_review_setup(self.membership)
        context = {
            "scales": selectors.rating_scale_list(include_archived=can_manage),
            "can_manage": can_manage,
        }
        return render(request, "reviews/scales.html", context)


class _ScaleEdit(OrgFormView):
    permission_check = staticmethod(policies.can_manage_review_setup)
    form_class = RatingScaleForm
    template_name = "reviews/scale_form.html"

    def scales_url(self) -> str:
        return reverse("reviews:scales", args=[self.organization.slug])

    def success(self, scale: RatingScale) -> HttpResponse:
        messages.success(self.request, _("%(name)s saved.") % {"name": scale.name})
        return redirect(self.scales_url())


class ScaleCreateView(_ScaleEdit):
    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "scale": None}

    def perform(self, form: RatingScaleForm) -> RatingScale:
        return services.rating_scale_create(
            actor=self.membership, levels=form.levels(), **form.scale_fields()
        )


class ScaleEditView(_ScaleEdit):
    @cached_property
    def scale(self) -> RatingScale:
        return selectors.rating_scale_get(scale_id=self.kwargs["scale_id"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"scale": self.scale}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "scale": self.scale}

    def perform(self, form: RatingScaleForm) -> RatingScale:
        return services.rating_scale_update(
            actor=self.membership, scale=self.scale, levels=form.levels(), **form.scale_fields()
        )
