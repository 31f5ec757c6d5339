"""Goals stands alone: it imports nothing of the development plans built on it, and offers
hooks instead (`goals.hooks`), which run inside the goal's change."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from goals import hooks, services
from goals.models import Goal
from perfmgmt.errors import DomainError
from perfmgmt.tenancy.policies import Actor
from tests.conftest import OrgPeople

from .factories import create_goal

GOALS = Path(settings.BASE_DIR) / "goals"
DEVELOPMENT = "goals.development"


def _package_of(path: Path) -> str:
    return ".".join(path.parent.relative_to(settings.BASE_DIR).parts)


def imported_names(path: Path, package: str) -> Iterator[tuple[int, str]]:
    """Every module an import in this file names (relative ones made absolute from
    `package`), with the line: imports inside functions and under TYPE_CHECKING count too."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def _is_development(name: str) -> bool:
    return name == DEVELOPMENT or name.startswith(f"{DEVELOPMENT}.")


def development_imports(paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {name}"
        for path in paths
        for line, name in imported_names(path, _package_of(path))
        if _is_development(name)
    ]


def test_the_goals_services_import_nothing_from_development_plans() -> None:
    services_files = sorted((GOALS / "services").rglob("*.py"))
    assert services_files

    assert development_imports(services_files) == []


def test_the_goals_modules_import_nothing_from_development_plans() -> None:
    modules = sorted(GOALS.glob("*.py"))
    assert {"apps.py", "hooks.py", "locks.py", "navigation.py", "whats_next.py"} <= {
        p.name for p in modules
    }

    assert development_imports(modules) == []


def test_the_import_check_sees_absolute_relative_and_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "from goals.development.models import DevelopmentPlan\n"
        "from ..development import services\n"
        "from goals import development\n"
        "from . import goals\n"
        "def later():\n"
        "    import goals.development.services.goal_sync\n"
    )

    lines = {
        line for line, name in imported_names(module, "goals.services") if _is_development(name)
    }

    assert lines == {1, 2, 3, 6}


# --- The hooks ------------------------------------------------------------------------------


@pytest.fixture
def goals_alone() -> Iterator[None]:
    """No app registered on goals' hooks (as when goals is installed by itself)."""
    with (
        hooks.before_goal_locked.restored_after(cleared=True),
        hooks.goal_changed.restored_after(cleared=True),
    ):
        yield


@pytest.mark.django_db
def test_a_goal_changes_with_no_app_registered_on_its_hooks(
    org: OrgPeople, scope: object, goals_alone: None
) -> None:
    goal = create_goal(org.report)

    goal = services.goal_update(actor=org.report, goal=goal, due_date=date(2026, 9, 30))

    assert Goal.objects.get(pk=goal.pk).due_date == date(2026, 9, 30)


@pytest.mark.django_db
def test_the_hooks_run_around_a_goal_change_with_what_changed(
    org: OrgPeople, scope: object, goals_alone: None
) -> None:
    goal = create_goal(org.report, title="Before")
    calls: list[tuple[str, object]] = []

    def before(*, goal: Goal) -> None:
        calls.append(("before", Goal.objects.get(pk=goal.pk).title))

    def after(*, actor: Actor, goal: Goal, agreement_cleared: bool, cancelled: bool) -> None:
        calls.append(("after", (actor, goal.title, agreement_cleared, cancelled)))

    hooks.before_goal_locked.register(before)
    hooks.goal_changed.register(after)
    hooks.goal_changed.register(after)  # once is enough

    services.goal_update(actor=org.report, goal=goal, title="After")

    assert calls == [("before", "Before"), ("after", (org.report, "After", False, False))]


@pytest.mark.django_db
def test_a_change_that_changes_nothing_does_not_run_the_after_hook(
    org: OrgPeople, scope: object, goals_alone: None
) -> None:
    goal = create_goal(org.report, title="Same")
    changed: list[Goal] = []
    hooks.goal_changed.register(lambda **kwargs: changed.append(kwargs["goal"]))

    services.goal_update(actor=org.report, goal=goal, title="Same")

    assert changed == []


@pytest.mark.django_db
def test_a_handler_that_refuses_rolls_the_goal_change_back(
    org: OrgPeople, scope: object, goals_alone: None
) -> None:
    goal = create_goal(org.report, title="Kept")

    def refuse(*, actor: Actor, goal: Goal, agreement_cleared: bool, cancelled: bool) -> None:
        raise DomainError("Refused by a plan.")

    hooks.goal_changed.register(refuse)

    with pytest.raises(DomainError):
        services.goal_update(actor=org.report, goal=goal, title="Lost")

    assert Goal.objects.get(pk=goal.pk).title == "Kept"
