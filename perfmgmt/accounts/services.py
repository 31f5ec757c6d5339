"""Writes a person makes to their own login. No organization writes a login (issue 8)."""

from __future__ import annotations

from perfmgmt.errors import full_clean_or_raise

from .models import User


def login_preferences_update(*, user: User, language: str, time_zone: str) -> User:
    """The person's own language and time zone for every organization they belong to;
    blank means "the organization's"."""
    user.language, user.time_zone = language, time_zone
    full_clean_or_raise(user, exclude=["password"])
    user.save(update_fields=["language", "time_zone"])
    return user
