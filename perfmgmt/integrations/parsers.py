"""The people sync's request bodies: JSON and CSV, up to PEOPLE_SYNC_MAX_BODY_SIZE bytes.

A sync of 50,000 people is larger than the limit of every other request, so these parsers
read up to their own limit (413 beyond), with the same checks as the API's one JSON parser.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.utils import json

from perfmgmt.api.parsers import JSONParser, RequestBodyTooLarge, nested_deeper_than
from perfmgmt.web.input import json_text_errors, text_problem

MAX_BODY_SIZE = 64 * 1024 * 1024


def max_sync_body_size() -> int:
    return int(getattr(settings, "PEOPLE_SYNC_MAX_BODY_SIZE", MAX_BODY_SIZE))


class _LimitedStream(io.RawIOBase):
    def __init__(self, stream: IO[Any]) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        limit = max_sync_body_size()
        body: bytes = self.stream.read(limit + 1)
        if len(body) > limit:
            raise RequestBodyTooLarge(
                _("The request body is larger than the limit of %(limit)d bytes.")
                % {"limit": limit}
            )
        return body


class SyncJSONParser(JSONParser):
    """The API's JSON parser (depth, NUL and surrogate checks) with the sync's size limit."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = _LimitedStream(stream).read()
        if nested_deeper_than(body, self.max_depth):
            raise ParseError(
                _("JSON nested too deeply: at most %(depth)d levels.") % {"depth": self.max_depth}
            )
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        errors = json_text_errors(body, data)
        if errors:
            raise ValidationError(errors)
        return data


class CSVParser(BaseParser):
    """`text/csv` with a header row naming the columns (UTF-8, an optional BOM)."""

    media_type = "text/csv"
    bounded = True  # reads at most the sync's body limit (tests/test_crafted_input.py)

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = _LimitedStream(stream).read()
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ParseError(_("The CSV is not valid UTF-8 text.")) from None
        problem = text_problem(text)
        if problem:
            raise ParseError(problem)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            rows = [dict(row) for row in reader]
        except csv.Error as error:
            raise ParseError(_("CSV error: %(error)s") % {"error": error}) from None
        if reader.fieldnames is None:
            raise ParseError(_("The CSV has no header row."))
        if any(None in row for row in rows):
            raise ParseError(_("A CSV line has more cells than the header row."))
        return {"people": rows}
