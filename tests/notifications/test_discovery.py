"""Every reminder written anywhere in the project is known to the sweep at start-up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = (".venv", ".local", "tests", "node_modules")


def reminders_in_source() -> set[str]:
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if path.relative_to(ROOT).parts[0] in SKIPPED:
            continue
        names.update(re.findall(r'^@reminder\("([^"]+)"\)', path.read_text(), re.MULTILINE))
    return names


def test_the_sweep_registers_every_reminder_defined_in_the_project():
    # A fresh process, as a worker starts: nothing imported by the tests can help.
    script = (
        "import json, django; django.setup(); "
        "from perfmgmt.notifications.sweep import registered_reminders; "
        "print(json.dumps(sorted(registered_reminders())))"
    )
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    registered = set(json.loads(result.stdout.strip().splitlines()[-1]))
    expected = reminders_in_source()
    assert "invitation-pending" in expected
    assert expected - registered == set()
