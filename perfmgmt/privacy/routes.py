from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import PersonalDataExportViewSet, PersonalDataViewSet

pages("o/<slug:org_slug>/privacy/", "perfmgmt.privacy.urls")

api_routes("personal-data", PersonalDataViewSet, basename="personal-data")
api_routes("personal-data-exports", PersonalDataExportViewSet, basename="personal-data-export")
