"""Writes of performance improvement plans, one module per step:

- `drafting`: a manager above the person drafts, edits and submits a plan;
- `decisions`: HR approves or sends it back, the person acknowledges, the outcome is
  recorded (met, extended, not met).

Every state change locks the plan (reviews.locks), is audited, and doing it again is a
no-op or a clear refusal that changes nothing.
"""
