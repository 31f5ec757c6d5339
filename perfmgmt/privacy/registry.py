"""Which models hold personal data, how to export them and how to erase them.

Each app declares, in a module named `personal_data` (discovered when this app is ready),
every model of its own that has a foreign key to a person (`tenancy.Membership` or
`accounts.User`): `register(PersonalData(...))`, or `exempt(label, reason)` for a model that
holds a person key but no data about the person in this organization (a login-level table,
erased with the login). tests/privacy/test_registry.py fails for a model that is neither.

A registration says:

- `person_fields`: the foreign keys that link a row to the person; a row is theirs when any
  of them names the person (`rows` replaces that choice when it is not the right one);
- `readable`: the app's own reader rule as a filter (the filter its pages use). The export
  holds a row only when both the person and the requester may read it, so anonymity and
  privacy rules travel with the data (a private note reaches only its author);
- `exclude`: columns never exported (secrets, hashes);
- `texts`: the free texts the person wrote, blanked on erasure when the organization
  chooses to (`kept` says in words which texts stay, and why);
- `erase`: an extra erasure step for what a text replacement cannot express;
- `tables`: extra tables of the export that are not rows of the model (aggregates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

from perfmgmt.registry import Registry
from perfmgmt.tenancy.models import Membership


@dataclass(frozen=True)
class ExportContext:
    """Whose data (`person`) and who asked for it (`requester`)."""

    person: Membership
    requester: Membership


@dataclass(frozen=True)
class EraseContext:
    """Who is erased, by whom, whether their texts are blanked, and what pages call them
    from now on (`name`, for a copy of their name kept in a row, like an actor label)."""

    person: Membership
    actor: Membership
    blank_texts: bool
    name: str


@dataclass(frozen=True)
class Table:
    """One file pair of the export: a name, column names and rows of plain values."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Texts:
    """Free texts `author` (a person field) wrote; blanked to `placeholder` on erasure."""

    author: str
    fields: tuple[str, ...]
    placeholder: Any = ""


Rows = Callable[[ExportContext], "models.QuerySet[Any]"]
Readable = Callable[[Membership], Q]


@dataclass(frozen=True, eq=False)
class PersonalData:
    model: type[models.Model]
    person_fields: tuple[str, ...]
    readable: Readable | None = None
    exclude: tuple[str, ...] = ()
    texts: tuple[Texts, ...] = ()
    kept: str = ""
    rows: Rows | None = None
    erase: Callable[[EraseContext], None] | None = None
    tables: Callable[[ExportContext], Iterable[Table]] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonalData) and other.model is self.model

    def __hash__(self) -> int:
        return hash(self.model)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def columns(self) -> list[str]:
        return [
            field.attname
            for field in self.model._meta.concrete_fields
            if field.name not in self.exclude and field.name != "organization"
        ]

    def person_filter(self, person: Membership) -> Q:
        query = Q(pk__in=[])
        for name in self.person_fields:
            query |= self.person_filter_on(name, person)
        return query

    def person_filter_on(self, name: str, person: Membership) -> Q:
        """Rows whose `name` (a key to a membership or a login) is the person."""
        target = person.user_id if _points_to_user(self.model, name) else person.pk
        return Q(**{name: target})


@dataclass(frozen=True)
class Exempt:
    label: str
    reason: str


def _points_to_user(model: type[models.Model], name: str) -> bool:
    return model._meta.get_field(name).related_model is not Membership


_registrations: Registry[PersonalData] = Registry()
_exempt: Registry[Exempt] = Registry()


def register(entry: PersonalData) -> PersonalData:
    """Declare a model's personal data. Registering the same model twice is a no-op."""
    return _registrations.add(entry)


def exempt(label: str, reason: str) -> Exempt:
    """Declare that `label` ("app.Model") has a person key but holds nothing to export or
    erase per organization, and why."""
    return _exempt.add(Exempt(label, reason))


def registrations() -> list[PersonalData]:
    return sorted(_registrations, key=lambda entry: entry.label)


def exemptions() -> list[Exempt]:
    return list(_exempt)


def registration_for(model: type[models.Model]) -> PersonalData | None:
    return next((entry for entry in _registrations if entry.model is model), None)


restored_after = _registrations.restored_after
