"""Facts about a person that ride on their membership look-up: an extension point.

The page layout asks every request the same few questions about the reader (do they have
reports, do they take part in a calibration, how many notifications are unread). Each would
be a statement of its own; a fact is read instead as a subquery of the statement that finds
the reader's membership (`selectors.membership_for_request(..., with_facts=True)`), so the
layout adds none.

An app declares a fact in the module that holds its rule (its policies or selectors) with
`register(MembershipFact(...))`: the model whose rows make the fact, and the condition on
those rows with `OuterRef("pk")` for the person. Only rows of the person's own organization
are ever read: the correlation on the organization is added here, not by the app.

`value(membership, fact)` is the rule's one reading: the value the look-up brought when
there is one, otherwise one statement now (a membership loaded any other way, or a fact
whose module was imported after the look-up ran). Values are as of the look-up, that is the
start of the request, like a permission checked in `dispatch`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import BaseExpression, RawSQL
from django.db.models.functions import Coalesce

from perfmgmt.registry import Registry

if TYPE_CHECKING:
    from .models import Membership
    from .scoping import TenantModel

_PREFIX = "_fact_"


@dataclass(frozen=True)
class MembershipFact:
    """`where` selects rows of `model` (`OuterRef("pk")` is the person). The fact is
    whether one exists, or with `count` how many there are."""

    name: str
    model: type[TenantModel]
    where: Q
    count: bool = False

    @property
    def attribute(self) -> str:
        return _PREFIX + self.name

    def expression(self) -> BaseExpression:
        rows = self.model.unscoped.filter(organization_id=OuterRef("organization_id")).filter(
            self.where
        )
        if not self.count:
            return Exists(rows)
        counted = rows.order_by().values(n=Func(F("pk"), function="COUNT"))
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


_facts: Registry[MembershipFact] = Registry()


def register(fact: MembershipFact) -> MembershipFact:
    """Read `fact` with every page's membership look-up. Registering twice is a no-op."""
    return _facts.add(fact)


def with_facts(
    memberships: QuerySet[Membership], **also: Callable[[], BaseExpression]
) -> QuerySet[Membership]:
    """`memberships` (of the membership table itself, not joined) with every registered fact
    as an annotation, and the expressions `also` makes."""
    return memberships.annotate(**_compiled(tuple(_facts), tuple(sorted(also.items()))))


@functools.lru_cache(maxsize=16)
def _compiled(
    registered: tuple[MembershipFact, ...],
    also: tuple[tuple[str, Callable[[], BaseExpression]], ...],
) -> dict[str, RawSQL]:
    """The annotations as SQL, compiled once per set of facts. Building and compiling the
    subqueries on each request cost more than running them (measured: three times the rest
    of the look-up's compiling); their SQL never changes: it names the outer membership row
    by its table, and its parameters are constants."""
    from .models import Membership

    expressions = {fact.attribute: fact.expression() for fact in registered}
    expressions.update({name: make() for name, make in also})
    query = Membership.unscoped.annotate(**expressions).query
    compiler = query.get_compiler(using=Membership.unscoped.db)
    compiled = {}
    for name in expressions:
        annotation = query.annotations[name]
        sql, params = compiler.compile(annotation)
        # Django's own SQL for the facts' expressions; no outside input reaches it.
        compiled[name] = RawSQL(sql, tuple(params), output_field=annotation.output_field)  # noqa: S611
    return compiled


def value(membership: Membership, fact: MembershipFact) -> Any:
    """The fact about this person: from their look-up, or read now."""
    if hasattr(membership, fact.attribute):
        return getattr(membership, fact.attribute)
    from .models import Membership

    read = (
        Membership.unscoped.filter(pk=membership.pk)
        .annotate(fact=fact.expression())
        .values_list("fact", flat=True)
    )
    return next(iter(read), 0 if fact.count else False)


def registered() -> list[MembershipFact]:
    return list(_facts)


restored_after = _facts.restored_after
