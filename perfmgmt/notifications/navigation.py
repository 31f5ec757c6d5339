"""Menu entries of the notification pages (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from . import policies

register(
    NavigationEntry(
        _("Email delivery"),
        "notifications:deliveries",
        Group.ADMIN,
        order=75,
        visible=policies.can_view_email_deliveries,
    ),
)
