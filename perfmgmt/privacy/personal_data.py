"""This app's own tables; erasure deletes the person's exports (services/erasure.py)."""

from .models import PersonalDataExport, PersonErasure
from .registry import PersonalData, register

register(
    PersonalData(
        PersonalDataExport,
        person_fields=("person", "requested_by"),
        exclude=("file",),
    )
)
register(PersonalData(PersonErasure, person_fields=("membership", "erased_by")))
