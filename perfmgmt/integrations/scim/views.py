"""The SCIM endpoints: thin, as every API view (parse, one selector or service, present).

Reading a request: the body is validated with the resource models of resources.py in the
context SCIM gives it (creation, replacement, PATCH), under the policy that reads Okta's
and Entra ID's forms; `startIndex`, `count`, `attributes` and `excludedAttributes` come
from the query string.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from scim2_models import Context, PatchOp, ResponseParameters, SCIMException

from perfmgmt.tenancy.models import Membership, Team

from .base import ScimViewSet
from .discovery import resource_type_answer, schema_answer, service_provider_config_answer
from .errors import ScimError
from .present import dump, group_members, group_resource, user_resource
from .resources import DEFAULT_COUNT, POLICY, GroupModel, UserModel
from .selectors import scim_group_get, scim_group_page, scim_user_get, scim_user_page
from .services.groups import (
    scim_group_create,
    scim_group_delete,
    scim_group_patch,
    scim_group_replace,
)
from .services.users import scim_user_create, scim_user_patch, scim_user_remove, scim_user_replace

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
MAX_PARAMETER = 2**31 - 1


def _number(raw: Any, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        if isinstance(raw, (bool, float)):
            raise ValueError(raw)
        number = int(raw)
    except (TypeError, ValueError):
        raise ScimError(
            _("%(name)s must be a whole number.") % {"name": name}, scim_type="invalidValue"
        ) from None
    return max(-1, min(number, MAX_PARAMETER))


@dataclass
class Query:
    filter_text: str | None
    start_index: int
    count: int
    parameters: ResponseParameters[Any] | None
    excluded: list[str]


def _query(request: Request) -> Query:
    excluded = request.query_params.get("excludedAttributes") or ""
    return Query(
        filter_text=request.query_params.get("filter"),
        start_index=_number(request.query_params.get("startIndex"), "startIndex", 1),
        count=_number(request.query_params.get("count"), "count", DEFAULT_COUNT),
        parameters=_parameters(request),
        excluded=[name.strip().lower() for name in excluded.split(",")],
    )


def _search(data: Any) -> Query:
    """POST .search (RFC 7644 §3.4.3): the query parameters, in a body."""
    if not isinstance(data, dict):
        raise ScimError(_("The body must be a JSON object."), scim_type="invalidSyntax")
    attributes, excluded = data.get("attributes"), data.get("excludedAttributes")
    names = [a for a in (attributes or []) if isinstance(a, str)]
    left_out = [a for a in (excluded or []) if isinstance(a, str)]
    text = data.get("filter")
    return Query(
        filter_text=text if isinstance(text, str) else None,
        start_index=_number(data.get("startIndex"), "startIndex", 1),
        count=_number(data.get("count"), "count", DEFAULT_COUNT),
        parameters=_response_parameters(",".join(names), ",".join(left_out)),
        excluded=[name.strip().lower() for name in left_out],
    )


def _parameters(request: Request) -> ResponseParameters[Any] | None:
    return _response_parameters(
        request.query_params.get("attributes"), request.query_params.get("excludedAttributes")
    )


def _response_parameters(
    attributes: str | None, excluded: str | None
) -> ResponseParameters[Any] | None:
    if not attributes and not excluded:
        return None
    try:
        return ResponseParameters.model_validate(
            {"attributes": attributes or None, "excludedAttributes": excluded or None}
        )
    except (ValidationError, SCIMException, ValueError):
        raise ScimError(_("attributes: not valid."), scim_type="invalidValue") from None


def _read(model: Any, data: Any, context: Context) -> Any:
    """The body as a resource or PATCH (400 invalidValue/invalidSyntax when it is not one)."""
    if not isinstance(data, dict):
        raise ScimError(_("The body must be a JSON object."), scim_type="invalidSyntax")
    try:
        return model.model_validate(data, scim_ctx=context, scim_policy=POLICY)
    except SCIMException as error:
        raise ScimError(
            str(error.detail or error), scim_type=error.scim_type or "invalidValue"
        ) from None
    except (ValidationError, ValueError, TypeError) as error:
        raise ScimError(_first_error(error), scim_type="invalidValue") from None


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}"[:300]
    return str(error)[:300]


def _patched(apply: Any) -> Any:
    """Runs a PATCH service; what scim2-models refuses while applying it is a SCIM 400."""
    try:
        return apply()
    except SCIMException as error:
        raise ScimError(
            str(error.detail or error), scim_type=error.scim_type or "invalidValue"
        ) from None
    except (ValidationError, ValueError, TypeError) as error:
        raise ScimError(_first_error(error), scim_type="invalidValue") from None


def _patch_body(data: Any) -> Any:
    """Entra ID sends the enterprise manager as a bare id: `"value": "12"`."""
    if isinstance(data, dict):
        for operation in data.get("Operations") or data.get("operations") or []:
            path = operation.get("path") if isinstance(operation, dict) else None
            manager = isinstance(path, str) and path.lower().endswith(":manager")
            if manager and isinstance(operation.get("value"), str):
                operation["value"] = {"value": operation["value"]}
    return data


class ScimResourceViewSet(ScimViewSet, metaclass=ABCMeta):
    @abstractmethod
    def find(self) -> Any:
        """The resource named in the URL (a SCIM 404 when this organization has none)."""

    @abstractmethod
    def found(self, query: Query) -> Response:
        """One page of the resources a query finds."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.found(_query(request))

    def search(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.found(_search(request.data))

    def not_allowed(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # On an object's URL, another organization's id stays a 404 whatever the method.
        if self.lookup_url_kwarg in self.kwargs:
            self.find()
        return super().not_allowed(request, *args, **kwargs)

    def listing(
        self, total: int, start_index: int, resources: Sequence[dict[str, Any]]
    ) -> Response:
        return Response(
            {
                "schemas": [LIST_SCHEMA],
                "totalResults": total,
                "startIndex": start_index,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )

    def answer(self, resource: Any, code: int = status.HTTP_200_OK) -> Response:
        response = Response(dump(resource, _parameters(self.request)), status=code)
        location = getattr(getattr(resource, "meta", None), "location", None)
        if location:
            response["Location"] = location
        return response


class ScimUserViewSet(ScimResourceViewSet):
    model = Membership
    lookup_url_kwarg = "member_id"

    def find(self) -> Membership:
        return scim_user_get(actor=self.actor, member_id=self.kwargs["member_id"])

    def found(self, query: Query) -> Response:
        page = scim_user_page(
            actor=self.actor,
            filter_text=query.filter_text,
            start_index=query.start_index,
            count=query.count,
        )
        base = self.base_url()
        resources = [dump(user_resource(m, base), query.parameters) for m in page.items]
        return self.listing(page.total, page.start_index, resources)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.find()
        return self.answer(user_resource(member, self.base_url()))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.identity_provider()
        resource = _read(UserModel, request.data, Context.RESOURCE_CREATION_REQUEST)
        member = scim_user_create(actor=self.actor, resource=resource)
        return self._fresh(member, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.find()
        resource = _read(UserModel, request.data, Context.RESOURCE_REPLACEMENT_REQUEST)
        scim_user_replace(actor=self.actor, member=member, resource=resource)
        return self._fresh(member)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.find()
        patch = _read(PatchOp[UserModel], _patch_body(request.data), Context.RESOURCE_PATCH_REQUEST)
        base = self.base_url()
        _patched(
            lambda: scim_user_patch(actor=self.actor, member=member, patch=patch, base_url=base)
        )
        return self._fresh(member)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.find()
        scim_user_remove(actor=self.actor, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _fresh(self, member: Membership, code: int = status.HTTP_200_OK) -> Response:
        fresh = scim_user_get(actor=self.actor, member_id=member.pk)
        return self.answer(user_resource(fresh, self.base_url()), code)


class ScimGroupViewSet(ScimResourceViewSet):
    model = Team
    lookup_url_kwarg = "team_id"

    def find(self) -> Team:
        return scim_group_get(actor=self.actor, team_id=self.kwargs["team_id"], with_members=False)

    def _with_members(self) -> bool:
        excluded = (self.request.query_params.get("excludedAttributes") or "").lower()
        return "members" not in [name.strip() for name in excluded.split(",")]

    def found(self, query: Query) -> Response:
        page = scim_group_page(
            actor=self.actor,
            filter_text=query.filter_text,
            start_index=query.start_index,
            count=query.count,
            with_members="members" not in query.excluded,
        )
        base = self.base_url()
        resources = [
            dump(group_resource(team, base, group_members(team)), query.parameters)
            for team in page.items
        ]
        return self.listing(page.total, page.start_index, resources)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        team = scim_group_get(
            actor=self.actor, team_id=self.kwargs["team_id"], with_members=self._with_members()
        )
        return self.answer(group_resource(team, self.base_url(), group_members(team)))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.identity_provider()
        resource = _read(GroupModel, request.data, Context.RESOURCE_CREATION_REQUEST)
        team = scim_group_create(actor=self.actor, resource=resource)
        return self._fresh(team, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        team = scim_group_get(actor=self.actor, team_id=self.kwargs["team_id"])
        resource = _read(GroupModel, request.data, Context.RESOURCE_REPLACEMENT_REQUEST)
        current = group_members(team) or []
        scim_group_replace(actor=self.actor, team=team, resource=resource, current=current)
        return self._fresh(team)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        team = scim_group_get(actor=self.actor, team_id=self.kwargs["team_id"])
        patch = _read(PatchOp[GroupModel], request.data, Context.RESOURCE_PATCH_REQUEST)
        current, base = group_members(team) or [], self.base_url()
        _patched(
            lambda: scim_group_patch(
                actor=self.actor, team=team, patch=patch, current=current, base_url=base
            )
        )
        return self._fresh(team)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        team = self.find()
        scim_group_delete(actor=self.actor, team=team)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _fresh(self, team: Team, code: int = status.HTTP_200_OK) -> Response:
        fresh = scim_group_get(actor=self.actor, team_id=team.pk)
        return self.answer(group_resource(fresh, self.base_url(), group_members(fresh)), code)


class ScimDiscoveryViewSet(ScimViewSet):
    """ServiceProviderConfig, Schemas and ResourceTypes (RFC 7644 §4): the same for every
    organization, still behind its key."""

    answers: Any = None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.identity_provider()
        body, code = type(self).answers(request.path, self.base_url())
        return Response(body, status=code)


class ServiceProviderConfigViewSet(ScimDiscoveryViewSet):
    answers = staticmethod(service_provider_config_answer)


class SchemaViewSet(ScimDiscoveryViewSet):
    answers = staticmethod(schema_answer)


class ResourceTypeViewSet(ScimDiscoveryViewSet):
    answers = staticmethod(resource_type_answer)
