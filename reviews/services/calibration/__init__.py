"""Calibration services: sessions (open, target, lock) and placements (adjust, move)."""

from .placements import (
    KEEP,
    PlacementChange,
    placement_adjust,
    placement_move,
    placement_transfer,
)
from .sessions import SessionInput, session_lock, session_open, session_target_set

__all__ = [
    "KEEP",
    "PlacementChange",
    "SessionInput",
    "placement_adjust",
    "placement_move",
    "placement_transfer",
    "session_lock",
    "session_open",
    "session_target_set",
]
