"""System check: every table of the project's own apps is tenant-scoped, or reviewed as global.

Runs with every `manage.py check` (and so before `migrate`, `runserver` and the test suite),
tag ``tenancy``. For each model of the project's own apps (the ``perfmgmt.*`` apps and the
top-level apps next to it: goals, reviews, feedback, rewards, and any app added later inside
the repository) it is an error unless the model

- subclasses ``TenantModel`` with a local, non-null ``organization`` foreign key to
  ``tenancy.Organization`` and a ``TenantManager`` as its default manager, or
- is listed in ``settings.GLOBAL_MODELS`` (a short, reviewed list).

For tenant models every unique constraint, ``unique_together`` and index must start with
``organization`` (the schema stays ready for sharding by organization, and a uniqueness rule
never reaches across tenants). A plain ``unique=True`` or ``db_index=True`` field is an error
too, except the globally unique secrets in ``GLOBALLY_UNIQUE_FIELDS``. The implicit index of a
foreign key is allowed (Django adds it to every foreign key). An auto-created many-to-many
table has no organization column, so tenant models must use an explicit ``through`` model.

Out of scope: third-party apps (``django.contrib.auth``, ``contenttypes``, ``sessions``,
``admin``, ``allauth`` account and mfa, ``django_celery_beat``); their tables hold logins,
sessions and schedules, not tenant data, and they are not ours to change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.db import models
from django.db.models.expressions import F

from .scoping import TenantManager, TenantModel

TAG = "tenancy"
ORGANIZATION_MODEL = "tenancy.Organization"

# Lookup keys for secrets (API keys, invitation links). The secret alone has to find its row
# before any organization is known (sign-in, the emailed link), and a random 256-bit value
# cannot collide across tenants, so these are unique across the whole table on purpose.
GLOBALLY_UNIQUE_FIELDS = frozenset(
    {
        "api.ApiCredential.prefix",
        "api.ApiCredential.key_hash",
        "tenancy.Invitation.token_hash",
    }
)


def is_project_app(app_config: AppConfig) -> bool:
    """An app whose code lives in this repository (not an installed third-party package)."""
    path = Path(app_config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return path.is_relative_to(base) and "site-packages" not in path.parts


def check_tenant_models(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """The registered check. With no `app_configs`, every installed project app."""
    configs = apps.get_app_configs() if app_configs is None else app_configs
    global_models = set(getattr(settings, "GLOBAL_MODELS", ()))
    messages: list[CheckMessage] = []
    for app_config in configs:
        if not is_project_app(app_config):
            continue
        for model in app_config.get_models():
            messages.extend(check_model(model, global_models=global_models))
    if app_configs is None:
        messages.extend(_stale_global_models(global_models))
    return messages


def check_model(model: type[models.Model], *, global_models: Iterable[str]) -> list[CheckMessage]:
    label = model._meta.label
    if label in set(global_models):
        return []
    if not issubclass(model, TenantModel):
        return [
            Error(
                f"{label} is neither a tenant model nor a reviewed global model.",
                hint=(
                    "Subclass perfmgmt.tenancy.scoping.TenantModel, or, if the table really "
                    "holds no organization's data, add it to settings.GLOBAL_MODELS."
                ),
                obj=model,
                id="tenancy.E001",
            )
        ]
    messages = [*_organization_field_errors(model), *_manager_errors(model)]
    if not model._meta.proxy:
        messages += [
            *_unique_errors(model),
            *_index_errors(model),
            *_field_errors(model),
            *_many_to_many_errors(model),
        ]
    return messages


def _model_label(model: Any) -> str:
    return model if isinstance(model, str) else model._meta.label


def _organization_field_errors(model: type[models.Model]) -> list[CheckMessage]:
    label = model._meta.label
    try:
        field = model._meta.get_field("organization")
    except Exception:
        field = None
    problem = ""
    if not isinstance(field, models.ForeignKey):
        problem = "has no `organization` foreign key"
    elif _model_label(field.remote_field.model).lower() != ORGANIZATION_MODEL.lower():
        problem = "has an `organization` key that does not point to tenancy.Organization"
    elif field.null:
        problem = "has a nullable `organization` key"
    elif not model._meta.proxy and field not in model._meta.local_fields:
        problem = "inherits `organization` from a parent table (multi-table inheritance)"
    if not problem:
        return []
    return [
        Error(
            f"Tenant model {label} {problem}.",
            hint="Every tenant table carries its own non-null organization key.",
            obj=model,
            id="tenancy.E002",
        )
    ]


def _manager_errors(model: type[models.Model]) -> list[CheckMessage]:
    manager = model._default_manager
    if isinstance(manager, TenantManager):
        return []
    return [
        Error(
            f"The default manager of tenant model {model._meta.label} "
            f"({type(manager).__name__} `{manager.name}`) is not a TenantManager.",
            hint=(
                "Declare `objects = TenantManager()` first so queries fail closed without an "
                "active organization; cross-organization code uses `unscoped` explicitly."
            ),
            obj=model,
            id="tenancy.E003",
        )
    ]


def _first_column(fields: Sequence[str], expressions: Sequence[Any]) -> str | None:
    if fields:
        return fields[0].lstrip("-")
    if expressions:
        first = expressions[0]
        while not isinstance(first, F) and getattr(first, "expression", None) is not None:
            first = first.expression  # OrderBy(F("x")) and similar wrappers
        if isinstance(first, F):
            return str(first.name)  # type: ignore[attr-defined]
    return None


def _starts_with_organization(fields: Sequence[str], expressions: Sequence[Any] = ()) -> bool:
    return _first_column(fields, expressions) in ("organization", "organization_id")


def _unique_errors(model: type[models.Model]) -> list[CheckMessage]:
    label = model._meta.label
    messages: list[CheckMessage] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and not _starts_with_organization(
            constraint.fields, constraint.expressions
        ):
            messages.append(
                Error(
                    f"Unique constraint {constraint.name!r} of tenant model {label} does not "
                    "start with `organization`.",
                    hint="Put `organization` first so uniqueness holds per organization.",
                    obj=model,
                    id="tenancy.E004",
                )
            )
    for together in model._meta.unique_together:
        if not _starts_with_organization(together):
            messages.append(
                Error(
                    f"unique_together {tuple(together)!r} of tenant model {label} does not "
                    "start with `organization`.",
                    hint="Put `organization` first so uniqueness holds per organization.",
                    obj=model,
                    id="tenancy.E004",
                )
            )
    return messages


def _index_errors(model: type[models.Model]) -> list[CheckMessage]:
    return [
        Error(
            f"Index {index.name!r} of tenant model {model._meta.label} does not start with "
            "`organization`.",
            hint="Every index of a tenant table leads with `organization`.",
            obj=model,
            id="tenancy.E005",
        )
        for index in model._meta.indexes
        if not _starts_with_organization(index.fields, index.expressions)
    ]


def _field_errors(model: type[models.Model]) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for field in model._meta.local_fields:
        if field.primary_key or field.name == "organization":
            continue
        name = f"{model._meta.label}.{field.name}"
        if field.unique and name not in GLOBALLY_UNIQUE_FIELDS:
            problem = "is unique across all organizations (unique=True)"
        elif getattr(field, "db_index", False) and not field.is_relation:
            problem = "has an index of its own (db_index=True)"
        else:
            continue
        messages.append(
            Error(
                f"Field {name} of a tenant model {problem}.",
                hint=(
                    "Use a UniqueConstraint / Index on ['organization', "
                    f"'{field.name}'] instead. Truly global secrets are listed in "
                    "perfmgmt.tenancy.checks.GLOBALLY_UNIQUE_FIELDS."
                ),
                obj=model,
                id="tenancy.E006",
            )
        )
    return messages


def _many_to_many_errors(model: type[models.Model]) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if through is None or isinstance(through, str) or not through._meta.auto_created:
            continue  # an explicit through model is checked like any other model
        messages.append(
            Error(
                f"Many-to-many field {model._meta.label}.{field.name} uses an auto-created "
                "table without an organization key.",
                hint="Give it an explicit `through` model that subclasses TenantModel.",
                obj=model,
                id="tenancy.E007",
            )
        )
    return messages


def _stale_global_models(global_models: Iterable[str]) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for label in sorted(global_models):
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            messages.append(
                Warning(
                    f"settings.GLOBAL_MODELS names {label!r}, which is not an installed model.",
                    hint="Remove the entry, so the reviewed list stays short and true.",
                    id="tenancy.W001",
                )
            )
    return messages
