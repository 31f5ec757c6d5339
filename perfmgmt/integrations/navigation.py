"""Menu entries of the integrations (discovered at start-up, see perfmgmt/web/menu.py)."""

from .webhooks import navigation  # noqa: F401
