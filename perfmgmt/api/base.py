"""Base for every endpoint under /api/v1/orgs/<org_slug>/.

The organization is resolved right after authentication and before permission checks,
throttling or any handler: from the URL for a person (404 unless an active member), and for
a system the credential's own organization must be the one in the URL (404 otherwise).
Permission classes can therefore rely on `view.actor` and `view.organization`.
An anonymous caller is not resolved here: the permission check answers 401/403 first.
`dispatch` gives the tenant scope back when the answer is rendered.

What enforces tenancy and permissions lives here only: a subclass that overrides one of
`ENFORCED` is refused when it is defined (TypeError).

`OrgViewSet` is what a resource declares:

    class GoalUpdateViewSet(OrgViewSet):
        model = GoalUpdate                      # schema only; requests use the selector
        selector = staticmethod(selectors.goal_update_list)
        serializer_class = GoalUpdateSerializer  # what `present` and `page` answer with
        filterset_class = GoalUpdateFilter       # parses and documents the list's query
        lookup_url_kwarg = "goal_update_id"
        required_scopes = {"list": Scope.GOALS_READ, ...}

and its handlers parse (`parse`, `object_id`), call one selector or service (a list:
`listed()`, the selector given the query's filters), and answer with `present` or `page`
(a list that PostgreSQL writes out pages with `rows=`: the `JsonRows` that names the
columns its rules decide and writes the page as the serializer would:
perfmgmt/api/jsonrows.py).
Domain errors become 400/403/404/409 in perfmgmt/api/errors.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import status as http
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from perfmgmt import ids
from perfmgmt.integrations.sso.enforcement import session_sign_in_required
from perfmgmt.localization import activate_reader
from perfmgmt.tenancy.context import activate_organization, organization_reset_on_exit
from perfmgmt.tenancy.models import Membership, Organization
from perfmgmt.tenancy.policies import Actor
from perfmgmt.tenancy.selectors import membership_for_request

from .errors import exception_handler
from .filters import selector_arguments
from .jsonrows import JsonRows
from .models import ApiCredential
from .parsers import JSONParser
from .permissions import HasRequiredScope
from .renderers import JSONRenderer

# Where the organization is resolved, the caller authenticated and permissions checked.
ENFORCED = frozenset(
    {
        "dispatch",
        "initial",
        "perform_authentication",
        "resolve_organization",
        "get_authenticators",
        "authentication_classes",
        "check_permissions",
        "check_object_permissions",
        "get_permissions",
        "permission_classes",
        "get_exception_handler",
    }
)


class OrgScopedMixin:
    request: Request
    kwargs: dict[str, Any]
    actor: Actor
    organization: Organization
    permission_classes = [IsAuthenticated, HasRequiredScope]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == __name__:
            return
        base = next(klass for klass in cls.__mro__ if klass.__module__ == __name__)
        overridden = sorted(
            name for name in ENFORCED if getattr(cls, name, None) != getattr(base, name, None)
        )
        if overridden:
            raise TypeError(
                f"{cls.__qualname__} overrides {', '.join(overridden)}: the organization, "
                "the caller and their permissions are checked in perfmgmt/api/base.py only."
            )

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with organization_reset_on_exit():
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            # Rendered while the organization is active: the browsable API's forms read
            # the tenant's tables.
            return response.render() if isinstance(response, Response) else response

    def resolve_organization(self, request: Request) -> None:
        slug = self.kwargs.get("org_slug", "")
        if isinstance(request.auth, ApiCredential):
            credential = request.auth
            if credential.organization.slug != slug:
                raise Http404("No such organization.")
            self.actor = credential
            self.organization = credential.organization
        else:
            membership = membership_for_request(user=request.user, slug=slug)  # type: ignore[arg-type]
            # A session: the organization may require its single sign-on or a second factor.
            required = session_sign_in_required(request, membership.organization)
            if required is not None:
                raise PermissionDenied(required.message)
            self.actor = membership
            self.organization = membership.organization
        activate_organization(self.organization)
        activate_reader(user=request.user, organization=self.organization)

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)  # type: ignore[misc]
        if request.user is not None and request.user.is_authenticated:
            self.resolve_organization(request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        # Fail closed: no handler runs without a resolved organization.
        if not hasattr(self, "organization"):
            self.resolve_organization(request)

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return exception_handler


class OrgAPIView(OrgScopedMixin, APIView):  # type: ignore[misc]
    pass  # an endpoint of one organization that is not a resource (no list, no objects)


# No docstrings on these classes: drf-spectacular would describe every resource with them.


class OrgViewSet(OrgScopedMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    # A resource of one organization: see the module's docstring.
    # `required_scopes` names the scope an API key needs per action; an action missing from
    # it is refused to keys (perfmgmt/api/permissions.py). A resource of personal data sets
    # `people_only` to the sentence keys get: they then pass the scope check and `person()`
    # refuses them in the handler, after the object lookup, so a foreign id stays a 404.

    model: ClassVar[type[Model] | None] = None
    selector: Callable[..., QuerySet[Any]]
    required_scopes: ClassVar[Mapping[str, str]] = {}
    people_only: ClassVar[str] = ""
    # `present` reads the object again through `get_queryset`, so a write answers exactly
    # what a read would.
    present_fresh: ClassVar[bool] = False
    parser_classes = [JSONParser]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = vars(cls).get("model")
        if model is not None:
            # For the schema only (it names the model); requests use `get_queryset`. The base
            # manager needs no active organization and nothing is queried.
            cls.queryset = model._base_manager.none()

    def get_queryset(self) -> QuerySet[Any]:
        """What the resource's `selector` lets the caller read (the list, the objects)."""
        selector = getattr(type(self), "selector", None)
        if selector is None:  # a resource whose handlers call their selectors themselves
            return super().get_queryset()
        return selector(actor=self.actor)

    def filter_arguments(self) -> dict[str, Any]:
        """The list's query parameters as its selector's keyword arguments (400 on a bad
        one); the FilterSet parses and documents them, the selector filters."""
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is None:
            return {}
        return selector_arguments(filterset_class, self.request)

    def listed(self) -> QuerySet[Any]:
        """The list: what the `selector` lets the caller read, narrowed by the query."""
        return type(self).selector(actor=self.actor, **self.filter_arguments())

    def person(self) -> Membership:
        """The calling person; 403 for an API key on a `people_only` resource."""
        if self.actor.is_api_client:
            raise PermissionDenied(self.people_only or None)
        return self.actor  # type: ignore[return-value]

    def visible(self, lookup: Callable[[], Any], get: Callable[[Membership], Any]) -> Any:
        """For a `people_only` resource: for an API key, 404 for an id of another
        organization (`lookup`) and then 403; for a person, what `get` lets them see (404
        otherwise, which covers another organization's id without a second read)."""
        if self.actor.is_api_client:
            lookup()
            raise PermissionDenied(self.people_only or None)
        return get(self.actor)  # type: ignore[arg-type]

    def object_id(self) -> int:
        """The id in the URL (404 when it cannot be one)."""
        return ids.object_id(self.kwargs.get(self.lookup_url_kwarg or "pk"))

    def parse(self, serializer_class: type[BaseSerializer[Any]], *, partial: bool = False) -> Any:
        """The request body validated by `serializer_class` (400 with field messages)."""
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def present_context(self) -> dict[str, Any]:
        return {"actor": self.actor}

    def present(
        self,
        obj: Any,
        status: int = http.HTTP_200_OK,
        *,
        serializer: type[BaseSerializer[Any]] | None = None,
        fresh: bool = False,
    ) -> Response:
        """`obj` as a read answers it; `fresh`: it was just read, so `present_fresh` need
        not read it again (and keeps what the read attached, such as `capabilities`)."""
        if self.present_fresh and not fresh:
            obj = self.get_queryset().get(pk=obj.pk)
        output = serializer or self.get_serializer_class()
        return Response(output(obj, context=self.present_context()).data, status=status)

    def page(
        self,
        queryset: QuerySet[Any],
        *,
        serializer: type[BaseSerializer[Any]] | None = None,
        context: dict[str, Any] | None = None,
        shown: Callable[[list[Any]], object] | None = None,
        rows: JsonRows | None = None,
    ) -> Response:
        """One page of the list, filtered by `filter_backends`; `shown` is told which items
        the page shows (to audit). `rows`: the page reads the queryset as rows of just the
        columns `rows` names (`.values()`: the ids and what the rules decided) and
        PostgreSQL writes them out as the serializer would (perfmgmt/api/jsonrows.py)."""
        if rows is not None:
            queryset = queryset.values(*rows.columns)
        page = self.paginate_queryset(self.filter_queryset(queryset)) or []
        if shown is not None:
            shown(page)
        if rows is not None:
            embed = isinstance(self.request.accepted_renderer, JSONRenderer)
            results = rows.results(page, organization=self.organization, embed=embed)
            return self.get_paginated_response(results)
        context = self.present_context() if context is None else context
        output = serializer or self.get_serializer_class()
        data = output(page, many=True, context=context).data
        return self.get_paginated_response(data)
