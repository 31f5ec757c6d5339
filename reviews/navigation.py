"""Menu entries of the review set-up (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.web.menu import Group, NavigationEntry, register

from .policies import (
    can_manage_cycles,
    can_manage_review_setup,
    can_see_improvement_plans,
    sees_calibration_menu,
)

register(
    NavigationEntry(
        _("Review templates"),
        "reviews:templates",
        Group.ADMIN,
        order=36,
        visible=can_manage_review_setup,
    ),
    NavigationEntry(
        _("Rating scales"),
        "reviews:scales",
        Group.ADMIN,
        order=35,
        visible=can_manage_review_setup,
    ),
)

# Writing reviews (rev/writing): the person's own reviews, beside their goals.
register(NavigationEntry(_("Reviews"), "reviews:mine", Group.MY_WORK, order=60))

# Review cycles
register(
    NavigationEntry(
        _("Review cycles"),
        "reviews:cycles",
        Group.ADMIN,
        order=34,
        visible=can_manage_cycles,
    ),
)

# Peer and upward feedback: nominating, deciding, answering.
register(NavigationEntry(_("Peer feedback"), "reviews:peer_inbox", Group.MY_WORK, order=61))
# Performance improvement plans (s19/pips): listed for everyone; each reads only the plans
# the selector lets them read (their own once approved, those below them, all for HR).
register(
    NavigationEntry(
        _("Improvement plans"),
        "reviews:improvement_plans",
        Group.MY_WORK,
        order=65,
        visible=can_see_improvement_plans,
    )
)
# Calibration: HR, and the managers taking part in a session.
register(
    NavigationEntry(
        _("Calibration"),
        "reviews:calibration",
        Group.TEAM,
        order=40,
        visible=sees_calibration_menu,
    ),
)
