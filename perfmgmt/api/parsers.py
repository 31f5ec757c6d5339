"""The one JSON parser of the API (settings DEFAULT_PARSER_CLASSES and every view's
`parser_classes`).

DRF's parser hands the body to `json.load`, which recurses once per nesting level: 100,000
brackets raise RecursionError (a 500). This one reads at most the size limit (413 beyond;
DRF's request reads `request.body`, where Django enforces the same limit, also a 413 through
the exception handler), measures the nesting depth without recursing (400 beyond MAX_DEPTH),
parses, and refuses text with a NUL or a lone surrogate with a 400 naming the field (the
rules of perfmgmt/web/input.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.utils import json

from perfmgmt.web.input import json_text_errors, max_body_size, too_large_message

MAX_DEPTH = 32

_KEEP_BRACKETS_AND_QUOTES = bytes(set(range(256)) - set(b'[]{}"'))
_STEP = [0] * 256
for _opening in b"[{":
    _STEP[_opening] = 1
for _closing in b"]}":
    _STEP[_closing] = -1
_CHUNK = 65_536


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def _brackets_outside_strings(body: bytes) -> bytes:
    # Escaped backslashes first (pairwise, left to right, as JSON reads them), then escaped
    # quotes; every quote left opens or closes a string, so every other piece is outside.
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    pieces = unescaped.translate(None, _KEEP_BRACKETS_AND_QUOTES).split(b'"')
    return b"".join(pieces[::2])


def nested_deeper_than(body: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit`, without recursing.

    For text `json.loads` accepts, this is the depth it would recurse to; for other text it
    is at least that, so a body that passes never makes the parser recurse deeper. Linear and
    in C-level loops: well under the cost of parsing the same body.
    """
    brackets = _brackets_outside_strings(body)
    depth = 0
    for start in range(0, len(brackets), _CHUNK):
        steps = map(_STEP.__getitem__, brackets[start : start + _CHUNK])
        running = list(accumulate(steps, initial=depth))
        if max(running) > limit:
            return True
        depth = running[-1]
    return False


class JSONParser(parsers.JSONParser):
    max_depth = MAX_DEPTH

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        limit = max_body_size()
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestBodyTooLarge(too_large_message())
        if nested_deeper_than(body, self.max_depth):
            raise ParseError(
                _("JSON nested too deeply: at most %(depth)d levels.") % {"depth": self.max_depth}
            )
        try:
            text = body.decode(encoding)
            constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=constant)
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        errors = json_text_errors(body, data)
        if errors:
            raise ValidationError(errors)
        return data
