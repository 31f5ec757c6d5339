"""Where the audit log's pages and API resource are mounted."""

from perfmgmt.api.routes import api_routes
from perfmgmt.web.routes import pages

from .api import AuditEntryViewSet

pages("o/<slug:org_slug>/people/audit/", "perfmgmt.audit.urls")

api_routes("audit-entries", AuditEntryViewSet, basename="audit-entry")
