"""Every model with a person key is declared in a `personal_data` module, or exempted."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from perfmgmt.privacy import registry
from perfmgmt.tenancy.models import Membership

PERSON_MODELS = (Membership, settings.AUTH_USER_MODEL)


def person_keys(model: type[models.Model]) -> list[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in (Membership, user_model)
    ]


def undeclared() -> list[str]:
    registered = {entry.label for entry in registry.registrations()}
    exempt = {entry.label for entry in registry.exemptions()}
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if person_keys(model) and model._meta.label not in registered | exempt
    )


def test_every_model_with_a_person_key_is_registered_or_exempt() -> None:
    assert undeclared() == [], (
        "Declare these models in their app's personal_data.py (perfmgmt/privacy/registry.py)"
    )


def test_the_check_sees_a_model_nobody_declared() -> None:
    with registry.restored_after():
        registry._registrations.clear()
        assert "goals.Goal" in undeclared()
        assert "tenancy.Membership" in undeclared()


def test_every_exemption_names_an_installed_model_and_gives_a_reason() -> None:
    for entry in registry.exemptions():
        model = apps.get_model(entry.label)
        assert person_keys(model), f"{entry.label} has no person key: drop the exemption"
        assert len(entry.reason) > 20


def test_every_registration_names_real_person_keys_and_text_fields() -> None:
    for entry in registry.registrations():
        keys = person_keys(entry.model)
        assert set(entry.person_fields) <= set(keys), entry.label
        for texts in entry.texts:
            assert texts.author in keys, entry.label
            for name in texts.fields:
                entry.model._meta.get_field(name)
        for name in entry.exclude:
            entry.model._meta.get_field(name)


def test_no_registration_exports_a_secret() -> None:
    columns = {entry.label: entry.columns() for entry in registry.registrations()}
    assert "key_hash" not in columns["api.ApiCredential"]
    assert "token_hash" not in columns["tenancy.Invitation"]
    assert all("password" not in names for names in columns.values())
