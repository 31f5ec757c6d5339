"""Where the review pages are mounted (see perfmgmt/web/routes.py)."""

from perfmgmt.web.routes import pages

pages("o/<slug:org_slug>/reviews/", "reviews.urls")
