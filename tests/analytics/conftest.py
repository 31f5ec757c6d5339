from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.analytics.world import NOW, world  # noqa: F401  (the fixture)


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
