from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

# Mid-June 2026: the last twelve months are July 2025 to June 2026.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
