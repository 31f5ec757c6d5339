"""The analytics page's menu entry (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .policies import can_view_analytics

register(
    NavigationEntry(
        _("Analytics"), "analytics:page", Group.ORGANIZATION, order=75, visible=can_view_analytics
    ),
)
