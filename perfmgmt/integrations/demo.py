"""Demo data: the demo organization has an identity provider's SCIM key and one person it
provisioned, so an owner sees the key on the API keys page and `scim.user.create` in the
audit trail. Seeding again adds nothing."""

from __future__ import annotations

from scim2_models import Context

from perfmgmt.api.models import ApiCredential, Scope
from perfmgmt.api.services import credential_create
from perfmgmt.tenancy.demo import DemoData, demo_loader

from .models import ScimUser
from .scim.resources import ENTERPRISE_SCHEMA_ID, POLICY, USER_SCHEMA_ID, UserModel
from .scim.services.users import scim_user_create

KEY_NAME = "Okta (SCIM provisioning)"
PROVISIONED = "lena.okafor@demo.perfmgmt.test"


@demo_loader(order=90)
def load_scim_demo(data: DemoData) -> None:
    owner = data.people.get("owner")
    if data.organization.slug != "demo" or owner is None:
        return
    credential = ApiCredential.objects.filter(name=KEY_NAME, revoked_at=None).first()
    if credential is None:
        credential, _key = credential_create(actor=owner, name=KEY_NAME, scopes=[Scope.SCIM])
    if ScimUser.objects.filter(user_name_key=PROVISIONED).exists():
        return
    resource = UserModel.model_validate(
        {
            "schemas": [USER_SCHEMA_ID, ENTERPRISE_SCHEMA_ID],
            "userName": PROVISIONED,
            "externalId": "00u-demo-lena",
            "name": {"givenName": "Lena", "familyName": "Okafor"},
            "emails": [{"value": PROVISIONED, "type": "work", "primary": True}],
            "title": "Support Engineer",
            ENTERPRISE_SCHEMA_ID: {
                "department": "Engineering",
                "manager": {"value": str(owner.pk)},
            },
        },
        scim_ctx=Context.RESOURCE_CREATION_REQUEST,
        scim_policy=POLICY,
    )
    scim_user_create(actor=credential, resource=resource)
