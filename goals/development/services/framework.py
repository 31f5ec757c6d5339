"""The competency framework: categories, competencies and their levels.

Only HR admins and owners edit it. Levels are stored in order and updated in place, so
anything that points at a level keeps pointing at it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models, transaction
from django.utils.translation import gettext as _

from perfmgmt.audit.services import audit_record
from perfmgmt.errors import ConflictError, DomainError, PermissionDeniedError, full_clean_or_raise
from perfmgmt.tenancy.context import current_organization
from perfmgmt.tenancy.policies import Actor

from .. import policies
from ..models import Competency, CompetencyCategory, CompetencyLevel
from ._common import _UNSET, _same_organization

MAX_LEVELS = 10


def _require_framework_rights(actor: Actor) -> None:
    if not policies.can_manage_framework(actor):
        raise PermissionDeniedError(_("Only HR admins and owners edit the competency framework."))


def _unique_name(model: type[models.Model], name: str, exclude_pk: int | None) -> None:
    clash = model.objects.filter(name__iexact=name)  # type: ignore[attr-defined]
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ConflictError(_("This name is in use."), fields={"name": [_("Already in use.")]})


def competency_category_create(
    *, actor: Actor, name: str, description: str = "", position: int = 0
) -> CompetencyCategory:
    _require_framework_rights(actor)
    category = CompetencyCategory(
        organization=current_organization(),
        name=name.strip(),
        description=description.strip(),
        position=position,
    )
    full_clean_or_raise(category, exclude=["organization"], validate_unique=False)
    _unique_name(CompetencyCategory, category.name, None)
    category.save()
    audit_record(actor=actor, action="competency_category.create", target=category)
    return category


def competency_category_update(
    *,
    actor: Actor,
    category: CompetencyCategory,
    name: str = _UNSET,
    description: str = _UNSET,
    position: int = _UNSET,
) -> CompetencyCategory:
    _require_framework_rights(actor)
    if name is not _UNSET:
        category.name = name.strip()
    if description is not _UNSET:
        category.description = description.strip()
    if position is not _UNSET:
        category.position = position
    full_clean_or_raise(category, exclude=["organization"], validate_unique=False)
    _unique_name(CompetencyCategory, category.name, category.pk)
    category.save()
    audit_record(actor=actor, action="competency_category.update", target=category)
    return category


def _clean_levels(levels: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, behaviour) pairs in order; blank rows dropped; each level needs both."""
    cleaned: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, (name, behaviour) in enumerate(levels, start=1):
        name, behaviour = (name or "").strip(), (behaviour or "").strip()
        if not name and not behaviour:
            continue
        if not name or not behaviour:
            errors.append(
                _("Level %(number)d: give both a name and the behaviour it shows.")
                % {"number": number}
            )
        elif len(name) > 120:
            errors.append(
                _("Level %(number)d: the name is at most 120 characters.") % {"number": number}
            )
        cleaned.append((name, behaviour))
    if len(cleaned) > MAX_LEVELS:
        errors.append(_("At most %(count)d levels.") % {"count": MAX_LEVELS})
    if errors:
        raise DomainError(_("Some levels are not complete."), fields={"levels": errors})
    return cleaned


def _store_levels(competency: Competency, levels: list[tuple[str, str]]) -> None:
    """Levels are numbered 1..n in the order given; rows are updated in place so anything
    that references a level (a plan's target, later a review answer) keeps pointing at it."""
    existing = {
        level.level: level for level in CompetencyLevel.objects.filter(competency=competency)
    }
    for number, (name, behaviour) in enumerate(levels, start=1):
        row = existing.pop(number, None)
        if row is None:
            CompetencyLevel.objects.create(
                organization=competency.organization,
                competency=competency,
                level=number,
                name=name,
                behaviour=behaviour,
            )
        elif (row.name, row.behaviour) != (name, behaviour):
            row.name, row.behaviour = name, behaviour
            row.save(update_fields=["name", "behaviour"])
    if existing:
        # Dropped levels: plans aiming at them lose the target (SET_NULL), nothing else.
        CompetencyLevel.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


@transaction.atomic
def competency_create(
    *,
    actor: Actor,
    category: CompetencyCategory,
    name: str,
    description: str = "",
    levels: Sequence[tuple[str, str]] = (),
    position: int = 0,
) -> Competency:
    """Add a competency with its levels ((name, observable behaviour) pairs, lowest first)."""
    _require_framework_rights(actor)
    _same_organization(category, "category", _("Unknown category."))
    competency = Competency(
        organization=current_organization(),
        category=category,
        name=name.strip(),
        description=description.strip(),
        position=position,
    )
    full_clean_or_raise(competency, exclude=["organization"], validate_unique=False)
    cleaned = _clean_levels(levels)
    _unique_name(Competency, competency.name, None)
    competency.save()
    _store_levels(competency, cleaned)
    audit_record(
        actor=actor,
        action="competency.create",
        target=competency,
        changes={"name": competency.name, "levels": len(cleaned)},
    )
    return competency


@transaction.atomic
def competency_update(
    *,
    actor: Actor,
    competency: Competency,
    category: CompetencyCategory = _UNSET,
    name: str = _UNSET,
    description: str = _UNSET,
    active: bool = _UNSET,
    position: int = _UNSET,
    levels: Sequence[tuple[str, str]] | None = None,
) -> Competency:
    """Change a competency; `levels`, when given, replaces the list (kept rows keep ids).

    Retiring (`active=False`) hides it from new plans; plans that use it keep it.
    """
    _require_framework_rights(actor)
    if category is not _UNSET:
        _same_organization(category, "category", _("Unknown category."))
        competency.category = category
    if name is not _UNSET:
        competency.name = name.strip()
    if description is not _UNSET:
        competency.description = description.strip()
    if active is not _UNSET:
        competency.active = active
    if position is not _UNSET:
        competency.position = position
    full_clean_or_raise(competency, exclude=["organization"], validate_unique=False)
    cleaned = _clean_levels(levels) if levels is not None else None
    _unique_name(Competency, competency.name, competency.pk)
    competency.save()
    if cleaned is not None:
        _store_levels(competency, cleaned)
    audit_record(actor=actor, action="competency.update", target=competency)
    return competency
