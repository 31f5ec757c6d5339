"""Review cycles, templates, calibration (evaluate stage)."""
