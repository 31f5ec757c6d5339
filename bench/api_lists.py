"""API list benchmark: five list endpoints at 100 rows, each beside its floors, in one run.

    python -m bench.api_lists                       # the large profile (10,000 people)
    python -m bench.api_lists --profile small --rounds 9

Seeds one organization (`bench.seed`, rolled back at the end) and reads the first page of
100 rows of goals, members, feedback, check-ins and 1:1 meetings as a VP (a manager with a
sixth of the organization below them, signed in) and, where API keys may read, as an API
key. For each it prints two ratios, A/B interleaved (product, floor, product, floor...), the
median of the paired ratios:

- serialize path: what the list view does with the page (the selector's queryset, its
  first 100 rows by id, written out as the view writes them: the endpoint's `JsonRows`,
  perfmgmt/api/jsonrows.py, and the API's renderer) against a floor that reads the same
  rows by id in one raw SQL statement and writes them with orjson.
  The floor is told which rows and which of their guarded fields (rewards, details,
  readable goals) to show; it decides nothing. Both outputs are checked equal.
- whole request: GET of the list through the test client (every middleware, the session or
  the real API key) against an HTTP floor: a trivial endpoint of the organization behind
  the same middleware, authentication, permissions and throttling (`bench/api_floor.py`).

Target (issue 13): both ratios <= 2x. A benchmark, not a test (tests/test_bench_api_lists.py
runs it tiny so it cannot rot).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROWS = 100
RATIO_LIMIT = 2.0
WARM_UP = 12


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # under /api/v1/orgs/<slug>/
    keys_read: bool  # API keys may read it (else people only)


ENDPOINTS = (
    Endpoint("goals", "goals/", True),
    Endpoint("members", "members/", True),
    Endpoint("feedback", "feedback/", False),
    Endpoint("check-ins", "checkins/", False),
    Endpoint("1:1 meetings", "one-on-ones/meetings/", True),
)


@dataclass(frozen=True)
class Result:
    endpoint: str
    reader: str
    serialize_seconds: float
    floor_seconds: float
    serialize_ratio: float
    request_seconds: float
    http_floor_seconds: float
    request_ratio: float
    rows: int
    size: int

    @property
    def passed(self) -> bool:
        return self.serialize_ratio <= RATIO_LIMIT and self.request_ratio <= RATIO_LIMIT

    def line(self) -> str:
        return (
            f"{self.endpoint:<13} {self.reader:<4} {self.rows:>4} "
            f"{self.serialize_seconds * 1000:8.1f} {self.floor_seconds * 1000:7.1f} ms "
            f"{self.serialize_ratio:6.2f}x  "
            f"{self.request_seconds * 1000:8.1f} {self.http_floor_seconds * 1000:7.1f} ms "
            f"{self.request_ratio:6.2f}x  (<= {RATIO_LIMIT:.0f}x) {self.size / 1024:7.1f} KiB  "
            f"{'pass' if self.passed else 'FAIL'}"
        )


HEADER = (
    f"{'endpoint':<13} {'as':<4} {'rows':>4} {'serialize':>8} {'floor':>7}    {'ratio':>6}  "
    f"{'request':>8} {'floor':>7}    {'ratio':>6}  {'(target)':>8} {'size':>11}  result"
)


# --- The product's serialize path, as each list view runs it --------------------------


def _page(rows: Any, written: Any, organization: Any) -> bytes:
    # As `OrgViewSet.page` does: the columns the rules decide, first 100 by id, then the
    # page written out by PostgreSQL and embedded by the API's renderer.
    from perfmgmt.api.renderers import JSONRenderer

    page = list(rows.values(*written.columns).order_by("id")[:ROWS])
    results = written.results(page, organization=organization, embed=True)
    return JSONRenderer().render({"results": results})


def _goals(actor: Any, organization: Any) -> bytes:
    from goals import selectors
    from goals.serializers import GOAL_JSON

    return _page(selectors.goal_rows(actor=actor), GOAL_JSON, organization)


def _members(actor: Any, organization: Any) -> bytes:
    from perfmgmt.tenancy import selectors
    from perfmgmt.tenancy.serializers import MEMBER_JSON

    rows = selectors.member_rows(actor=actor, include_left=True)
    return _page(rows, MEMBER_JSON, organization)


def _feedback(actor: Any, organization: Any) -> bytes:
    from feedback import selectors
    from feedback.serializers import FEEDBACK_JSON

    return _page(selectors.feedback_rows(actor=actor), FEEDBACK_JSON, organization)


def _checkins(actor: Any, organization: Any) -> bytes:
    from feedback import selectors
    from feedback.serializers import CHECKIN_JSON

    return _page(selectors.checkin_rows(actor=actor), CHECKIN_JSON, organization)


def _meetings(actor: Any, organization: Any) -> bytes:
    from feedback.meetings import selectors
    from feedback.meetings.serializers import MEETING_JSON

    return _page(selectors.meeting_rows(actor=actor), MEETING_JSON, organization)


PRODUCTS: dict[str, Callable[[Any, Any], bytes]] = {
    "goals": _goals,
    "members": _members,
    "feedback": _feedback,
    "check-ins": _checkins,
    "1:1 meetings": _meetings,
}


# --- The floors: the same rows by id, one raw SQL statement, orjson --------------------

_NAME = "COALESCE(NULLIF({m}.full_name, ''), {u}.email)"

_GOALS_SQL = f"""
SELECT g.id, g.owner_kind, g.owner_person_id, g.owner_team_id,
    CASE g.owner_kind WHEN 'person' THEN {_NAME.format(m="p", u="u")}
        WHEN 'team' THEN t.name ELSE %(organization)s END,
    g.title, g.description, g.goal_type, g.unit, g.start_value::text, g.target_value::text,
    g.current_value::text, g.start_date, g.due_date, g.weight::text, g.visibility, g.status,
    g.parent_id, g.progress::text, g.last_confidence, g.last_update_at,
    COALESCE((SELECT json_agg(json_build_object('id', s.id, 'title', s.title, 'done', s.done,
        'order', s."order") ORDER BY s."order", s.id)
        FROM goals_milestone s WHERE s.goal_id = g.id), '[]')::text,
    g.proposed_by_id, g.proposed_at, g.agreed_by_id, g.agreed_at,
    g.agreed_at IS NULL AND g.status IN ('draft', 'active'),
    CASE WHEN g.id = ANY(%(shown)s) THEN g.reward_text ELSE '' END,
    CASE WHEN g.id = ANY(%(shown)s) THEN g.reward_amount::text END,
    g.created_at, g.updated_at, g.version
FROM goals_goal g
LEFT JOIN tenancy_membership p ON p.id = g.owner_person_id
LEFT JOIN accounts_user u ON u.id = p.user_id
LEFT JOIN tenancy_team t ON t.id = g.owner_team_id
WHERE g.organization_id = %(org)s AND g.id = ANY(%(ids)s) ORDER BY g.id
"""  # noqa: S608 (constant SQL: only fixed aliases are formatted in)
_GOALS_KEYS = [
    "id",
    "owner_kind",
    "owner_person",
    "owner_team",
    "owner_name",
    "title",
    "description",
    "goal_type",
    "unit",
    "start_value",
    "target_value",
    "current_value",
    "start_date",
    "due_date",
    "weight",
    "visibility",
    "status",
    "parent",
    "progress",
    "last_confidence",
    "last_update_at",
    "milestones",
    "proposed_by",
    "proposed_at",
    "agreed_by",
    "agreed_at",
    "needs_agreement",
    "reward_text",
    "reward_amount",
    "created_at",
    "updated_at",
    "version",
]

_MEMBERS_SQL = f"""
SELECT m.id, u.email, m.full_name, {_NAME.format(m="m", u="u")}, m.role, m.status,
    m.job_title, m.team_id, t.name, m.manager_id, m.start_date, COALESCE(m.external_id, ''),
    m.created_at, m.updated_at
FROM tenancy_membership m JOIN accounts_user u ON u.id = m.user_id
LEFT JOIN tenancy_team t ON t.id = m.team_id
WHERE m.organization_id = %(org)s AND m.id = ANY(%(ids)s) ORDER BY m.id
"""  # noqa: S608 (constant SQL: only fixed aliases are formatted in)
_MEMBERS_KEYS = [
    "id",
    "email",
    "full_name",
    "display_name",
    "role",
    "status",
    "job_title",
    "team",
    "team_name",
    "manager",
    "start_date",
    "external_id",
    "created_at",
    "updated_at",
]

_FEEDBACK_SQL = f"""
SELECT f.id, f.giver_id, {_NAME.format(m="g", u="gu")}, f.recipient_id,
    {_NAME.format(m="r", u="ru")}, f.situation, f.behaviour, f.impact, f.visibility,
    f.request_id, f.created_at, f.updated_at
FROM feedback_feedback f
JOIN tenancy_membership g ON g.id = f.giver_id JOIN accounts_user gu ON gu.id = g.user_id
JOIN tenancy_membership r ON r.id = f.recipient_id JOIN accounts_user ru ON ru.id = r.user_id
WHERE f.organization_id = %(org)s AND f.id = ANY(%(ids)s) ORDER BY f.id
"""  # noqa: S608 (constant SQL: only fixed aliases are formatted in)
_FEEDBACK_KEYS = [
    "id",
    "giver",
    "giver_name",
    "recipient",
    "recipient_name",
    "situation",
    "behaviour",
    "impact",
    "visibility",
    "request",
    "created_at",
    "updated_at",
]

_CHECKINS_SQL = f"""
SELECT c.id, c.person_id, {_NAME.format(m="p", u="u")}, c.period_start, c.period_end,
    c.due_on, c.status,
    (SELECT COALESCE(json_agg(json_build_object('question', q.question,
        'answer', COALESCE(c.answers ->> (q.n::int - 1), '')) ORDER BY q.n), '[]')
     FROM jsonb_array_elements_text(c.questions) WITH ORDINALITY q(question, n))::text,
    c.score,
    ARRAY(SELECT l.goal_id FROM feedback_checkingoal l JOIN goals_goal g ON g.id = l.goal_id
          WHERE l.checkin_id = c.id AND l.goal_id = ANY(%(shown)s) ORDER BY g.due_date, g.id),
    c.submitted_at, c.manager_reply, c.reviewed_by_id, c.reviewed_at, c.created_at,
    c.updated_at
FROM feedback_checkin c
JOIN tenancy_membership p ON p.id = c.person_id JOIN accounts_user u ON u.id = p.user_id
WHERE c.organization_id = %(org)s AND c.id = ANY(%(ids)s) ORDER BY c.id
"""  # noqa: S608 (constant SQL: only fixed aliases are formatted in)
_CHECKINS_KEYS = [
    "id",
    "person",
    "person_name",
    "period_start",
    "period_end",
    "due_on",
    "status",
    "answers",
    "score",
    "goals",
    "submitted_at",
    "manager_reply",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
]

_MEETINGS_SQL = """
SELECT id, series_id, scheduled_for, status, shared_notes, notes_version, completed_at,
    created_at
FROM feedback_meeting WHERE organization_id = %(org)s AND id = ANY(%(ids)s) ORDER BY id
"""
_MEETINGS_KEYS = [
    "id",
    "series",
    "scheduled_for",
    "status",
    "shared_notes",
    "notes_version",
    "completed_at",
    "created_at",
]

# name: (SQL, output keys, keys holding JSON text already)
FLOORS: dict[str, tuple[str, list[str], tuple[str, ...]]] = {
    "goals": (_GOALS_SQL, _GOALS_KEYS, ("milestones",)),
    "members": (_MEMBERS_SQL, _MEMBERS_KEYS, ()),
    "feedback": (_FEEDBACK_SQL, _FEEDBACK_KEYS, ()),
    "check-ins": (_CHECKINS_SQL, _CHECKINS_KEYS, ("answers",)),
    "1:1 meetings": (_MEETINGS_SQL, _MEETINGS_KEYS, ()),
}


@dataclass(frozen=True)
class Shown:
    """What the product decided for its page, handed to the floor: which rows, and which of
    their guarded parts (the goals whose reward shows, the people whose details show, the
    linked goals the reader may read)."""

    ids: list[int]
    guarded: list[int]


def shown_by(name: str, output: bytes) -> Shown:
    rows = json.loads(output)["results"]
    ids = [row["id"] for row in rows]
    if name == "goals":
        guarded = [row["id"] for row in rows if row["reward_text"] or row["reward_amount"]]
    elif name == "members":
        guarded = [row["id"] for row in rows if "external_id" in row]
    elif name == "check-ins":
        guarded = sorted({goal for row in rows for goal in row["goals"]})
    else:
        guarded = []
    return Shown(ids, guarded)


def floor(name: str, organization: Any, shown: Shown) -> bytes:
    import orjson
    from django.db import connection
    from django.utils.translation import gettext

    sql, keys, fragments = FLOORS[name]
    parameters = {
        "org": organization.pk,
        "ids": shown.ids,
        "shown": shown.guarded,
        "organization": gettext("Organization"),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for key in fragments:
            row[key] = orjson.Fragment(row[key])
    if name == "members":
        visible = set(shown.guarded)
        for row in rows:
            if row["id"] not in visible:
                del row["start_date"], row["external_id"]
    return orjson.dumps(rows, option=orjson.OPT_UTC_Z)


# --- Timing ----------------------------------------------------------------------------


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def paired(
    product: Callable[[], object], baseline: Callable[[], object], rounds: int
) -> tuple[float, float, float]:
    """Median product time, median floor time, median of the paired ratios, after
    `WARM_UP` runs of each: the steady state of a connection that serves many requests
    (production keeps connections, CONN_MAX_AGE): PostgreSQL plans a prepared statement
    five times before it keeps a generic plan."""
    for _ in range(WARM_UP):
        product()
        baseline()
    pairs = [(_seconds(product), _seconds(baseline)) for _ in range(rounds)]
    return (
        statistics.median(p for p, _b in pairs),
        statistics.median(b for _p, b in pairs),
        statistics.median(p / b for p, b in pairs),
    )


def _client(seeded: Any, reader: str) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    if reader == "key":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {seeded.key}")
    else:
        client.force_login(seeded.vp.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response


def measure(seeded: Any, endpoint: Endpoint, reader: str, rounds: int) -> Result:
    """One endpoint for one reader ("vp" or "key"): both ratios."""
    from perfmgmt.localization import activate_reader
    from perfmgmt.tenancy.context import organization_scope

    organization = seeded.organization
    actor = seeded.credential if reader == "key" else seeded.vp
    user = None if reader == "key" else seeded.vp.user
    client = _client(seeded, reader)
    base = f"/api/v1/orgs/{organization.slug}/"
    url = f"{base}{endpoint.path}?page_size={ROWS}"
    answered = _get(client, url).json()["results"]
    with organization_scope(organization):
        activate_reader(user=user, organization=organization)
        product = PRODUCTS[endpoint.name]
        output = product(actor, organization)
        shown = shown_by(endpoint.name, output)
        assert json.loads(output)["results"] == answered, (
            f"{endpoint.name}: not what the API answers"
        )
        assert json.loads(floor(endpoint.name, organization, shown)) == answered, (
            f"{endpoint.name}: the floor differs"
        )
        serialize, sql_floor, serialize_ratio = paired(
            lambda: product(actor, organization),
            lambda: floor(endpoint.name, organization, shown),
            rounds,
        )
    request, http_floor, request_ratio = paired(
        lambda: _get(client, url), lambda: _get(client, f"{base}bench-floor/"), rounds
    )
    return Result(
        endpoint=endpoint.name,
        reader=reader,
        serialize_seconds=serialize,
        floor_seconds=sql_floor,
        serialize_ratio=serialize_ratio,
        request_seconds=request,
        http_floor_seconds=http_floor,
        request_ratio=request_ratio,
        rows=len(answered),
        size=len(output),
    )


def production_like(root_urlconf: str = "bench.api_floor") -> Any:
    """Production-like settings for a benchmark's requests, with `root_urlconf` (the
    project's URLs plus the benchmark's floors)."""
    from django.conf import settings
    from django.test.utils import override_settings

    # As in production: no query log; static files named without a manifest; and a
    # throttle budget the benchmark cannot exhaust (the throttle still runs on both sides).
    framework = {**settings.REST_FRAMEWORK}
    framework["DEFAULT_THROTTLE_RATES"] = {"principal": "1000000/min"}
    return override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        ROOT_URLCONF=root_urlconf,
        REST_FRAMEWORK=framework,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )


class _RollBack(Exception):
    pass


def run(profile: Any = "large", rounds: int = 7) -> list[Result]:
    """Seed, measure every endpoint for every reader it has, roll back."""
    from django.db import transaction

    from bench.seed import seed

    results: list[Result] = []
    try:
        with production_like(), transaction.atomic():
            seeded = seed(profile)
            for endpoint in ENDPOINTS:
                for reader in ("vp", "key") if endpoint.keys_read else ("vp",):
                    results.append(measure(seeded, endpoint, reader, rounds))
            raise _RollBack
    except _RollBack:
        pass
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="large", help="bench.seed profile")
    parser.add_argument("--rounds", type=int, default=7, help="A/B pairs per figure")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings.dev")
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # the request log of every timed request, on both sides
    results = run(arguments.profile, arguments.rounds)
    print(
        f"API lists, {ROWS} rows, profile {arguments.profile}: serialize path vs raw SQL + "
        f"orjson, whole request vs an HTTP floor; {arguments.rounds} A/B pairs, medians"
    )
    print(HEADER)
    for result in results:
        print(result.line(), flush=True)
    print("All targets hold." if all(r.passed for r in results) else "Some targets FAIL.")


if __name__ == "__main__":
    main()
