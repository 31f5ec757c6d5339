"""Reading the tree pages (org chart, goal tree) as a test sees them: which object each link
names and how deep in the tree's nested lists it sits, and a GET with or without htmx."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

HTMX = {"HX-Request": "true"}


class LinkDepths(HTMLParser):
    """For each link to `/o/acme/<section>/<id>/` inside `<ul class="<list_class>">` lists:
    how many of those lists enclose it."""

    def __init__(self, *, list_class: str, section: str) -> None:
        super().__init__()
        self.list_class = list_class
        self.link = re.compile(rf"/o/acme/{section}/(\d+)/")
        self.depth = 0
        self.found: list[tuple[int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "ul" and self.list_class in (attributes.get("class") or "").split():
            self.depth += 1
        match = self.link.fullmatch(attributes.get("href") or "")
        if tag == "a" and self.depth and match:
            self.found.append((int(match.group(1)), self.depth))

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul" and self.depth:
            self.depth -= 1


def link_depths(html: str, *, list_class: str, section: str) -> dict[int, int]:
    parser = LinkDepths(list_class=list_class, section=section)
    parser.feed(html)
    return dict(parser.found)


def get(client: Client, url: str, status: int = 200, htmx: bool = False) -> str:
    response = client.get(url, headers=HTMX if htmx else {})
    assert response.status_code == status, url
    return response.content.decode()


def queries_of(client: Client, url: str) -> int:
    """The number of queries an htmx GET of `url` runs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    return len(queries)
