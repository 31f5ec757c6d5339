from perfmgmt.web.routes import pages

pages("o/<slug:org_slug>/privacy/", "perfmgmt.privacy.urls")
