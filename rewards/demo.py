"""Demo values and praise for `seed_demo`: HR has set three values; Marta (manager) thanked
Emil (employee) and Lena for the importer release, for "Customers first"; Lena thanked Emil
for his review help.

Idempotent: values are found again by name, praise by its giver and text. Written through
the services, inside the organization's scope (seed_demo opens it)."""

from __future__ import annotations

from perfmgmt.tenancy.demo import DemoData, demo_loader
from perfmgmt.tenancy.models import Membership

from . import services
from .models import CompanyValue, Praise

VALUES = {
    "Customers first": "We start from what the people we serve need.",
    "Own it": "We finish what we start and say early when we cannot.",
    "Learn together": "We share what we know and ask when we do not.",
}
RELEASE = "Thank you for getting the importer out on time, with the customers' fixes in it."
REVIEW = "Thanks for walking me through the validation rules, it saved me a day."


def _values(hr: Membership) -> dict[str, CompanyValue]:
    for name, description in VALUES.items():
        if not CompanyValue.objects.filter(name=name).exists():
            services.value_create(actor=hr, name=name, description=description)
    return {value.name: value for value in CompanyValue.objects.filter(name__in=VALUES)}


def _praise(
    giver: Membership, people: list[Membership], message: str, value: CompanyValue | None
) -> None:
    if not Praise.objects.filter(giver=giver, message=message).exists():
        services.praise_give(actor=giver, recipients=people, message=message, value=value)


@demo_loader(order=60)
def load_rewards(demo: DemoData) -> None:
    people = demo.people
    hr, manager, employee = people.get("hr"), people.get("manager"), people.get("employee")
    if hr is None or manager is None or employee is None:
        return
    values = _values(hr)
    lena = people.get("lena")
    _praise(manager, [employee, *([lena] if lena else [])], RELEASE, values["Customers first"])
    if lena is not None:
        _praise(lena, [employee], REVIEW, values["Learn together"])
