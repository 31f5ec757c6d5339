"""`manage.py messages`: extract every translatable string into locale/de and compile it.

Run after adding or changing a message, then translate the new entries in
locale/de/LC_MESSAGES/django.po and run it again to compile. tests/test_translations.py
extracts with the same options and fails on a message without a German translation.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

LANGUAGES_TO_TRANSLATE = ["de"]
# Code of this project only: not the virtualenv, the tests or what collectstatic wrote.
IGNORED = [".venv/*", "venv/*", "tests/*", "staticfiles/*", "node_modules/*", ".local/*", "docs/*"]
EXTRACT_OPTIONS: dict[str, Any] = {
    "extensions": ["html", "txt", "py"],
    "ignore_patterns": IGNORED,
    "no_obsolete": True,
    # Without source locations a moved string does not churn the catalogue (or its merges).
    "no_location": True,
    "verbosity": 0,
}


class Command(BaseCommand):
    help = "Extract translatable strings into locale/<language>/ and compile the catalogues."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("makemessages", locale=LANGUAGES_TO_TRANSLATE, **EXTRACT_OPTIONS)
        call_command(
            "compilemessages", locale=LANGUAGES_TO_TRANSLATE, ignore_patterns=IGNORED, verbosity=0
        )
        self.stdout.write("Extracted and compiled: " + ", ".join(LANGUAGES_TO_TRANSLATE))
