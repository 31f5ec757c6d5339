"""1:1 rules through the services: who may do what, carry-over, concurrency, idempotence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.meetings import selectors, services
from feedback.meetings.models import MeetingStatus, OneOnOneSeries, TalkingPoint
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError
from tests.conftest import OrgPeople

from .factories import make_action_item, make_meeting, make_point, make_private_note, make_series

pytestmark = pytest.mark.django_db


def test_a_manager_starting_a_series_with_a_report_leads_it(org: OrgPeople, scope) -> None:
    series = services.series_start(actor=org.manager, other=org.report, cadence="biweekly")
    assert (series.manager, series.report, series.cadence) == (org.manager, org.report, "biweekly")


def test_a_report_starting_a_series_with_their_manager_puts_the_manager_on_the_manager_side(
    org: OrgPeople, scope
) -> None:
    series = services.series_start(actor=org.report, other=org.manager)
    assert (series.manager, series.report) == (org.manager, org.report)


def test_starting_a_series_twice_in_either_direction_returns_the_same_one(
    org: OrgPeople, scope
) -> None:
    first = services.series_start(actor=org.manager, other=org.report)
    again = services.series_start(actor=org.report, other=org.manager)
    assert first.pk == again.pk
    assert OneOnOneSeries.objects.count() == 1


def test_anyone_can_start_an_ad_hoc_or_skip_level_one_on_one(org: OrgPeople, scope) -> None:
    peers = services.series_start(actor=org.colleague, other=org.report, cadence="none")
    skip = services.series_start(actor=org.owner, other=org.report, cadence="monthly")
    assert peers.manager == org.colleague
    assert skip.manager == org.owner


def test_nobody_has_a_one_on_one_with_themselves(org: OrgPeople, scope) -> None:
    with pytest.raises(PermissionDeniedError):
        services.series_start(actor=org.report, other=org.report)


def test_an_unknown_cadence_is_a_field_error(org: OrgPeople, scope) -> None:
    with pytest.raises(DomainError) as error:
        services.series_start(actor=org.manager, other=org.report, cadence="hourly")
    assert "cadence" in error.value.fields


def test_only_the_two_sides_can_add_to_the_agenda(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    for outsider in (org.hr, org.owner, org.report2):
        with pytest.raises(PermissionDeniedError):
            services.talking_point_add(actor=outsider, meeting=meeting, text="Let me in")
    assert not TalkingPoint.objects.exists()


def test_an_empty_talking_point_is_refused_with_a_field_message(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    with pytest.raises(DomainError) as error:
        services.talking_point_add(actor=org.report, meeting=meeting, text="   ")
    assert error.value.fields == {"text": ["This cannot be empty."]}


def test_points_added_by_both_sides_are_numbered_in_order(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    first = make_point(meeting, org.report, "Mine")
    second = make_point(meeting, org.manager, "Yours")
    assert (first.position, second.position) == (0, 1)


def test_a_stale_edit_of_a_talking_point_is_refused_and_keeps_the_newer_text(
    org: OrgPeople, scope
) -> None:
    point = make_point(make_meeting(make_series(org.manager, org.report)), org.report, "Draft")
    services.talking_point_update(
        actor=org.manager, point=point, text="Manager's edit", expected_version=1
    )
    with pytest.raises(ConflictError) as error:
        services.talking_point_update(
            actor=org.report, point=point, text="Report's edit", expected_version=1
        )
    assert error.value.status_code == 409
    assert "changed this talking point while you were editing" in error.value.message
    point.refresh_from_db()
    assert (point.text, point.version) == ("Manager's edit", 2)


def test_moving_a_point_renumbers_the_agenda(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    _a, _b, c = (make_point(meeting, org.report, text) for text in "abc")
    services.talking_point_update(actor=org.manager, point=c, position=0)
    order = list(TalkingPoint.objects.filter(meeting=meeting).values_list("text", flat=True))
    assert order == ["c", "a", "b"]


def test_marking_a_meeting_done_carries_undiscussed_points_to_the_next_meeting_once(
    org: OrgPeople, scope
) -> None:
    series = make_series(org.manager, org.report, cadence="weekly")
    meeting = make_meeting(series, days_from_now=-1)
    done = make_point(meeting, org.report, "Covered")
    make_point(meeting, org.report, "Not reached")
    services.talking_point_update(actor=org.manager, point=done, discussed=True)

    services.meeting_complete(actor=org.manager, meeting=meeting)
    services.meeting_complete(actor=org.report, meeting=meeting)

    following = selectors.meeting_list(actor=org.manager, status="upcoming").get()
    assert following.scheduled_for == meeting.scheduled_for + timedelta(weeks=1)
    carried = list(following.talking_points.all())
    assert [p.text for p in carried] == ["Not reached"]
    assert carried[0].carried_from is not None


def test_an_ad_hoc_series_carries_points_when_the_next_meeting_is_created(
    org: OrgPeople, scope
) -> None:
    series = make_series(org.colleague, org.report, cadence="none")
    meeting = make_meeting(series, days_from_now=-3)
    make_point(meeting, org.report, "Still open")
    services.meeting_complete(actor=org.colleague, meeting=meeting)
    assert not selectors.meeting_list(actor=org.colleague, status="upcoming").exists()

    following = make_meeting(series, days_from_now=4)
    make_meeting(series, when=following.scheduled_for)  # scheduling again changes nothing
    assert [p.text for p in following.talking_points.all()] == ["Still open"]


def test_undone_action_items_show_in_every_later_meeting_until_done(org: OrgPeople, scope) -> None:
    series = make_series(org.manager, org.report, cadence="none")
    first = make_meeting(series, days_from_now=-14)
    second = make_meeting(series, days_from_now=-7)
    third = make_meeting(series, days_from_now=1)
    open_item = make_action_item(first, org.report, "Write the doc")
    ticked = make_action_item(first, org.manager, "Book the room")
    services.action_item_update(actor=org.manager, item=ticked, done=True, in_meeting=second)

    def shown(meeting):
        return {item.text for item in selectors.action_items_for_meeting(meeting=meeting)}

    assert shown(first) == {"Write the doc", "Book the room"}
    assert shown(second) == {"Write the doc", "Book the room"}
    assert shown(third) == {"Write the doc"}
    assert open_item.done_at is None


def test_ticking_an_action_item_twice_keeps_the_first_time(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    item = make_action_item(meeting, org.report)
    first = services.action_item_update(actor=org.report, item=item, done=True)
    again = services.action_item_update(actor=org.manager, item=item, done=True)
    assert again.done_at == first.done_at
    assert again.done_in == meeting


def test_an_action_item_belongs_to_one_of_the_two_sides(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    with pytest.raises(DomainError) as error:
        services.action_item_create(actor=org.manager, meeting=meeting, owner=org.hr, text="x")
    assert "owner" in error.value.fields


def test_private_notes_are_read_only_by_their_author(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    note = make_private_note(meeting, org.manager, "Seems tired")
    for reader in (org.report, org.hr, org.owner):
        assert not selectors.private_note_list(actor=reader).exists()
        agenda = selectors.meeting_agenda(actor=reader, meeting=meeting)
        assert agenda.private_notes == []
    assert selectors.private_note_list(actor=org.manager).get() == note


def test_nobody_but_the_author_can_change_a_private_note(org: OrgPeople, scope) -> None:
    note = make_private_note(make_meeting(make_series(org.manager, org.report)), org.manager)
    from django.http import Http404

    with pytest.raises(Http404):
        services.private_note_update(actor=org.report, note=note, text="Edited")


def test_hr_cannot_open_a_one_on_one_they_are_not_part_of(org: OrgPeople, scope) -> None:
    series = make_series(org.manager, org.report)
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.series_get(actor=org.hr, series_id=series.pk)
    assert selectors.series_get(actor=org.report, series_id=series.pk) == series


def test_the_shared_notes_refuse_a_stale_save(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    services.meeting_update_notes(
        actor=org.manager, meeting=meeting, shared_notes="Agreed A", expected_version=1
    )
    with pytest.raises(ConflictError):
        services.meeting_update_notes(
            actor=org.report, meeting=meeting, shared_notes="Agreed B", expected_version=1
        )
    meeting.refresh_from_db()
    assert (meeting.shared_notes, meeting.notes_version) == ("Agreed A", 2)


def test_a_cancelled_meeting_cannot_be_marked_done(org: OrgPeople, scope) -> None:
    meeting = make_meeting(make_series(org.manager, org.report))
    services.meeting_cancel(actor=org.report, meeting=meeting)
    with pytest.raises(ConflictError):
        services.meeting_complete(actor=org.manager, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_a_naive_meeting_time_is_refused(org: OrgPeople, scope) -> None:
    series = make_series(org.manager, org.report)
    with pytest.raises(DomainError):
        services.meeting_schedule(
            actor=org.manager,
            series=series,
            scheduled_for=timezone.now().replace(tzinfo=None),
        )
