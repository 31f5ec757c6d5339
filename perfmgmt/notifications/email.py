from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(*, template: str, to: str, context: dict[str, Any]) -> None:
    """Send `<template>.txt` as text and `<template>.html` as HTML; the subject is the first
    line of `<template>_subject.txt`."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip().splitlines()[0]
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
