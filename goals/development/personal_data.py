from django.db.models import Q

from perfmgmt.privacy.registry import PersonalData, Texts, register
from perfmgmt.tenancy.models import Membership

from .models import DevelopmentAction, DevelopmentPlan
from .selectors import plans_readable_filter

register(
    PersonalData(
        DevelopmentPlan,
        person_fields=("person", "commented_by", "agreed_by", "last_agreed_by", "created_by"),
        readable=lambda reader: plans_readable_filter(reader, "person"),
        texts=(
            Texts("person", ("aspiration",)),
            Texts("commented_by", ("manager_comment",)),
        ),
    )
)


def _action_readable(reader: Membership) -> Q:
    return plans_readable_filter(reader, "plan__person")


register(
    PersonalData(
        DevelopmentAction,
        person_fields=("owner",),
        readable=_action_readable,
        texts=(Texts("owner", ("notes",)),),
    )
)
