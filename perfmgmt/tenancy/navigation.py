"""Menu entries of the people pages (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from . import policies

register(
    NavigationEntry(_("People"), "people:directory", Group.ORGANIZATION, order=10),
    NavigationEntry(_("Org chart"), "people:org_chart", Group.ORGANIZATION, order=20),
    NavigationEntry(
        _("Invite"), "people:invite", Group.ADMIN, order=10, visible=policies.can_invite_member
    ),
    NavigationEntry(
        _("Teams"), "people:teams", Group.ADMIN, order=20, visible=policies.can_manage_teams
    ),
)
