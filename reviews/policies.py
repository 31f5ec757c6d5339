"""Who may set up and read review configuration.

HR admins and owners build rating scales and templates; every member may read them (a
template says what will be asked, and of whom: there is nothing secret in it). API keys
read them with `reviews:read` and change them with `reviews:write`.
"""

from __future__ import annotations

from perfmgmt.api.models import Scope
from perfmgmt.tenancy.policies import Actor, person_of

from .models import AnswerReaders, ReviewerKind

READ_SCOPE, WRITE_SCOPE = Scope.REVIEWS_READ, Scope.REVIEWS_WRITE


def can_manage_review_setup(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(WRITE_SCOPE)
    person = person_of(actor)
    return person is not None and person.is_hr


def can_view_review_setup(actor: Actor) -> bool:
    if actor.is_api_client:
        return actor.has_scope(READ_SCOPE)
    return person_of(actor) is not None


def answer_readers(*, answered_by: str, readers: str) -> list[str]:
    """Who reads one answer once it is submitted, as the kinds of reader the template editor
    names and the review pages will enforce: the author always; a manager review reaches the
    reviewee only at release and only for questions every reader may see."""
    kinds = ["author"]
    if answered_by == ReviewerKind.SELF:
        kinds += ["managers", "hr"]
    elif answered_by == ReviewerKind.MANAGER:
        kinds += ["managers", "hr"]
        if readers == AnswerReaders.EVERYONE:
            kinds.append("reviewee_at_release")
    return kinds
