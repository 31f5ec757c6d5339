"""One place for the text a request brings: no NUL character and nothing that is not valid
Unicode, in the address, the query string, a form or a JSON body.

Why refuse rather than clean: PostgreSQL cannot store NUL in text (the query fails with a
500), a lone UTF-16 surrogate (JSON `"\\ud800"`) cannot be encoded back to UTF-8 (rendering
an answer that echoes it fails with a 500), and percent-encoded bytes that are not UTF-8
(`%ED%A0%80`) are silently replaced by Django. None of them is something a person typed, and
removing them would store a value nobody sent, so the request is refused and told why.

Text comes in through two doors, and both use the rules here:
- `InputValidationMiddleware` checks the address, the query string and form bodies of every
  request before any view runs: a page answers a 400 page that says what was wrong, the API
  its usual error body (400 JSON);
- the API's one JSON parser (perfmgmt/api/parsers.py) checks the strings of a JSON body after
  parsing and answers a 400 naming the field (`json_text_errors`), as DRF's own text fields
  do; no view reads a JSON body any other way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

API_PREFIX = "/api/"
SCIM_PREFIX = "/scim/"  # perfmgmt/integrations/scim/: errors in SCIM's form (RFC 7644 §3.12)
# Used when DATA_UPLOAD_MAX_MEMORY_SIZE is None (Django's "no limit").
FALLBACK_MAX_BODY_SIZE = 2_621_440

# A \u escape that JSON reads as one (an even run of backslashes before it) and whose code is
# NUL or a UTF-16 surrogate. Valid surrogate pairs (how `json.dumps` writes an emoji) are
# removed first, so what is left is a lone surrogate. A raw NUL byte is not valid JSON and
# raw surrogate bytes are not valid UTF-8: escapes are the only way in.
_REAL_ESCAPE = rb"(?<!\\)(?:\\\\)*\\u"
_SURROGATE_PAIR = re.compile(
    _REAL_ESCAPE + rb"[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_NUL_OR_SURROGATE = re.compile(_REAL_ESCAPE + rb"(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def max_body_size() -> int:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return FALLBACK_MAX_BODY_SIZE if limit is None else int(limit)


def too_large_message() -> str:
    limit = max_body_size()
    return _("The request body is larger than the limit of %(limit)d bytes.") % {"limit": limit}


class InvalidText(ValueError):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# Where the text came from -> (message for a NUL, message for bytes that are not UTF-8).
_PROBLEMS = {
    "query": (
        _lazy("The query string contains a NUL character."),
        _lazy("The query string is not valid UTF-8 text."),
    ),
    "form": (
        _lazy("The form contains a NUL character."),
        _lazy("The form is not valid UTF-8 text."),
    ),
}


def check_text(raw: bytes, where: str) -> None:
    """Raw bytes of text input: no NUL, and valid UTF-8 (which also rules out surrogates)."""
    nul, not_utf8 = _PROBLEMS[where]
    if b"\x00" in raw:
        raise InvalidText(str(nul))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidText(str(not_utf8)) from None


def text_problem(text: str) -> str | None:
    """What is wrong with decoded text, in DRF's words for its own text fields."""
    if "\x00" in text:
        return _("Null characters are not allowed.")
    surrogate = None if text.isascii() else _SURROGATE.search(text)
    if surrogate:
        return _("Surrogate characters are not allowed: U+%(code)X.") % {"code": ord(surrogate[0])}
    return None


def json_text_errors(body: bytes, data: Any) -> dict[str, list[str]]:
    """Field path ("milestones.0.title") -> what is wrong with the text there, for a parsed
    JSON body. Only walks the data when an escape in the raw body can have let one in."""
    if b"\\u" not in body or not _NUL_OR_SURROGATE.search(_SURROGATE_PAIR.sub(b"", body)):
        return {}
    errors: dict[str, list[str]] = {}
    _collect_text_errors(data, "", errors)
    return errors


def _collect_text_errors(data: Any, path: str, errors: dict[str, list[str]]) -> None:
    if isinstance(data, str):
        problem = text_problem(data)
        if problem:
            errors.setdefault(path or "non_field_errors", []).append(problem)
    elif isinstance(data, dict):
        for key, value in data.items():
            inner = f"{path}.{key}" if path else key
            _collect_text_errors(key, path, errors)
            _collect_text_errors(value, inner, errors)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _collect_text_errors(value, f"{path}.{index}" if path else str(index), errors)


def _percent_decoded(raw: bytes) -> bytes:
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _query_bytes(request: HttpRequest) -> bytes:
    # WSGI hands the query string over as latin-1 text (PEP 3333); ASGI as decoded text.
    query_string = request.META.get("QUERY_STRING", "")
    try:
        raw = query_string.encode("latin-1")
    except UnicodeEncodeError:
        raw = query_string.encode("utf-8", "surrogatepass")
    return _percent_decoded(raw)


def _read_body(request: HttpRequest) -> bytes:
    try:
        return request.body
    except RequestDataTooBig:
        raise InvalidText(too_large_message(), status=413) from None


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


def _check_body(request: HttpRequest) -> None:
    # JSON is checked where it is parsed (the API's parser), so the answer can name the field.
    if request.content_type == "application/x-www-form-urlencoded":
        check_text(_percent_decoded(_read_body(request)), "form")
    elif request.content_type == "multipart/form-data":
        # The raw body, not request.POST: reading POST here would leave DRF an empty body.
        # Every part is text (the product takes no file uploads): a binary file would fail here.
        check_text(_read_body(request), "form")


def check_request(request: HttpRequest) -> None:
    if "\x00" in request.path_info:
        raise InvalidText(_("The address contains a NUL character."))
    check_text(_query_bytes(request), "query")
    _check_body(request)


def refusal(request: HttpRequest, problem: InvalidText) -> HttpResponse:
    if request.path_info.startswith(SCIM_PREFIX):
        scim = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": str(problem.status),
            "detail": problem.message,
            **({"scimType": "invalidValue"} if problem.status == 400 else {}),
        }
        return JsonResponse(scim, status=problem.status, content_type="application/scim+json")
    if request.path_info.startswith(API_PREFIX) or _is_json(request):
        code = "too_large" if problem.status == 413 else "invalid_input"
        body = {"code": code, "message": problem.message, "fields": {}}  # perfmgmt/api/errors.py
        return JsonResponse({"error": body}, status=problem.status)
    page = render_to_string("web/bad_input.html", {"message": problem.message})
    return HttpResponse(page, status=problem.status)


class InputValidationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except InvalidText as problem:
            return refusal(request, problem)
        return self.get_response(request)
