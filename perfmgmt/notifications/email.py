from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import get_language

from perfmgmt.accounts.models import User
from perfmgmt.localization import reader_locale
from perfmgmt.tenancy.models import Organization


def send_templated_email(
    *,
    template: str,
    to: str,
    context: dict[str, Any],
    reader: User | None,
    organization: Organization | None,
    message_id: str = "",
) -> None:
    """Send `<template>.txt` as text and `<template>.html` as HTML; the subject is the first
    line of `<template>_subject.txt`. Rendered in the reader's language and time zone (the
    organization's when the reader has no login yet or chose none).

    `message_id`, when given, is the message's `Message-ID` (a repeat of the same email then
    carries the same one); otherwise Django makes a fresh one."""
    with reader_locale(user=reader, organization=organization):
        _send(template=template, to=to, context=context, message_id=message_id)


def _send(*, template: str, to: str, context: dict[str, Any], message_id: str) -> None:
    context = {"site_url": settings.SITE_URL.rstrip("/"), "language": get_language(), **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip().splitlines()[0]
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    headers = {"Message-ID": message_id} if message_id else None
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    message.send()
