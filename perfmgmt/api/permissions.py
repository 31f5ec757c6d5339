from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class HasRequiredScope(BasePermission):
    """An API credential may only call actions whose scope it holds.

    Views name the scope per action in `required_scopes` ({"list": "members:read", ...}); an
    action missing from that map is refused to credentials (fail closed). People are not
    limited here: their rights come from the policies the services and selectors apply.
    Runs after the organization is resolved (see `OrgScopedMixin`).
    """

    message = "This API key does not have the scope this call needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = getattr(view, "actor", None)
        if actor is None or not actor.is_api_client or bool(getattr(view, "people_only", "")):
            return True
        scope = getattr(view, "required_scopes", {}).get(getattr(view, "action", None))
        return scope is not None and bool(actor.has_scope(scope))
