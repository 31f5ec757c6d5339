"""Where the analytics page is mounted (its file is an export: perfmgmt/analytics/exports.py)."""

from perfmgmt.web.routes import pages

pages("o/<slug:org_slug>/analytics/", "perfmgmt.analytics.urls")
