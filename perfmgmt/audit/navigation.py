"""The audit log's menu entry (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from . import policies

register(
    NavigationEntry(
        _("Audit log"), "audit:list", Group.ADMIN, order=70, visible=policies.can_view_audit_entries
    ),
)
