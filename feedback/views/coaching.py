"""Coaching record pages: a person's records (managers add), one record."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import member_get

from .. import policies, selectors, services
from ..forms import (
    CoachingRecordForm,
)
from ._base import FeedbackFormView, _page


class CoachingPersonView(FeedbackFormView):
    """A person's coaching records; their managers add new ones here."""

    form_class = CoachingRecordForm

    @cached_property
    def person(self) -> Membership:
        person = member_get(member_id=self.kwargs["member_id"])
        if not policies.can_view_coaching_records_of(self.membership, person):
            raise Http404("No such person.")
        return person

    def get_initial(self) -> dict[str, Any]:
        return {"held_on": selectors.local_today(self.organization)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_write_coaching_record(self.membership, self.person):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form: CoachingRecordForm) -> Any:
        return services.coaching_record_create(
            actor=self.membership, person=self.person, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Coaching record saved."))
        return redirect(self.url("coaching_person", member_id=self.person.pk))

    def render_form(self, form: CoachingRecordForm, status: int = 200) -> HttpResponse:
        person = self.person
        records = selectors.coaching_record_list(actor=self.membership, person_id=person.pk)
        page = _page(self.request, records)
        services.manager_content_read(actor=self.membership, coaching_records=page)
        can_write = policies.can_write_coaching_record(self.membership, person)
        context = {"person": person, "page": page, "form": form if can_write else None}
        return self.show("coaching_person.html", context, status)


class CoachingDetailView(FeedbackFormView):
    form_class = CoachingRecordForm

    @cached_property
    def record(self) -> Any:
        record_id = self.kwargs["coaching_record_id"]
        return selectors.coaching_record_get(actor=self.membership, record_id=record_id)

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in services.COACHING_FIELDS}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_edit_coaching_record(self.membership, self.record):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form: CoachingRecordForm) -> Any:
        return services.coaching_record_update(
            actor=self.membership, record=self.record, **form.cleaned_data
        )

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Coaching record saved."))
        return redirect(self.url("coaching_detail", coaching_record_id=self.record.pk))

    def render_form(self, form: CoachingRecordForm, status: int = 200) -> HttpResponse:
        record = self.record
        services.manager_content_read(actor=self.membership, coaching_records=[record])
        can_edit = policies.can_edit_coaching_record(self.membership, record)
        context = {"record": record, "form": form if can_edit else None}
        return self.show("coaching_detail.html", context, status)
