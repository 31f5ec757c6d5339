from perfmgmt.api.routes import api_routes

from .api import PeopleSyncJobViewSet, PeopleSyncViewSet

api_routes("people/sync/jobs", PeopleSyncJobViewSet, basename="people-sync-job")
api_routes("people/sync", PeopleSyncViewSet, basename="people-sync")
