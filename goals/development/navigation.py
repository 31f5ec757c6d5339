"""Menu entries of development plans and the competency framework (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .policies import can_manage_framework

register(
    NavigationEntry(_("Development"), "development:home", Group.MY_WORK, order=20),
    NavigationEntry(
        _("Competencies"),
        "development:framework",
        Group.ADMIN,
        order=30,
        visible=can_manage_framework,
    ),
)
