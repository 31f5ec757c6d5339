"""The active organization for the current request or task.

Set per request (from the URL or the API credential) and per task (from the ids it gets),
always reset afterwards. Never read from a session preference. The organization's slug is
bound to the log context along with it (django-structlog clears that context per request).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from .models import Organization

_current: ContextVar[Organization | None] = ContextVar("perfmgmt_organization", default=None)


class NoActiveOrganization(RuntimeError):
    """A tenant-owned table was queried outside any organization scope."""


def current_organization() -> Organization:
    organization = _current.get()
    if organization is None:
        raise NoActiveOrganization(
            "No organization is active. Wrap the code in organization_scope(org) "
            "or use the audited `unscoped` manager."
        )
    return organization


def current_organization_or_none() -> Organization | None:
    return _current.get()


def activate_organization(organization: Organization) -> None:
    _current.set(organization)
    structlog.contextvars.bind_contextvars(organization=organization.slug)


def clear_organization() -> None:
    _current.set(None)
    structlog.contextvars.unbind_contextvars("organization")


@contextmanager
def organization_reset_on_exit() -> Iterator[None]:
    """Whatever organization is activated inside is gone at the end; the one before is back.

    Only the tenant scope is restored: the log context keeps the organization until the
    request ends (django-structlog clears it), so the request's last line still names it.
    """
    token = _current.set(_current.get())
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def organization_scope(organization: Organization) -> Iterator[Organization]:
    token = _current.set(organization)
    log_tokens = structlog.contextvars.bind_contextvars(organization=organization.slug)
    try:
        yield organization
    finally:
        _current.reset(token)
        structlog.contextvars.reset_contextvars(**log_tokens)
