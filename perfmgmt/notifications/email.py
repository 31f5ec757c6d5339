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
) -> None:
    """Send `<template>.txt` as text and `<template>.html` as HTML; the subject is the first
    line of `<template>_subject.txt`. Rendered in the reader's language and time zone (the
    organization's when the reader has no login yet or chose none)."""
    with reader_locale(user=reader, organization=organization):
        _send(template=template, to=to, context=context)


def _send(*, template: str, to: str, context: dict[str, Any]) -> None:
    context = {"site_url": settings.SITE_URL.rstrip("/"), "language": get_language(), **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip().splitlines()[0]
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
