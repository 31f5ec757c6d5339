"""The password reset email is the product's (issue 10, item 17): named after it, in plain
text and HTML, with the link in both, and none of allauth's stock wording or site name."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tests.accounts.helpers import verify_email
from tests.conftest import OrgPeople


def test_the_password_reset_email_is_branded_in_text_and_html(org: OrgPeople) -> None:
    user = verify_email(org.report.user)

    response = Client().post("/accounts/password/reset/", {"email": user.email})

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "[perfmgmt] Choose a new password"
    link = re.search(r"http://testserver/accounts/password/reset/key/\S+/", str(message.body))
    assert link, message.body
    assert "your perfmgmt account" in message.body
    [(html, mimetype)] = message.alternatives  # type: ignore[attr-defined]
    assert mimetype == "text/html"
    assert f'href="{link.group(0)}"' in html
    assert "your perfmgmt account" in html
    for stock in ("Hello from", "example.com", "Password Reset Email"):
        assert stock not in message.body + html + message.subject
