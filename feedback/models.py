"""Check-ins, 1:1 meetings, continuous feedback and coaching (monitor stage)."""
