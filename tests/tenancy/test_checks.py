"""The tenancy system check: every project table is tenant-scoped or reviewed as global."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.apps.registry import Apps
from django.core import checks
from django.core.checks import CheckMessage
from django.db import models
from django.db.models.functions import Lower
from django.test.utils import isolate_apps, override_settings

from perfmgmt.tenancy.checks import (
    GLOBALLY_UNIQUE_FIELDS,
    check_tenant_models,
    is_project_app,
)
from perfmgmt.tenancy.scoping import TenantManager, TenantModel


@pytest.fixture
def registry() -> Iterator[Apps]:
    """An app registry of its own, so models defined in a test never reach the real one."""
    with isolate_apps("goals") as isolated:
        assert isolated is not None
        yield isolated


def run_check(registry: Apps) -> list[CheckMessage]:
    return check_tenant_models(app_configs=[registry.get_app_config("goals")])


def ids(messages: list[CheckMessage]) -> list[str]:
    return [message.id or "" for message in messages]


def test_the_project_passes_the_tenancy_check() -> None:
    assert check_tenant_models() == []


def test_the_check_runs_with_every_manage_py_check() -> None:
    assert checks.registry.registry.tags_available() >= {"tenancy"}
    assert check_tenant_models in checks.registry.registry.get_checks()


def test_the_check_covers_the_project_apps_and_no_third_party_app() -> None:
    covered = {config.name for config in apps.get_app_configs() if is_project_app(config)}
    assert {
        "perfmgmt.accounts",
        "perfmgmt.tenancy",
        "perfmgmt.audit",
        "perfmgmt.notifications",
        "perfmgmt.api",
        "goals",
        "reviews",
        "feedback",
        "rewards",
    } <= covered
    assert not covered & {
        "django.contrib.auth",
        "django.contrib.sessions",
        "allauth.account",
        "django_celery_beat",
    }


def test_a_well_formed_tenant_model_passes(registry: Apps) -> None:
    class Objective(TenantModel):
        title = models.CharField(max_length=100)
        objects = TenantManager()

        class Meta:
            app_label = "goals"
            constraints = [
                models.UniqueConstraint(fields=["organization", "title"], name="objective_title"),
                models.UniqueConstraint(
                    models.F("organization"), Lower("title"), name="objective_title_ci"
                ),
            ]
            indexes = [models.Index(fields=["organization", "-title"], name="objective_org")]

    assert run_check(registry) == []


def test_a_model_without_an_organization_fails(registry: Apps) -> None:
    class Scratchpad(models.Model):  # noqa: DJ008
        text = models.TextField()

        class Meta:
            app_label = "goals"

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E001"]
    assert messages[0].obj is Scratchpad
    assert "goals.Scratchpad" in messages[0].msg


def test_a_reviewed_global_model_passes(registry: Apps) -> None:
    class Scratchpad(models.Model):  # noqa: DJ008
        text = models.TextField(unique=True)

        class Meta:
            app_label = "goals"

    with override_settings(GLOBAL_MODELS={"accounts.User", "goals.Scratchpad"}):
        assert run_check(registry) == []


def test_a_unique_field_on_a_tenant_model_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        code = models.CharField(max_length=20, unique=True)
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E006"]
    assert "goals.Objective.code" in messages[0].msg


def test_a_field_with_an_index_of_its_own_on_a_tenant_model_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        code = models.CharField(max_length=20, db_index=True)
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    assert ids(run_check(registry)) == ["tenancy.E006"]


def test_the_reviewed_globally_unique_secrets_are_real_unique_fields() -> None:
    for entry in GLOBALLY_UNIQUE_FIELDS:
        app_label, model_name, field_name = entry.split(".")
        assert apps.get_model(app_label, model_name)._meta.get_field(field_name).unique


def test_a_unique_constraint_not_led_by_organization_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        title = models.CharField(max_length=100)
        objects = TenantManager()

        class Meta:
            app_label = "goals"
            constraints = [
                models.UniqueConstraint(fields=["title", "organization"], name="objective_title"),
                models.UniqueConstraint(Lower("title"), name="objective_title_ci"),
            ]

    assert ids(run_check(registry)) == ["tenancy.E004", "tenancy.E004"]


def test_unique_together_not_led_by_organization_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        title = models.CharField(max_length=100)
        objects = TenantManager()

        class Meta:
            app_label = "goals"
            unique_together = [("title", "organization")]

    assert ids(run_check(registry)) == ["tenancy.E004"]


def test_an_index_not_led_by_organization_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        title = models.CharField(max_length=100)
        objects = TenantManager()

        class Meta:
            app_label = "goals"
            indexes = [models.Index(fields=["title"], name="objective_title")]

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E005"]
    assert "objective_title" in messages[0].msg


def test_a_tenant_model_whose_default_manager_is_not_scoped_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        everything = models.Manager()
        objects = TenantManager()

        class Meta:
            app_label = "goals"
            default_manager_name = "everything"

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E003"]
    assert "everything" in messages[0].msg


def test_a_nullable_organization_key_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        organization = models.ForeignKey(
            "tenancy.Organization", null=True, on_delete=models.CASCADE, related_name="+"
        )
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E002"]
    assert "nullable" in messages[0].msg


def test_a_child_table_inheriting_the_organization_key_fails(registry: Apps) -> None:
    class Objective(TenantModel):
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    class StretchObjective(Objective):
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E002"]
    assert messages[0].obj is StretchObjective


def test_an_auto_created_many_to_many_table_fails(registry: Apps) -> None:
    class Skill(TenantModel):
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    class Objective(TenantModel):
        skills = models.ManyToManyField(Skill)
        objects = TenantManager()

        class Meta:
            app_label = "goals"

    messages = run_check(registry)
    assert ids(messages) == ["tenancy.E007"]
    assert "goals.Objective.skills" in messages[0].msg


def test_a_global_models_entry_naming_no_model_is_reported() -> None:
    with override_settings(GLOBAL_MODELS={"accounts.User", "tenancy.Organization", "goals.Gone"}):
        messages = check_tenant_models()
    assert ids(messages) == ["tenancy.W001"]
    assert "goals.Gone" in messages[0].msg
