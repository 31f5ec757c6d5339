"""Time-based work of the integrations (discovered at start-up; see the notifications sweep)."""

from .webhooks import sweep  # noqa: F401
