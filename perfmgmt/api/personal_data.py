from perfmgmt.privacy.registry import PersonalData, register

from .models import ApiCredential

register(
    PersonalData(
        ApiCredential,
        person_fields=("created_by",),
        exclude=("key_hash",),
        kept="The organization's API keys stay; only who created them is recorded.",
    )
)
