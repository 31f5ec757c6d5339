"""The audit log page: who reads it, what it lists, its filters, pages and export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from perfmgmt.audit.models import AuditEntry
from perfmgmt.tenancy.context import organization_scope
from perfmgmt.tenancy.models import Organization
from tests.audit.helpers import record
from tests.conftest import OrgPeople, login

pytestmark = pytest.mark.django_db


def page_url(org: OrgPeople, query: str = "") -> str:
    return f"/o/{org.organization.slug}/people/audit/" + (f"?{query}" if query else "")


def listed_ids(html: str, slug: str) -> list[int]:
    return [int(found) for found in re.findall(rf"/o/{slug}/people/audit/(\d+)/", html)]


@pytest.mark.parametrize("who", ["owner", "hr"])
def test_hr_admins_and_owners_read_the_log(org: OrgPeople, who: str) -> None:
    entry = record(org)
    response = login(Client(), getattr(org, who)).get(page_url(org))
    assert response.status_code == 200
    assert listed_ids(response.content.decode(), "acme") == [entry.pk]


@pytest.mark.parametrize("who", ["manager", "report", "colleague"])
def test_managers_and_employees_are_refused_like_on_every_hr_page(org: OrgPeople, who: str) -> None:
    entry = record(org)
    client = login(Client(), getattr(org, who))
    assert client.get(page_url(org)).status_code == 403
    assert client.get(f"/o/acme/people/audit/{entry.pk}/").status_code == 403
    assert client.post("/o/acme/people/audit/export/", {"file_format": "csv"}).status_code == 403


def test_another_organizations_entries_are_never_listed_and_their_ids_are_unknown(
    org: OrgPeople, other_org: OrgPeople
) -> None:
    ours = record(org)
    theirs = record(other_org)
    client = login(Client(), org.owner)
    html = client.get(page_url(org)).content.decode()
    assert listed_ids(html, "acme") == [ours.pk]
    assert other_org.report.display_name not in html
    assert client.get(f"/o/acme/people/audit/{theirs.pk}/").status_code == 404
    assert client.get(f"/o/acme/people/audit/{ours.pk}/").status_code == 200


def test_an_entry_shows_who_what_about_whom_and_the_change_before_and_after(
    org: OrgPeople,
) -> None:
    entry = record(org, changes={"role": ["employee", "hr_admin"]})
    html = login(Client(), org.owner).get(f"/o/acme/people/audit/{entry.pk}/").content.decode()
    assert org.owner.display_name in html
    assert "Person changed (role, manager, details)" in html
    assert f'href="/o/acme/people/{org.report.pk}/"' in html
    assert re.search(r"<th scope=\"row\">role</th><td>employee</td><td>hr_admin</td>", html)


def test_before_and_after_dictionaries_read_field_by_field(org: OrgPeople) -> None:
    entry = record(
        org,
        action="organization.update",
        target=org.organization,
        changes={"before": {"name": "Acme"}, "after": {"name": "Acme Inc"}, "reason": "rename"},
    )
    html = login(Client(), org.owner).get(f"/o/acme/people/audit/{entry.pk}/").content.decode()
    assert re.search(r"<th scope=\"row\">name</th><td>Acme</td><td>Acme Inc</td>", html)
    assert re.search(r"<th scope=\"row\">reason</th><td>—</td><td>rename</td>", html)


def test_the_filters_narrow_the_list(org: OrgPeople) -> None:
    by_hr = record(org, actor=org.hr, action="member.update", target=org.report)
    key = record(org, action="api_credential.create", target=org.organization)
    about_colleague = record(org, action="member.deactivate", target=org.colleague)
    client = login(Client(), org.owner)

    def listed(query: str) -> list[int]:
        response = client.get(page_url(org, query))
        assert response.status_code == 200
        return listed_ids(response.content.decode(), "acme")

    assert listed(f"actor={org.hr.pk}") == [by_hr.pk]
    assert listed("who=hana") == [by_hr.pk]
    assert listed("action=member.deactivate") == [about_colleague.pk]
    assert listed("group=access") == [key.pk]
    assert listed("group=people") == [about_colleague.pk, by_hr.pk]
    assert listed("target_type=tenancy.Organization") == [key.pk]
    assert listed(f"person={org.colleague.pk}") == [about_colleague.pk]


def test_days_are_days_in_the_organizations_time_zone(org: OrgPeople) -> None:
    Organization.objects.filter(pk=org.organization.pk).update(time_zone="Europe/Berlin")
    # 23:30 in Berlin on 1 March is 22:30 UTC: on 1 March for the filter, not on 2 March.
    late = record(org, at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC))
    next_day = record(org, at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))  # 00:30 on 2 March
    client = login(Client(), org.owner)

    def listed(query: str) -> list[int]:
        return listed_ids(client.get(page_url(org, query)).content.decode(), "acme")

    assert listed("since=2026-03-01&until=2026-03-01") == [late.pk]
    assert listed("since=2026-03-02&until=2026-03-02") == [next_day.pk]


@pytest.mark.parametrize(
    "query",
    ["since=2026-03-05&until=2026-03-01", "since=yesterday", "cursor=not-a-cursor", "actor=x"],
)
def test_bad_filters_are_form_errors(org: OrgPeople, query: str) -> None:
    record(org)
    response = login(Client(), org.owner).get(page_url(org, query))
    assert response.status_code == 400
    assert b"errorlist" in response.content


def test_pages_follow_each_other_without_repeats_when_entries_share_a_moment(
    org: OrgPeople,
) -> None:
    moment = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    same_moment = [record(org, at=moment).pk for _ in range(70)]
    earlier = [record(org, at=moment - timedelta(seconds=1)).pk for _ in range(40)]
    client = login(Client(), org.owner)
    seen: list[int] = []
    query = ""
    for _ in range(5):
        html = client.get(page_url(org, query)).content.decode()
        seen += listed_ids(html, "acme")
        found = re.search(r'href="\?([^"]*cursor=[^"]*)" rel="next"', html)
        if found is None:
            break
        query = found.group(1).replace("&amp;", "&")
    # Newest first; on the same moment the higher id first; none twice, none missing.
    assert seen == sorted(same_moment, reverse=True) + sorted(earlier, reverse=True)


def _export(client: Client, query: str = "", file_format: str = "csv") -> bytes:
    url = "/o/acme/people/audit/export/" + (f"?{query}" if query else "")
    response = client.post(url, {"file_format": file_format})
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content


def test_the_export_escapes_formulas_and_is_itself_recorded(org: OrgPeople) -> None:
    record(org, changes={"job_title": ['=HYPERLINK("http://evil")', "+1"]})
    record(org, actor=org.hr, action="api_credential.create", target=org.organization)
    body = _export(login(Client(), org.owner), "group=people").decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["When", "When (UTC)", "Who"]
    assert len(rows) == 2
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])
    with organization_scope(org.organization):
        exported = AuditEntry.objects.get(action="audit.exported")
    assert exported.actor_membership_id == org.owner.pk
    assert exported.changes == {"format": "csv", "filters": {"group": "people"}}


def test_a_cell_starting_like_a_formula_gets_a_leading_quote(org: OrgPeople) -> None:
    hostile = org.colleague
    hostile.full_name = "=cmd|' /C calc'!A0"
    with organization_scope(org.organization):
        hostile.save()
    record(org, actor=hostile)
    rows = list(csv.reader(io.StringIO(_export(login(Client(), org.owner)).decode())))
    by_action = {row[4]: row for row in rows[1:]}
    assert by_action["member.update"][2] == "'=cmd|' /C calc'!A0"
    assert by_action["audit.exported"][2] == org.owner.display_name  # the export is listed


def test_the_export_as_xlsx_is_a_workbook(org: OrgPeople) -> None:
    record(org)
    body = _export(login(Client(), org.owner), file_format="xlsx")
    assert body[:2] == b"PK"


def test_an_unknown_export_format_is_a_message_not_an_error(org: OrgPeople) -> None:
    client = login(Client(), org.owner)
    response = client.post("/o/acme/people/audit/export/", {"file_format": "pdf"})
    assert response.status_code == 302
    with organization_scope(org.organization):
        assert not AuditEntry.objects.filter(action="audit.exported").exists()


def test_every_visible_filter_has_a_label(org: OrgPeople) -> None:
    record(org)
    html = login(Client(), org.owner).get(page_url(org)).content.decode()
    controls = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    hidden = set(re.findall(r'<input type="hidden"[^>]*\bid="([^"]+)"', html))
    visible = [control for control in controls if control not in hidden]
    assert {"id_who", "id_group", "id_action", "id_target_type", "id_since", "id_until"} <= set(
        visible
    )
    for control in visible:
        assert f'for="{control}"' in html, control
