"""Choosing people by searching, never from a list of the whole organization.

A form field that chooses one person or several (`PersonSearchField`,
`PeopleSearchField`) draws its people from a named *source*: a function of the reader
giving the people they may choose (`@person_source("feedback.recipients")`). Apps register
their sources where they define their forms. The widget shows what is chosen, a search box
and at most `SEARCH_LIMIT` matches:

- with JavaScript, htmx asks `PersonSearchView` for the matches while the reader types;
- without it, the search box's button sends the form back (`SEARCH_BUTTON`): the form page
  shows the same form again, with what was typed and the matches, and changes nothing.

The field validates the chosen ids against the same source, so a search result is never
trusted: a person outside the source (another organization's, someone who left) is
refused like any invalid choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy.context import current_organization

from .models import Membership

SEARCH_LIMIT = 20
# The most people one field keeps chosen (a whole team is assigned by choosing the team).
MAX_CHOSEN = 100
# The submit button of the search box (forms without JavaScript); see OrgFormView.post.
SEARCH_BUTTON = "_person_search"
SEARCH_SUFFIX = "__search"

Source = Callable[[Any], "QuerySet[Membership]"]
_sources: dict[str, Source] = {}


def person_source(name: str) -> Callable[[Source], Source]:
    """Register the people `name` offers a reader to choose from."""

    def register(source: Source) -> Source:
        existing = _sources.get(name)
        if existing is not None and existing.__qualname__ != source.__qualname__:
            raise ValueError(f"A person source named {name!r} is already registered.")
        _sources[name] = source
        return source

    return register


def source_people(name: str, actor: Any) -> QuerySet[Membership]:
    """The people source `name` offers `actor`; an unknown source is a 404."""
    source = _sources.get(name)
    if source is None:
        raise Http404
    return source(actor)


@dataclass
class PeopleFound:
    query: str
    people: list[Membership]
    more: bool  # more match than are shown: the reader types more of the name


def people_search(
    people: QuerySet[Membership],
    query: str,
    *,
    limit: int = SEARCH_LIMIT,
    exclude: Sequence[int] = (),
) -> PeopleFound:
    """At most `limit` of `people` whose name, email or job title contains `query`."""
    query = query.strip()[:100]
    if not query:
        return PeopleFound(query, [], False)
    matches = people.filter(
        Q(full_name__icontains=query)
        | Q(user__email__icontains=query)
        | Q(job_title__icontains=query)
    )
    if exclude:
        matches = matches.exclude(pk__in=list(exclude)[:MAX_CHOSEN])
    found = list(matches.select_related("user").order_by("full_name", "pk")[: limit + 1])
    return PeopleFound(query, found[:limit], len(found) > limit)


def chosen_ids(values: Any) -> list[int]:
    """The ids among submitted values (anything else is ignored), at most MAX_CHOSEN."""
    if values in (None, ""):
        return []
    if not isinstance(values, (list, tuple)):
        values = [values]
    ids: list[int] = []
    for value in values:
        text = str(getattr(value, "pk", value))
        if text.isdigit() and len(text) < 19 and int(text) not in ids:
            ids.append(int(text))
    return ids[:MAX_CHOSEN]


class PersonSearchWidget(forms.Widget):
    """What is chosen (ticked), a search box and the matches (see the module docstring)."""

    template_name = "people/widgets/person_search.html"

    def __init__(self, *, multiple: bool, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.source = ""
        self.people: QuerySet[Membership] = Membership.unscoped.none()
        self.query = ""
        self.empty_label: str = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.query = str(data.get(name + SEARCH_SUFFIX, ""))[:100]
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an empty choice is a choice (like checkboxes)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's templates, not the form renderer's (which sees only Django's own).
        context = self.get_context(name, value, self.build_attrs(self.attrs, attrs))
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        ids = chosen_ids(value)
        chosen = list(self.people.filter(pk__in=ids).select_related("user")) if ids else []
        chosen.sort(key=lambda person: ids.index(person.pk))
        context["search"] = {
            "name": name,
            "multiple": self.multiple,
            "chosen": chosen,
            "found": people_search(self.people, self.query, exclude=ids),
            "url": search_url(
                self.source,
                name=name,
                field_id=str((attrs or {}).get("id", "")),
                multiple=self.multiple,
            ),
            "empty_label": self.empty_label,
            "button": SEARCH_BUTTON,
            "suffix": SEARCH_SUFFIX,
        }
        return context


def search_url(source: str, *, name: str, field_id: str, multiple: bool) -> str:
    address = reverse("people:person_search", kwargs={"org_slug": current_organization().slug})
    query = urlencode({"source": source, "name": name, "id": field_id, "multiple": int(multiple)})
    return f"{address}?{query}"


def _use_source(
    field: forms.ModelChoiceField[Membership], name: str, actor: Any, exclude: Membership | None
) -> None:
    people = source_people(name, actor)
    if exclude is not None and exclude.pk is not None:
        people = people.exclude(pk=exclude.pk)
    field.queryset = people
    widget = field.widget
    assert isinstance(widget, PersonSearchWidget)
    widget.source, widget.people = name, people


def _messages(kwargs: dict[str, Any], *, invalid: Any, required: Any) -> None:
    messages = kwargs.setdefault("error_messages", {})
    messages.setdefault("invalid_choice", invalid)
    messages.setdefault("required", required)


if TYPE_CHECKING:
    _OneField = forms.ModelChoiceField[Membership]
    _ManyField = forms.ModelMultipleChoiceField[Membership]
else:  # the form classes are not subscriptable at run time
    _OneField, _ManyField = forms.ModelChoiceField, forms.ModelMultipleChoiceField


class PersonSearchField(_OneField):
    """One person, found by a search. Set the people with `use_source()`."""

    def __init__(self, *, label: Any, required: bool = True, **kwargs: Any) -> None:
        _messages(
            kwargs,
            invalid=_("Choose a person from the list."),
            required=_("Find the person by name and choose them."),
        )
        empty_label = kwargs.pop("empty_label", None)
        super().__init__(
            queryset=Membership.unscoped.none(),
            label=label,
            required=required,
            widget=PersonSearchWidget(multiple=False),
            empty_label=None,
            **kwargs,
        )
        self.widget.empty_label = "" if required else str(empty_label or _("No one"))

    def use_source(self, name: str, actor: Any, *, exclude: Membership | None = None) -> None:
        """Offer (and accept) the people source `name` gives `actor` (less `exclude`)."""
        _use_source(self, name, actor, exclude)


class PeopleSearchField(_ManyField):
    """Several people, found by searches. Set the people with `use_source()`."""

    def __init__(self, *, label: Any, **kwargs: Any) -> None:
        _messages(
            kwargs,
            invalid=_("Choose people from the list."),
            required=_("Find at least one person and tick them."),
        )
        super().__init__(
            queryset=Membership.unscoped.none(),
            label=label,
            widget=PersonSearchWidget(multiple=True),
            **kwargs,
        )

    def use_source(self, name: str, actor: Any, *, exclude: Membership | None = None) -> None:
        """Offer (and accept) the people source `name` gives `actor` (less `exclude`)."""
        _use_source(self, name, actor, exclude)

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)) and len(set(value)) > MAX_CHOSEN:
            raise forms.ValidationError(
                _("Choose at most %(count)d people.") % {"count": MAX_CHOSEN}, code="too_many"
            )
        return super().clean(value)
