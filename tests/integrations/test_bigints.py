"""Integer arrays packed for PostgreSQL's binary format read back as the same integers."""

from __future__ import annotations

import pytest

from perfmgmt.integrations.services import sql
from perfmgmt.integrations.services.bigints import Bigints

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "values",
    [[], [1], [7, 2**62, -3, 0, 2**63 - 1, -(2**63)], list(range(100_000, 100_500))],
)
def test_integers_arrive_as_the_bigint_array_sent(values) -> None:
    [(received,)] = sql._rows("SELECT %b::bigint[]", [Bigints(values)])

    assert received == values


def test_an_absent_value_arrives_as_0_for_the_statement_to_read_as_null() -> None:
    [(received, nulls)] = sql._rows(
        """SELECT a, ARRAY(SELECT NULLIF(v, 0) FROM unnest(a) AS v)
             FROM (SELECT %b::bigint[]) AS t(a)""",
        [Bigints([5, None, 6])],
    )

    assert received == [5, 0, 6]
    assert nulls == [5, None, 6]
