"""Coaching record pages: a person's records (managers add), one record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from perfmgmt.tenancy.models import Membership
from perfmgmt.tenancy.selectors import member_get

from .. import policies, selectors, services
from ..forms import (
    CoachingRecordForm,
)
from ._base import FeedbackAppView, _page


class CoachingPersonView(FeedbackAppView):
    """A person's coaching records; their managers add new ones here."""

    def person(self, member_id: int) -> Membership:
        person = member_get(member_id=member_id)
        if not policies.can_view_coaching_records_of(self.membership, person):
            raise Http404("No such person.")
        return person

    def get(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = self.person(member_id)
        today = selectors.local_today(self.organization)
        return self.render_page(person, CoachingRecordForm(initial={"held_on": today}))

    def post(self, request: HttpRequest, member_id: int) -> HttpResponse:
        person = self.person(member_id)
        if not policies.can_write_coaching_record(self.membership, person):
            raise PermissionDenied
        form = CoachingRecordForm(request.POST)
        if form.is_valid():
            record = self.save(
                form,
                lambda: services.coaching_record_create(
                    actor=self.membership, person=person, **form.cleaned_data
                ),
            )
            if record is not None:
                messages.success(request, "Coaching record saved.")
                return redirect(self.url("coaching_person", member_id=person.pk))
        return self.render_page(person, form, status=400)

    def render_page(
        self, person: Membership, form: CoachingRecordForm, status: int = 200
    ) -> HttpResponse:
        records = selectors.coaching_record_list(actor=self.membership, person_id=person.pk)
        page = _page(self.request, records)
        services.manager_content_read(actor=self.membership, coaching_records=page)
        can_write = policies.can_write_coaching_record(self.membership, person)
        context = {
            "person": person,
            "page": page,
            "form": form if can_write else None,
        }
        return self.show("coaching_person.html", context, status)


class CoachingDetailView(FeedbackAppView):
    def get(self, request: HttpRequest, coaching_record_id: int) -> HttpResponse:
        record = selectors.coaching_record_get(actor=self.membership, record_id=coaching_record_id)
        form = CoachingRecordForm(
            initial={name: getattr(record, name) for name in services.COACHING_FIELDS}
        )
        return self.render_page(record, form)

    def post(self, request: HttpRequest, coaching_record_id: int) -> HttpResponse:
        record = selectors.coaching_record_get(actor=self.membership, record_id=coaching_record_id)
        if not policies.can_edit_coaching_record(self.membership, record):
            raise PermissionDenied
        form = CoachingRecordForm(request.POST)
        if form.is_valid():
            saved = self.save(
                form,
                lambda: services.coaching_record_update(
                    actor=self.membership, record=record, **form.cleaned_data
                ),
            )
            if saved is not None:
                messages.success(request, "Coaching record saved.")
                return redirect(self.url("coaching_detail", coaching_record_id=record.pk))
        return self.render_page(record, form, status=400)

    def render_page(self, record: Any, form: CoachingRecordForm, status: int = 200) -> HttpResponse:
        services.manager_content_read(actor=self.membership, coaching_records=[record])
        can_edit = policies.can_edit_coaching_record(self.membership, record)
        context = {"record": record, "form": form if can_edit else None}
        return self.show("coaching_detail.html", context, status)
