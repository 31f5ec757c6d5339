"""The webhooks page in the admin menu (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .policies import can_manage_webhooks

register(
    NavigationEntry(
        _("Webhooks"), "webhooks:list", Group.ADMIN, order=91, visible=can_manage_webhooks
    ),
)
