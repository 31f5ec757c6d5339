"""The shape every feature app copies: the foundation names no feature, features plug in."""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings
from django.utils.module_loading import autodiscover_modules

from perfmgmt.api import routes as api_routes
from perfmgmt.web import menu, whats_next
from tests.conftest import OrgPeople

FEATURE_APPS = ("goals", "feedback", "reviews", "rewards")
FOUNDATION = Path(settings.BASE_DIR) / "perfmgmt"


def _names_a_feature(name: str) -> bool:
    return any(name == app or name.startswith(f"{app}.") for app in FEATURE_APPS)


def feature_references(path: Path, allowed: Collection[str] = ()) -> Iterator[str]:
    """Imports of a feature app, and strings naming one of its modules (an include()),
    except the names in `allowed`."""
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
            if _names_a_feature(name) and name not in allowed:
                yield f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}: {name}"


def test_the_foundation_imports_no_feature_app() -> None:
    # The settings install the apps: there, and only there, an app's name is expected.
    installed = {FOUNDATION / "settings" / "base.py": set(settings.INSTALLED_APPS)}
    found = [
        reference
        for path in sorted(FOUNDATION.rglob("*.py"))
        if "migrations" not in path.parts
        for reference in feature_references(path, installed.get(path, ()))
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


SUB_APPS = {
    # parent app: (sub-app label, its package, the models it owns)
    "goals": (
        "development",
        "goals.development",
        {
            "CompetencyCategory",
            "Competency",
            "CompetencyLevel",
            "DevelopmentPlan",
            "PlanCompetency",
            "DevelopmentObjective",
            "DevelopmentAction",
        },
    ),
    "feedback": (
        "meetings",
        "feedback.meetings",
        {"OneOnOneSeries", "Meeting", "TalkingPoint", "PrivateNote", "ActionItem"},
    ),
}
# The modules start-up discovery imports in every app, and the models module.
DISCOVERED_MODULES = ("models", "reminders", "navigation", "whats_next", "demo", "routes")


@pytest.mark.parametrize("parent", sorted(SUB_APPS))
def test_development_and_meetings_are_apps_that_own_their_models(parent: str) -> None:
    label, package, model_names = SUB_APPS[parent]
    config = apps.get_app_config(label)

    assert config.name == package
    assert {model.__name__ for model in config.get_models()} == model_names
    assert not model_names & {model.__name__ for model in apps.get_app_config(parent).get_models()}
    # The tables kept the names they had under the parent app.
    assert {model._meta.db_table for model in config.get_models()} == {
        f"{parent}_{name.lower()}" for name in model_names
    }


def imported_names(node: ast.AST, parent: str) -> list[str]:
    """What an import statement in a module of `parent` imports, as absolute names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom) or node.level > 1:
        return []
    parts = [parent] if node.level == 1 else []
    base = ".".join([*parts, node.module] if node.module else parts)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def sub_app_imports(path: Path, parent: str, package: str) -> list[str]:
    """Imports of `package` in a module of `parent` (absolute, or relative from the parent)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = imported_names(node, parent)
        if any(name == package or name.startswith(f"{package}.") for name in names):
            found.append(f"{path.name}:{getattr(node, 'lineno', 0)}: {names[0]}")
    return found


@pytest.mark.parametrize("parent", sorted(SUB_APPS))
def test_the_parent_apps_modules_do_not_import_their_sub_app(parent: str) -> None:
    _label, package, _models = SUB_APPS[parent]
    root = Path(apps.get_app_config(parent).path)

    found = [
        reference
        for name in DISCOVERED_MODULES
        for reference in sub_app_imports(root / f"{name}.py", parent, package)
    ]

    assert found == []


def test_the_sub_app_import_check_sees_absolute_and_relative_imports(tmp_path: Path) -> None:
    module = tmp_path / "reminders.py"
    module.write_text(
        "from goals.development import reminders\n"
        "from .development import whats_next\n"
        "from .development.models import DevelopmentPlan\n"
        "from . import development\n"
        "import goals.development.demo\n"
        "from .models import Goal\n"
        "from perfmgmt.web.menu import register\n"
    )

    assert len(sub_app_imports(module, "goals", "goals.development")) == 5


def test_discovery_keeps_the_order_of_api_routes_and_home_providers() -> None:
    """Becoming apps moved registrations into the sub-apps' modules; the order stayed."""
    autodiscover_modules("routes")  # what perfmgmt/urls.py does when the URLs load
    owners = ("goals", "feedback")
    prefixes = [
        route.prefix
        for route in api_routes.registered()
        if route.viewset.__module__.split(".")[0] in owners
    ]
    providers = [
        provider.__module__
        for provider in whats_next._providers
        if provider.__module__.split(".")[0] in owners
    ]

    assert prefixes == [
        "goals",
        "key-results",
        "goal-updates",
        "exports/goals",
        "development/plans",
        "development/actions",
        "development/objectives",
        "development/competencies",
        "development/competency-categories",
        "exports/development-plans",
        "one-on-ones/series",
        "one-on-ones/meetings",
        "one-on-ones/talking-points",
        "one-on-ones/action-items",
        "one-on-ones/private-notes",
        "exports/one-on-one-coverage",
        "checkins",
        "feedback",
        "feedback-requests",
        "coaching-records",
        "exports/checkin-coverage",
    ]
    assert providers == [
        "goals.whats_next",
        "goals.development.whats_next",
        "feedback.meetings.whats_next",
        "feedback.whats_next",
    ]


def test_the_import_check_allows_only_the_names_it_is_given(tmp_path: Path) -> None:
    module = tmp_path / "base.py"
    module.write_text("INSTALLED_APPS = ['goals.development', 'feedback.meetings']\n")

    with override_settings(BASE_DIR=tmp_path):
        assert list(feature_references(module, {"goals.development"})) == [
            "base.py:1: feedback.meetings"
        ]
