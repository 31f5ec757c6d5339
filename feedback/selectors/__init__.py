"""Reads with rules: check-ins, feedback, feedback requests and coaching records.

Every list here runs a fixed number of queries whatever its length. Visibility follows
`feedback/policies.py` (tests check both agree). An object the actor may not see is a 404,
exactly like another organization's.

    cadences.py           which cadence applies to whom; today on the organization's clocks
    checkins.py           check-ins, the current period, linked goals
    feedback.py           feedback by direction, counts per person
    feedback_requests.py  requests and the asks each side sees
    coaching.py           coaching records and the follow-ups due at a 1:1
    people.py             active people, a person's manager chain
"""

from .cadences import (
    BUILT_IN_CADENCE,
    cadence_default,
    cadence_for,
    cadence_get,
    cadence_on_day,
    cadence_pending_change,
    cadences_by_team,
    local_today,
    reminded_from,
)
from .checkins import (
    checkin_covering,
    checkin_get,
    checkin_list,
    checkin_lookup,
    checkin_preview,
    checkin_rows,
    checkin_visible_q,
    checkins_waiting_for_review,
    current_period,
    is_reminded_period,
    last_checkins_for,
    latest_checkin_end,
    latest_checkins,
)
from .coaching import (
    coaching_follow_ups_due,
    coaching_record_get,
    coaching_record_list,
    coaching_record_lookup,
    coaching_records_for,
    coaching_visible_q,
)
from .feedback import (
    FEEDBACK_DIRECTIONS,
    FeedbackCounts,
    feedback_about,
    feedback_counts_for,
    feedback_get,
    feedback_list,
    feedback_lookup,
    feedback_of_rows,
    feedback_readers,
    feedback_rows,
    feedback_visible_q,
)
from .feedback_requests import (
    ask_of,
    feedback_request_get,
    feedback_request_list,
    feedback_request_lookup,
    pending_asks,
)
from .people import active_people, chain_managers

__all__ = [
    "BUILT_IN_CADENCE",
    "FEEDBACK_DIRECTIONS",
    "FeedbackCounts",
    "active_people",
    "ask_of",
    "cadence_default",
    "cadence_for",
    "cadence_get",
    "cadence_on_day",
    "cadence_pending_change",
    "cadences_by_team",
    "chain_managers",
    "checkin_covering",
    "checkin_get",
    "checkin_list",
    "checkin_lookup",
    "checkin_preview",
    "checkin_rows",
    "checkin_visible_q",
    "checkins_waiting_for_review",
    "coaching_follow_ups_due",
    "coaching_record_get",
    "coaching_record_list",
    "coaching_record_lookup",
    "coaching_records_for",
    "coaching_visible_q",
    "current_period",
    "feedback_about",
    "feedback_counts_for",
    "feedback_get",
    "feedback_list",
    "feedback_lookup",
    "feedback_of_rows",
    "feedback_readers",
    "feedback_request_get",
    "feedback_request_list",
    "feedback_request_lookup",
    "feedback_rows",
    "feedback_visible_q",
    "is_reminded_period",
    "last_checkins_for",
    "latest_checkin_end",
    "latest_checkins",
    "local_today",
    "pending_asks",
    "readable_goal_ids",
    "reminded_from",
    "visible_asks",
]
