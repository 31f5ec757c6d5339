from perfmgmt.api.routes import api_routes

from .api import PeopleSyncJobViewSet, PeopleSyncViewSet

api_routes("people/sync/jobs", PeopleSyncJobViewSet, basename="people-sync-job")
api_routes("people/sync", PeopleSyncViewSet, basename="people-sync")

from .webhooks import routes as webhook_routes  # noqa: E402, F401  (pages and API of webhooks)
