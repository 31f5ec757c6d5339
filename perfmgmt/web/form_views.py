"""One HTML view for "validate a form, call one service, show the result or the error".

The one place where a service's refusal becomes what the browser sees:

- a `DomainError` becomes errors on the form (its fields, or above the form) and a 400;
- a `ConflictError` (a stale write) becomes a 409 that shows the form again with what was
  typed and the message;
- a `PermissionDeniedError` becomes a 403. A form page shows the form again with the
  message (the refusal is about what was chosen, "you cannot be your own manager"), an htmx
  partial likewise; a button with nothing to show it on raises Django's `PermissionDenied`.

Views that are not of that shape (a button, several steps) call `attempt()` directly
instead of writing their own `except DomainError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perfmgmt.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from perfmgmt.tenancy.person_search import SEARCH_BUTTON

from .base import OrgView
from .forms import add_domain_error

Result = TypeVar("Result")


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def refusal_status(error: DomainError, *, shown: bool = False) -> int:
    """The status code of a refused service call: 403, 409 for a conflict, 400 otherwise;
    what was not found stays a 404.

    A permission refusal raises `PermissionDenied` (the 403 page) unless the caller shows
    the message itself (`shown`: on a form or in a partial) and answers the 403.
    """
    if isinstance(error, NotFoundError):
        raise error  # also an Http404: the page answers 404, like any missing object
    if isinstance(error, PermissionDeniedError):
        if not shown:
            raise PermissionDenied(error.message)
        return 403
    if isinstance(error, ConflictError):
        return 409
    return 400


@dataclass(frozen=True)
class Outcome(Generic[Result]):
    """What one service call gave: its result, or the refusal and its status code."""

    result: Result | None = None
    error: DomainError | None = None
    status: int = 200

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def message(self) -> str:
        return self.error.message if self.error is not None else ""


def attempt(
    action: Callable[[], Result],
    *,
    form: forms.BaseForm | None = None,
    aliases: dict[str, str] | None = None,
    shown: bool = False,
) -> Outcome[Result]:
    """Call one service. A refusal is put on `form` (if given) and gives its status code.
    A permission refusal is a 403: `PermissionDenied` is raised unless there is a form to
    show the message on, or the caller shows it itself (`shown`: a partial, a section)."""
    try:
        return Outcome(result=action())
    except DomainError as error:
        status = refusal_status(error, shown=form is not None or shown)
        if form is not None:
            add_domain_error(form, error, aliases=aliases)
        return Outcome(error=error, status=status)


def searching(form: forms.BaseForm) -> forms.BaseForm:
    """The form sent by a person search box's button (a browser without JavaScript; see
    perfmgmt/tenancy/person_search.py): shown again with what was typed and the matches,
    without errors, since the person has not finished filling it in. Nothing is changed."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # not validated: nothing to show
    form.cleaned_data = {}
    return form


class ServiceFormMixin(ABC):
    """The contract of a form page; use `OrgFormView` for pages of an organization.

    - `form_class` and `get_form_kwargs()` / `get_initial()` build the form;
    - `perform(form)` calls exactly one service with the cleaned data and returns its result;
    - `success(result)` answers after it worked (a redirect, or an htmx partial);
    - `template_name` (and `partial_template_name` for htmx) with `get_context_data()`
      show the form, again with the typed values after a refusal.
    """

    request: Any  # an HttpRequest; OrgView narrows it to an OrgRequest
    form_class: ClassVar[type[forms.BaseForm]]  # every concrete page names its form
    template_name: ClassVar[str] = ""
    partial_template_name: ClassVar[str] = ""
    # The service names some fields differently from the form: {"service": "form field"}.
    field_aliases: ClassVar[dict[str, str]] = {}

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: Any = None) -> forms.BaseForm:
        kwargs = self.get_form_kwargs()
        initial = self.get_initial() if data is None else {}
        if initial:  # many forms set their own initial values from the object they edit
            kwargs.setdefault("initial", initial)
        return self.form_class(data, **kwargs)

    @abstractmethod
    def perform(self, form: Any) -> Any:
        """Call the one service with the form's cleaned data; its result goes to success()."""

    @abstractmethod
    def success(self, result: Any) -> HttpResponse:
        """What follows a change that worked: a redirect, or an htmx partial."""

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return context

    @property
    def is_partial(self) -> bool:
        """An htmx request to a view that has a partial to answer with."""
        return is_htmx(self.request) and bool(self.partial_template_name)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        template = self.partial_template_name if self.is_partial else self.template_name
        context = self.get_context_data(form=form)
        return render(self.request, template, context, status=status)

    def stale_form(self, form: Any, error: ConflictError) -> Any:
        """The form to show after a stale write; by default the one with what was typed."""
        return form

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if SEARCH_BUTTON in request.POST:
            return self.render_form(searching(form))
        if not form.is_valid():
            return self.render_form(form, status=400)
        outcome = attempt(lambda: self.perform(form), form=form, aliases=self.field_aliases)
        if outcome.ok:
            return self.success(outcome.result)
        if isinstance(outcome.error, ConflictError):
            form = self.stale_form(form, outcome.error)
        return self.render_form(form, status=outcome.status)


class OrgFormView(ServiceFormMixin, OrgView):
    """A form page of one organization (the organization is resolved before anything)."""
