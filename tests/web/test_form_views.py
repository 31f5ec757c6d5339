"""The one HTML form view: a refusal becomes a form error (400), a 403 or a 409 that keeps
what was typed, for full pages and htmx partials alike."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from perfmgmt import urls as project_urls
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from perfmgmt.web.form_views import OrgFormView, attempt
from tests.conftest import OrgPeople

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.test_form_views")]

HTMX = {"HX-Request": "true"}
ROOT = Path(__file__).resolve().parents[2]


class TitleForm(forms.Form):
    title = forms.CharField(max_length=50)
    note = forms.CharField(required=False)


REFUSALS: dict[str, DomainError] = {
    "taken": DomainError("Some fields are not valid.", fields={"title": ["That title is taken."]}),
    "named-differently": DomainError("Not valid.", fields={"heading": ["Too loud."]}),
    "elsewhere": DomainError("Not valid.", fields={"budget": ["Over budget."]}),
    "plain": DomainError("Goals are frozen this week."),
    "owners-only": PermissionDeniedError("Only owners may do this."),
    "stale": ConflictError("Someone else changed it meanwhile."),
}


class TitleView(OrgFormView):
    form_class = TitleForm
    template_name = "form_test/page.html"
    partial_template_name = "form_test/_partial.html"
    field_aliases = {"heading": "title"}

    def perform(self, form: Any) -> str:
        title = form.cleaned_data["title"]
        if title in REFUSALS:
            raise REFUSALS[title]
        return str(title)

    def success(self, result: Any) -> HttpResponse:
        return HttpResponse(f"saved {result}", status=201)


urlpatterns = [
    *project_urls.urlpatterns,
    path("o/<slug:org_slug>/form-test/", TitleView.as_view(), name="form_test"),
]

TEMPLATES = {
    "form_test/page.html": "<main>{{ form.as_p }}</main>",
    "form_test/_partial.html": '<section id="partial">{{ form.as_p }}</section>',
}


@pytest.fixture(autouse=True)
def _test_templates() -> Iterator[None]:
    engine: dict[str, Any] = {**settings.TEMPLATES[0], "APP_DIRS": False}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", TEMPLATES),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    with override_settings(TEMPLATES=[engine]):
        yield


def post(org: OrgPeople, client_for: Any, title: str, **headers: str) -> Any:
    data = {"title": title, "note": "typed by hand"}
    return client_for(org.owner).post(
        f"/o/{org.organization.slug}/form-test/", data, headers=headers
    )


def test_the_form_page_shows_the_empty_form(org: OrgPeople, client_for: Any) -> None:
    response = client_for(org.owner).get(f"/o/{org.organization.slug}/form-test/")
    assert response.status_code == 200
    assert b'name="title"' in response.content


def test_a_valid_form_calls_the_service_and_answers_its_success(
    org: OrgPeople, client_for: Any
) -> None:
    response = post(org, client_for, "Ship it")
    assert response.status_code == 201
    assert response.content == b"saved Ship it"


def test_an_invalid_form_is_a_400_and_never_calls_the_service(
    org: OrgPeople, client_for: Any
) -> None:
    response = post(org, client_for, "x" * 51)
    assert response.status_code == 400
    assert b"at most 50 characters" in response.content


def test_a_domain_error_with_fields_is_a_400_with_the_message_on_the_field(
    org: OrgPeople, client_for: Any
) -> None:
    response = post(org, client_for, "taken")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<ul class="errorlist"[^>]*><li>That title is taken.</li></ul>', html)
    assert 'value="typed by hand"' in html


def test_a_field_the_service_names_differently_lands_on_the_forms_field(
    org: OrgPeople, client_for: Any
) -> None:
    html = post(org, client_for, "named-differently").content.decode()
    field_errors = re.search(r'<ul class="errorlist"[^>]*id="id_title_error"[^>]*>(.*?)</ul>', html)
    assert field_errors
    assert "Too loud." in field_errors[1]


def test_a_field_the_form_does_not_have_and_a_plain_message_go_above_the_form(
    org: OrgPeople, client_for: Any
) -> None:
    for title, message in (("elsewhere", "Over budget."), ("plain", "Goals are frozen")):
        response = post(org, client_for, title)
        assert response.status_code == 400
        assert re.search(rf'errorlist nonfield"><li>{message}', response.content.decode())


def test_a_permission_refusal_is_a_403_that_says_why_on_the_form(
    org: OrgPeople, client_for: Any
) -> None:
    response = post(org, client_for, "owners-only")
    assert response.status_code == 403
    html = response.content.decode()
    assert re.search(r'errorlist nonfield"><li>Only owners may do this.', html)
    assert 'value="typed by hand"' in html


def test_a_stale_write_is_a_409_that_keeps_what_was_typed_and_says_why(
    org: OrgPeople, client_for: Any
) -> None:
    response = post(org, client_for, "stale")
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="stale"' in html
    assert 'value="typed by hand"' in html
    assert "Someone else changed it meanwhile." in html


@pytest.mark.parametrize(
    ("title", "status", "shown"),
    [
        ("x" * 51, 400, "at most 50 characters"),
        ("taken", 400, "That title is taken."),
        ("owners-only", 403, "Only owners may do this."),
        ("stale", 409, "Someone else changed it meanwhile."),
    ],
)
def test_htmx_gets_the_partial_with_the_same_status_and_the_message(
    org: OrgPeople, client_for: Any, title: str, status: int, shown: str
) -> None:
    response = post(org, client_for, title, **HTMX)
    assert response.status_code == status
    html = response.content.decode()
    assert html.startswith('<section id="partial">')
    assert shown in html
    assert 'value="typed by hand"' in html


def test_htmx_success_is_the_views_own_answer(org: OrgPeople, client_for: Any) -> None:
    assert post(org, client_for, "Ship it", **HTMX).status_code == 201


def test_attempt_gives_the_result_or_the_refusal_and_its_status() -> None:
    assert attempt(lambda: 7).result == 7
    form = TitleForm({"title": "taken"})
    assert form.is_valid()
    outcome = attempt(_raise(REFUSALS["taken"]), form=form)
    assert (outcome.ok, outcome.status) == (False, 400)
    assert form.errors["title"] == ["That title is taken."]
    assert attempt(_raise(REFUSALS["stale"])).status == 409
    assert attempt(_raise(REFUSALS["owners-only"]), shown=True).status == 403
    assert attempt(_raise(REFUSALS["owners-only"]), form=TitleForm({})).status == 403


def test_a_permission_refusal_with_nowhere_to_show_it_is_djangos_permission_denied() -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        attempt(_raise(REFUSALS["owners-only"]))


def _raise(error: DomainError) -> Any:
    def action() -> None:
        raise error

    return action


def _view_modules() -> list[Path]:
    """Every views.py and views/ module of the project (the API key pages are HTML too)."""
    return [
        module
        for app in ("perfmgmt", "goals", "feedback")
        for module in (ROOT / app).rglob("*.py")
        if module.name == "views.py" or module.parent.name == "views"
    ]


def test_no_html_view_catches_domain_errors_itself() -> None:
    """Every HTML view maps refusals through perfmgmt/web/form_views.py."""
    modules = _view_modules()
    assert ROOT / "goals/views.py" in modules
    assert ROOT / "perfmgmt/api/views.py" in modules
    catching = re.compile(
        r"\bexcept\b\s*\(?[^:]*\b(DomainError|ConflictError|PermissionDeniedError)\b"
    )
    offenders = [
        str(module.relative_to(ROOT))
        for module in modules
        if catching.search(module.read_text(encoding="utf-8"))
    ]
    assert offenders == []
