"""The filters this service answers (RFC 7644 §3.4.2.2): `eq` comparisons joined by `and`,
on the attributes identity providers look people and groups up by. Anything else is a 400
`invalidFilter`, never a guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import ScimError

MAX_FILTER_LENGTH = 1000
_COMPARISON = re.compile(
    r"""\s*(?P<attribute>[A-Za-z][\w.:$-]*)\s+(?P<operator>[A-Za-z]{2})\s+
        (?P<value>"(?:[^"\\]|\\.)*"|true|false|null)\s*""",
    re.VERBOSE | re.IGNORECASE,
)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Comparison:
    attribute: str  # lowercased, as named in `attributes`
    value: str | bool | None


def _refuse(message: str) -> ScimError:
    return ScimError(message, scim_type="invalidFilter")


def _split(text: str) -> list[str]:
    """`and` outside quoted strings splits the filter."""
    parts, start, quoted, escaped = [], 0, False, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and (match := _AND.match(text, index)) and match.start() == index:
            parts.append(text[start:index])
            start = match.end()
    parts.append(text[start:])
    return parts


def _value(token: str) -> str | bool | None:
    lowered = token.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    try:
        value = json.loads(token)
    except ValueError:
        raise _refuse(_("The filter's value is not a valid string.")) from None
    if not isinstance(value, str) or "\x00" in value:
        raise _refuse(_("The filter's value is not a valid string."))
    return value


def parse_filter(text: str | None, attributes: frozenset[str]) -> list[Comparison]:
    """The comparisons of `text`, all of which must hold; [] for no filter."""
    if not text or not text.strip():
        return []
    if len(text) > MAX_FILTER_LENGTH:
        raise _refuse(_("The filter is too long."))
    comparisons = []
    for part in _split(text):
        match = _COMPARISON.fullmatch(part)
        if match is None:
            raise _refuse(_("Only eq comparisons joined by and are supported."))
        if match["operator"].lower() != "eq":
            raise _refuse(_("Only eq comparisons joined by and are supported."))
        attribute = match["attribute"].lower()
        if attribute not in attributes:
            raise _refuse(
                _("Filtering on %(attribute)s is not supported.")
                % {"attribute": match["attribute"]}
            )
        comparisons.append(Comparison(attribute, _value(match["value"])))
    return comparisons
