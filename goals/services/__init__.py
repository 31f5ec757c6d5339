"""Every write on goals goes through these functions (keyword-only, acting person first)."""

from .agreement import AGREED_TERMS, goal_agree
from .goals import (
    DEFAULT_STALE_AFTER_DAYS,
    STALE_AFTER_SETTING,
    goal_assign_many,
    goal_create,
    goal_settings_update,
    goal_update,
    stale_after_days,
)
from .progress import compute_progress, measure_progress, refresh_progress, rolled_up_progress
from .updates import goal_update_edit, goal_update_post

__all__ = [
    "AGREED_TERMS",
    "DEFAULT_STALE_AFTER_DAYS",
    "STALE_AFTER_SETTING",
    "compute_progress",
    "goal_agree",
    "goal_assign_many",
    "goal_create",
    "goal_settings_update",
    "goal_update",
    "goal_update_edit",
    "goal_update_post",
    "measure_progress",
    "refresh_progress",
    "rolled_up_progress",
    "stale_after_days",
]
