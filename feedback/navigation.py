"""Menu entries of check-ins and feedback (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

register(
    NavigationEntry(_("Check-ins"), "feedback:checkin_mine", Group.MY_WORK, order=40),
    NavigationEntry(_("Feedback"), "feedback:feedback_received", Group.MY_WORK, order=50),
)
