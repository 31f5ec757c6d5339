import re
from base64 import b64decode
from typing import NoReturn
from urllib import parse

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

# A position is an id this class wrote: digits, and no more than a bigint holds.
_POSITION = re.compile(r"[0-9]{1,19}")
_TOKENS = {"o", "r", "p"}  # offset, reverse, position: all DRF writes


class IdCursorPagination(CursorPagination):
    """Stable cursor pagination on the primary key; `page_size` up to 200.

    The cursor is opaque but not signed, so a client can send anything: a cursor this class
    could not have written is a 400 on `cursor`, never a 500 (DRF trusts the position and
    hands it to the database as an id).
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor: Cursor | None = super().decode_cursor(request)
        except NotFound:
            self._refuse_cursor()
        if cursor is not None and not self._written_here(request):
            self._refuse_cursor()
        return cursor

    def _written_here(self, request: Request) -> bool:
        # DRF decoded offset and reverse already; it checks neither the keys nor the position.
        encoded = request.query_params[self.cursor_query_param]
        query = b64decode(encoded.encode("ascii")).decode("ascii")
        tokens = parse.parse_qs(query, keep_blank_values=True)
        positions = tokens.get("p", [])
        return set(tokens) <= _TOKENS and all(_POSITION.fullmatch(p) for p in positions)

    def _refuse_cursor(self) -> NoReturn:
        raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
