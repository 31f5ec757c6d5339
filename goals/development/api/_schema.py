"""What the development API resources share: their scopes and schema parts."""

from __future__ import annotations

from typing import Any

from perfmgmt.api.models import Scope
from perfmgmt.api.schema import COMMON_PARAMETERS, GET_ERRORS, LIST_ERRORS, WRITE_ERRORS

READ, WRITE = Scope.DEVELOPMENT_READ, Scope.DEVELOPMENT_WRITE
_COMMON: dict[str, Any] = {"parameters": COMMON_PARAMETERS}
_READ_ERRORS = LIST_ERRORS
_GET_ERRORS = GET_ERRORS
_WRITE_ERRORS = WRITE_ERRORS

_PLAN_TAGS = ["development plans"]
