"""What this service provider serves, described once: the schemas it publishes, the models
built from them (requests are read and PATCH operations applied with the same models), its
resource types and its configuration.

The standard schemas of scim2-models are trimmed to the attributes perfmgmt keeps, so a
provider is never told an attribute is kept that is then dropped. The enterprise `manager`
takes a `value` alone (Okta and Entra ID send no `$ref`).
"""

from __future__ import annotations

from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Extension,
    Filter,
    Group,
    Patch,
    Required,
    Resource,
    ResourceType,
    Schema,
    ScimPolicy,
    ServiceProviderConfig,
    Sort,
    User,
)

MAX_RESULTS = 200
DEFAULT_COUNT = 100

_USER_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "userName": None,
    "name": ("formatted", "familyName", "givenName"),
    "displayName": None,
    "title": None,
    "active": None,
    "emails": ("value", "type", "primary"),
}
_ENTERPRISE_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "department": None,
    "manager": ("value", "$ref"),
}
_GROUP_ATTRIBUTES: dict[str, tuple[str, ...] | None] = {
    "displayName": None,
    "members": ("value", "$ref", "type"),
}


def _trimmed(schema: Schema, keep: dict[str, tuple[str, ...] | None]) -> Schema:
    attributes = []
    for attribute in schema.attributes or []:
        if attribute.name not in keep:
            continue
        names = keep[attribute.name]
        if names is not None:
            attribute.sub_attributes = [
                sub for sub in attribute.sub_attributes or [] if sub.name in names
            ]
            for sub in attribute.sub_attributes:
                if sub.name == "$ref":
                    sub.required = Required.false
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


USER_SCHEMA = _trimmed(User.to_schema(), _USER_ATTRIBUTES)
ENTERPRISE_SCHEMA = _trimmed(EnterpriseUser.to_schema(), _ENTERPRISE_ATTRIBUTES)
GROUP_SCHEMA = _trimmed(Group.to_schema(), _GROUP_ATTRIBUTES)
SCHEMAS = (USER_SCHEMA, ENTERPRISE_SCHEMA, GROUP_SCHEMA)

EnterpriseModel: Any = Extension.from_schema(ENTERPRISE_SCHEMA)
_UserCore: Any = Resource.from_schema(USER_SCHEMA)
UserModel: Any = _UserCore[EnterpriseModel]
GroupModel: Any = Resource.from_schema(GROUP_SCHEMA)

USER_SCHEMA_ID = str(USER_SCHEMA.id)
ENTERPRISE_SCHEMA_ID = str(ENTERPRISE_SCHEMA.id)
GROUP_SCHEMA_ID = str(GROUP_SCHEMA.id)

# How much of Okta's and Entra ID's departures from the RFCs is read: unknown attributes
# are dropped (both send some: `roles`, `meta`), a `remove` may carry the value to remove
# and a `replace` on `emails[type eq "work"].value` creates the entry it names (Entra ID).
POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

USER_RESOURCE_TYPE = ResourceType.model_validate(
    {
        "id": "User",
        "name": "User",
        "description": "A person of the organization",
        "endpoint": "/Users",
        "schema": USER_SCHEMA_ID,
        "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA_ID, "required": False}],
    }
)
GROUP_RESOURCE_TYPE = ResourceType.model_validate(
    {
        "id": "Group",
        "name": "Group",
        "description": "A team of the organization",
        "endpoint": "/Groups",
        "schema": GROUP_SCHEMA_ID,
    }
)
RESOURCE_TYPES = (USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE)

SERVICE_PROVIDER_CONFIG = ServiceProviderConfig(
    documentation_uri=None,
    patch=Patch(supported=True),
    bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
    filter=Filter(supported=True, max_results=MAX_RESULTS),
    change_password=ChangePassword(supported=False),
    sort=Sort(supported=False),
    etag=ETag(supported=False),
    authentication_schemes=[
        AuthenticationScheme.model_validate(
            {
                "type": "oauthbearertoken",
                "name": "API key",
                "description": (
                    "An API key of the organization with the scim scope, sent as "
                    "Authorization: Bearer <key>."
                ),
                "primary": True,
            }
        )
    ],
)
