"""Email backends for tests: locmem delivery with scripted failures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class FlakyEmailBackend(EmailBackend):
    """Raises OSError (as smtplib does) for the next `failures_left` sends, then delivers."""

    failures_left: ClassVar[int] = 0
    calls: ClassVar[int] = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        type(self).calls += 1
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise OSError("Connection refused by the test SMTP server")
        return super().send_messages(messages)

    @classmethod
    def fail_next(cls, times: int) -> None:
        cls.failures_left, cls.calls = times, 0
