"""Menu entries of praise and the organization's values (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .policies import can_manage_values

register(
    NavigationEntry(_("Praise"), "rewards:praise_feed", Group.ORGANIZATION, order=30),
    NavigationEntry(_("Rewards"), "rewards:reward_list", Group.MY_WORK, order=70),
    NavigationEntry(
        _("Values"), "rewards:values", Group.ADMIN, order=35, visible=can_manage_values
    ),
)
