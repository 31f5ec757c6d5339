"""The person's own record and their invitations (perfmgmt/privacy/registry.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from perfmgmt.privacy.registry import EraseContext, ExportContext, PersonalData, Table, register

from .models import Invitation, Membership

LOGIN_COLUMNS = ("email", "full_name", "language", "time_zone", "date_joined", "last_login")


def _own_record(context: ExportContext) -> QuerySet[Membership]:
    return Membership.objects.filter(pk=context.person.pk)


def _login(context: ExportContext) -> Iterable[Table]:
    login = context.person.user
    yield Table(
        "accounts.User", LOGIN_COLUMNS, [tuple(getattr(login, name) for name in LOGIN_COLUMNS)]
    )


def _erase_invitations(context: EraseContext) -> None:
    # The membership's own name, title and ids are erased by the privacy service itself.
    Invitation.objects.filter(membership=context.person).update(
        email=f"erased-{context.person.pk}@erased.invalid"
    )


register(
    PersonalData(
        Membership,
        person_fields=("user", "manager"),
        rows=_own_record,
        tables=_login,
        kept="Reporting line and team stay, so the organization's figures do not change.",
    )
)
register(
    PersonalData(
        Invitation,
        person_fields=("membership", "invited_by"),
        exclude=("token_hash", "token_salt"),
        erase=_erase_invitations,
    )
)
