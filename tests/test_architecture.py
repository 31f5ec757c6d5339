"""The shape every feature app copies: the foundation names no feature, features plug in."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from perfmgmt.web import menu, whats_next
from tests.conftest import OrgPeople

FEATURE_APPS = ("goals", "feedback", "reviews", "rewards")
FOUNDATION = Path(settings.BASE_DIR) / "perfmgmt"


def _names_a_feature(name: str) -> bool:
    return any(name == app or name.startswith(f"{app}.") for app in FEATURE_APPS)


def feature_references(path: Path) -> Iterator[str]:
    """Imports of a feature app, and strings naming one of its modules (an include())."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if "." in node.value and " " not in node.value else []
        else:
            continue
        for name in names:
            if _names_a_feature(name):
                yield f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}: {name}"


def test_the_foundation_imports_no_feature_app() -> None:
    found = [
        reference
        for path in sorted(FOUNDATION.rglob("*.py"))
        if "migrations" not in path.parts
        for reference in feature_references(path)
    ]

    assert found == []


def test_the_import_check_sees_a_feature_import(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "from goals.selectors import goal_list\nimport feedback.api\nURLS = 'reviews.urls'\n"
    )

    assert len(list(feature_references_outside(module, tmp_path))) == 3


def feature_references_outside(path: Path, root: Path) -> Iterator[str]:
    with override_settings(BASE_DIR=root):
        yield from feature_references(path)


@pytest.fixture
def stub_app_installed() -> Iterator[None]:
    """Installs tests.stub_app as a project would: only settings change, no file of perfmgmt/."""
    with (
        menu.restored_after(),
        whats_next.restored_after(),
        override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.stub_app"]),
    ):
        yield


def home_page(org: OrgPeople, client_for) -> str:
    response = client_for(org.report).get(f"/o/{org.organization.slug}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_installing_an_app_adds_its_menu_entry_and_home_items(
    org: OrgPeople, client_for, stub_app_installed: None
) -> None:
    html = home_page(org, client_for)

    assert "Stub reviews" in html
    assert "Stub review to write" in html


@pytest.mark.django_db
def test_without_the_app_its_menu_entry_and_home_items_are_not_there(
    org: OrgPeople, client_for
) -> None:
    html = home_page(org, client_for)

    assert "Stub reviews" not in html
    assert "Stub review to write" not in html


@pytest.mark.django_db
def test_every_menu_entry_and_home_item_comes_from_the_registries(
    org: OrgPeople, client_for
) -> None:
    with menu.restored_after(), whats_next.restored_after():
        menu.clear()
        whats_next.clear()
        html = home_page(org, client_for)

    assert 'aria-label="Main"' not in html
    assert "Complete your profile" not in html
