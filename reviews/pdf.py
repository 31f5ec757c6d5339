"""PDFs of improvement plans and released reviews, drawn by WeasyPrint from a template.

The template is rendered like a page (the reader's language and the organization's time
zone are active, `{% when %}` formats times), with its styles inline. WeasyPrint is given a
URL fetcher that fetches nothing: a PDF never loads a resource, so nothing a person typed
can make the server request a URL.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError("PDFs load no resources.")


def render_pdf(html: str) -> bytes:
    # Imported here: loading WeasyPrint parses its stylesheets (and logs it), which every
    # process that imports the URL conf would otherwise pay for at start-up.
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, filename: str
) -> HttpResponse:
    html = render_to_string(template, {**context, "downloaded_at": timezone.now()}, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
