"""What the audit page calls this app's recorded actions (see perfmgmt/audit/actions.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.audit.actions import register

register(labels={"rewards.praise_removed": _("Praise removed by an HR admin")})
