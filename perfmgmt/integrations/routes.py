from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import PeopleSyncJobViewSet, PeopleSyncViewSet

api_routes("people/sync/jobs", PeopleSyncJobViewSet, basename="people-sync-job")
api_routes("people/sync", PeopleSyncViewSet, basename="people-sync")

pages("o/<slug:org_slug>/settings/sso/", "perfmgmt.integrations.sso.urls")
pages("accounts/sso/", "perfmgmt.integrations.sso.start_urls")
from .webhooks import routes as webhook_routes  # noqa: E402, F401  (pages and API of webhooks)
