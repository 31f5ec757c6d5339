"""Praise and rewards (reward stage)."""
