"""Development plans and 1:1s became apps of their own: the data of an old database follows.

The migrations that move the models change the state only (the tables keep their names);
what names a model by its app label moves with it, in the new apps' 0001_initial: content
types (so permissions and admin log entries) and the audit log's `target_type`. These tests
put rows back as the old layout left them and run that migration step on them.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from tests.conftest import OrgPeople

MOVES = [
    ("goals.DevelopmentPlan", "development.DevelopmentPlan"),
    ("goals.CompetencyCategory", "development.CompetencyCategory"),
    ("feedback.Meeting", "meetings.Meeting"),
]


def initial_migration(app_label: str) -> ModuleType:
    return import_module(f"{apps.get_app_config(app_label).name}.migrations.0001_initial")


def as_the_old_layout_left_it(org: OrgPeople, old: str, new: str) -> tuple[int, AuditEntry]:
    """The content type under the parent app's label, and an audit entry naming it so."""
    app_label, model = new.lower().split(".")
    content_type = ContentType.objects.get(app_label=app_label, model=model)
    ContentType.objects.filter(pk=content_type.pk).update(app_label=old.split(".")[0])
    with organization_scope(org.organization):
        entry = AuditEntry.objects.create(
            actor_label="Olivia", action="test", target_type=old, target_id="1"
        )
    ContentType.objects.clear_cache()
    return content_type.pk, entry


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), MOVES)
def test_the_move_relabels_content_types_and_audit_entries_of_an_old_database(
    org: OrgPeople, old: str, new: str
) -> None:
    app_label, model = new.lower().split(".")
    content_type_id, entry = as_the_old_layout_left_it(org, old, new)
    with organization_scope(org.organization):
        untouched = AuditEntry.objects.create(
            actor_label="Olivia", action="test", target_type="goals.Goal", target_id="1"
        )

    initial_migration(app_label).relabel_forwards(apps, None)

    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(pk=content_type_id)
    entry.refresh_from_db()
    untouched.refresh_from_db()
    assert (moved.app_label, moved.model) == (app_label, model)
    assert Permission.objects.get(codename=f"view_{model}").content_type_id == content_type_id
    assert entry.target_type == new
    assert untouched.target_type == "goals.Goal"


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), MOVES)
def test_migrating_back_gives_the_rows_their_old_labels_again(
    org: OrgPeople, old: str, new: str
) -> None:
    app_label = new.split(".")[0]
    content_type_id, entry = as_the_old_layout_left_it(org, old, new)
    migration = initial_migration(app_label)
    migration.relabel_forwards(apps, None)

    migration.relabel_backwards(apps, None)

    entry.refresh_from_db()
    assert ContentType.objects.get(pk=content_type_id).app_label == old.split(".")[0]
    assert entry.target_type == old
