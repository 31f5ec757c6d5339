"""Check-ins, 1:1 meetings, continuous feedback and coaching (monitor stage)."""
from feedback.meetings.models import *  # noqa: E402, F403  (1:1 meetings live in feedback/meetings/)
