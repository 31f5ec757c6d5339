"""/scim/v2/<org_slug>/...: the base URL an administrator gives Okta or Entra ID.

No trailing slashes: providers append `/Users`, `/Users/<id>` to the base URL. Schema and
resource type ids are URNs, read from the path by their views (no object of a model).
"""

from typing import Any

from django.urls import path, re_path

from .views import (
    ResourceTypeViewSet,
    SchemaViewSet,
    ScimGroupViewSet,
    ScimUserViewSet,
    ServiceProviderConfigViewSet,
)

app_name = "scim"

# A method an endpoint does not serve is a 405 in SCIM's form (not the scope check's 403).
_collection: dict[str, Any] = {
    "get": "list",
    "post": "create",
    **dict.fromkeys(("put", "patch", "delete"), "not_allowed"),
}
_object: dict[str, Any] = {
    "get": "retrieve",
    "put": "update",
    "patch": "partial_update",
    "delete": "destroy",
    "post": "not_allowed",
}
_read: dict[str, Any] = {
    "get": "list",
    **dict.fromkeys(("post", "put", "patch", "delete"), "not_allowed"),
}
_search: dict[str, Any] = {
    "post": "search",
    **dict.fromkeys(("get", "put", "patch", "delete"), "not_allowed"),
}
_search_everything: dict[str, Any] = {
    "post": "search_everything",
    **dict.fromkeys(("get", "put", "patch", "delete"), "not_allowed"),
}
_unknown: dict[str, Any] = dict.fromkeys(("get", "post", "put", "patch", "delete"), "unknown")

urlpatterns = [
    path("", ServiceProviderConfigViewSet.as_view(_read), name="root"),
    path("Users", ScimUserViewSet.as_view(_collection), name="users"),
    path("Users/.search", ScimUserViewSet.as_view(_search), name="users-search"),
    path("Users/<str:member_id>", ScimUserViewSet.as_view(_object), name="user"),
    path("Groups", ScimGroupViewSet.as_view(_collection), name="groups"),
    path("Groups/.search", ScimGroupViewSet.as_view(_search), name="groups-search"),
    path("Groups/<str:team_id>", ScimGroupViewSet.as_view(_object), name="group"),
    path(
        "ServiceProviderConfig",
        ServiceProviderConfigViewSet.as_view(_read),
        name="service-provider-config",
    ),
    re_path(r"^Schemas(?:/.*)?$", SchemaViewSet.as_view(_read), name="schemas"),
    re_path(r"^ResourceTypes(?:/.*)?$", ResourceTypeViewSet.as_view(_read), name="resource-types"),
    path(
        ".search",
        ServiceProviderConfigViewSet.as_view(_search_everything),
        name="search",
    ),
    re_path(r"^(?:.*)$", ServiceProviderConfigViewSet.as_view(_unknown), name="unknown"),
]
