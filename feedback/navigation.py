"""Menu entries of check-ins, feedback and 1:1s (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .meetings.policies import has_a_team

register(
    NavigationEntry(_("1:1s"), "one_on_ones:index", Group.MY_WORK, order=30),
    NavigationEntry(_("Check-ins"), "feedback:checkin_mine", Group.MY_WORK, order=40),
    NavigationEntry(_("Feedback"), "feedback:feedback_received", Group.MY_WORK, order=50),
    NavigationEntry(_("My team"), "team:overview", Group.TEAM, order=10, visible=has_a_team),
)
