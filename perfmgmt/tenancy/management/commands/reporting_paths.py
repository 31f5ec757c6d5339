"""Check (and, asked to, repair) the stored reporting lines against the manager links.

The database keeps `Membership.reporting_path` itself; a mismatch means something wrote
with its triggers off (a restore without them, `session_replication_role = replica`).
Exits 1 when a mismatch is left.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perfmgmt.tenancy.models import Organization
from perfmgmt.tenancy.reporting_paths import reporting_path_mismatches, reporting_paths_repair


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="the organization's slug (default: all)")
        parser.add_argument("--repair", action="store_true", help="recompute what differs")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = Organization.objects.order_by("pk")
        if options["organization"]:
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(f"No organization {options['organization']!r}.")
        left = 0
        for organization in organizations:
            wrong = reporting_path_mismatches(organization_id=organization.pk)
            if wrong and options["repair"]:
                changed = reporting_paths_repair(organization_id=organization.pk)
                self.stdout.write(f"{organization.slug}: {changed} lines recomputed")
                wrong = reporting_path_mismatches(organization_id=organization.pk)
            if wrong:
                self.stdout.write(f"{organization.slug}: {len(wrong)} lines differ: {wrong[:20]}")
            left += len(wrong)
        if left:
            raise SystemExit(1)
        self.stdout.write("Every stored reporting line matches the manager links.")
