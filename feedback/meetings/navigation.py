"""Menu entries of 1:1s and the team page (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .policies import has_a_team

register(
    NavigationEntry(_("1:1s"), "one_on_ones:index", Group.MY_WORK, order=30),
    NavigationEntry(_("My team"), "team:overview", Group.TEAM, order=10, visible=has_a_team),
)
