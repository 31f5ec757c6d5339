"""The foundation's own menu entries (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy import policies

from .export_pages import has_exports
from .menu import Group, NavigationEntry, register

register(
    NavigationEntry(_("Home"), "web:home", Group.MY_WORK, order=0),
    NavigationEntry(
        _("Settings"),
        "web:org_settings",
        Group.ADMIN,
        order=80,
        visible=policies.can_edit_organization,
    ),
    NavigationEntry(_("Exports"), "web:exports", Group.ORGANIZATION, order=80, visible=has_exports),
)
