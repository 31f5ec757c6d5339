"""Goals, their updates and revisions, as the person and the requester may read them."""

from django.db.models import Q

from perfmgmt.privacy.registry import PersonalData, Texts, exempt, register
from perfmgmt.tenancy.models import Membership

from .models import Goal, GoalRevision, GoalUpdate
from .policies import visible_goals_filter


def _goal_of_readable(reader: Membership) -> Q:
    return Q(goal__in=Goal.objects.filter(visible_goals_filter(reader)).values("pk"))


register(
    PersonalData(
        Goal,
        person_fields=("owner_person", "proposed_by", "agreed_by", "created_by"),
        readable=visible_goals_filter,
        kept="Titles and descriptions stay: goals count in roll-ups and other people's views.",
    )
)
register(
    PersonalData(
        GoalUpdate,
        person_fields=("author",),
        readable=_goal_of_readable,
        texts=(Texts("author", ("comment",)),),
    )
)
register(
    PersonalData(
        GoalRevision,
        person_fields=("changed_by",),
        readable=_goal_of_readable,
        kept="A revision keeps the goal's earlier state for everyone who reads the goal.",
    )
)

exempt(
    "goals.GoalOwnerLine",
    "Derived by the database from goals and reporting lines (who is above a goal's owner), "
    "to list a manager's team goals; holds no content, and follows the goal and the people.",
)
