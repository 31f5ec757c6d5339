"""Menu entries of goals (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

register(NavigationEntry(_("Goals"), "goals:mine", Group.MY_WORK, order=10))
