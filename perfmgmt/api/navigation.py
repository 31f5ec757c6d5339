"""Menu entries of the API pages (see perfmgmt/web/menu.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.tenancy import policies
from perfmgmt.web.menu import Group, NavigationEntry, register

register(
    NavigationEntry(
        _("API keys"),
        "api_credentials:list",
        Group.ADMIN,
        order=90,
        visible=policies.can_manage_api_credentials,
    ),
    NavigationEntry(
        _("API docs"), "api:docs", Group.ORGANIZATION, order=90, per_organization=False
    ),
)
