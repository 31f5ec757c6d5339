"""Every message a person reads has a German translation, and the shipped catalogue is the
one the code asks for: extracted afresh here with `manage.py messages`'s own options."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from perfmgmt.web.management.commands.messages import EXTRACT_OPTIONS, LANGUAGES_TO_TRANSLATE

SHIPPED = Path(settings.BASE_DIR) / "locale"


def gettext_tool(name: str, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """Run one of GNU gettext's programs (the Debian package gettext, which Django's
    makemessages needs too) on files of this test."""
    program = shutil.which(name)
    assert program, f"GNU gettext's {name} is missing: apt-get install gettext"
    return subprocess.run(  # noqa: S603  (a gettext program on the test's own files)
        [program, *map(str, arguments)], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogue the code asks for today: makemessages into an empty locale folder.

    makemessages writes next to any `locale` folder it finds above the files, so it runs on a
    copy of the code without one (the shipped catalogue stays untouched)."""
    root = tmp_path_factory.mktemp("extract")
    source = root / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "venv", ".local", "locale", "staticfiles", "node_modules", "*.pyc"
        ),
        symlinks=True,
    )
    target = root / "locale"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(source)
    try:
        with override_settings(LOCALE_PATHS=[target]):
            call_command("makemessages", locale=LANGUAGES_TO_TRANSLATE, **EXTRACT_OPTIONS)
    finally:
        monkeypatch.undo()
    return target


@pytest.mark.parametrize("language", LANGUAGES_TO_TRANSLATE)
def test_every_message_in_the_code_has_a_translation(extracted: Path, language: str) -> None:
    shipped = SHIPPED / language / "LC_MESSAGES" / "django.po"
    fresh = extracted / language / "LC_MESSAGES" / "django.po"
    # msgcmp: every message of the fresh extraction must have a translation in the shipped
    # file that is neither empty nor fuzzy.
    result = gettext_tool("msgcmp", shipped, fresh)
    assert result.returncode == 0, (
        f"Messages without a {language} translation: run `manage.py messages`, translate the "
        f"new entries in {shipped.relative_to(settings.BASE_DIR)} and run it again.\n"
        + result.stderr[-4000:]
    )


@pytest.mark.parametrize("language", LANGUAGES_TO_TRANSLATE)
def test_the_catalogue_has_no_stale_or_fuzzy_entries(extracted: Path, language: str) -> None:
    shipped = SHIPPED / language / "LC_MESSAGES" / "django.po"
    fresh = extracted / language / "LC_MESSAGES" / "django.po"
    fuzzy = gettext_tool("msgattrib", "--only-fuzzy", "--no-obsolete", shipped).stdout
    assert "msgid" not in fuzzy, f"Fuzzy entries are not used at run time:\n{fuzzy[:3000]}"
    stale = gettext_tool("msgcomm", "--unique", "--no-location", shipped, fresh).stdout
    assert "msgid" not in stale.split("\n\n", 1)[-1], (
        f"Entries no message in the code asks for (run `manage.py messages`):\n{stale[:3000]}"
    )


@pytest.mark.parametrize("language", LANGUAGES_TO_TRANSLATE)
def test_the_compiled_catalogue_is_the_translated_one(tmp_path: Path, language: str) -> None:
    folder = SHIPPED / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    # --check: placeholders (%(name)s, %d) and the plural header must agree with the English.
    result = gettext_tool("msgfmt", "--check", "-o", compiled, folder / "django.po")
    assert result.returncode == 0, result.stderr[-4000:]
    assert catalogue(folder / "django.mo") == catalogue(compiled), (
        "locale/*/django.mo is older than its .po: run `manage.py messages`."
    )


def catalogue(path: Path) -> dict[object, str]:
    with path.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]
