"""Large integer arrays as statement parameters, packed at C speed.

psycopg dumps a list element by element in Python (about a microsecond each): for the
people sync's id columns and reporting lines (a million integers at 50,000 people) that was
most of a second. `Bigints` is sent as a `bigint[]` in PostgreSQL's binary array format,
built with `array` slices: no Python loop over the elements.

No element is NULL in that format here: an absent id is sent as 0 (no table's ids start
below 1) and the statement reads it back with `NULLIF(..., 0)`.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterable

from psycopg import pq
from psycopg.adapt import Dumper
from psycopg.postgres import types

_INT8 = types["int8"]
# Each element is its length (8, a big-endian int32) and its value (a big-endian int64);
# the length as the int32 that has those bytes in this machine's order.
_LENGTH = int.from_bytes((8).to_bytes(4, "big"), sys.byteorder, signed=True)


class Bigints:
    """Integers for a `%b::bigint[]` parameter; None is sent as 0."""

    def __init__(self, values: Iterable[int | None]) -> None:
        self.values = array("q", [0 if value is None else value for value in values])

    def __len__(self) -> int:
        return len(self.values)

    def packed(self) -> bytes:
        count = len(self.values)
        if not count:
            return struct.pack(">iiI", 0, 0, _INT8.oid)
        header = struct.pack(">iiIii", 1, 0, _INT8.oid, count, 1)  # one dimension from 1
        big_endian = array("q", self.values)
        if sys.byteorder == "little":
            big_endian.byteswap()
        words = array("i", big_endian.tobytes())
        body = array("i", [_LENGTH]) * (3 * count)
        body[1::3] = words[0::2]
        body[2::3] = words[1::2]
        return header + body.tobytes()


class BigintsDumper(Dumper):
    format = pq.Format.BINARY
    oid = _INT8.array_oid

    def dump(self, obj: Bigints) -> bytes:
        return obj.packed()
