"""SCIM 2.0 (RFC 7643/7644) provisioning of one organization's people and teams.

An identity provider (Okta, Microsoft Entra ID) calls /scim/v2/<org_slug>/ with an API key
of that organization holding the `scim` scope. Users are the organization's memberships,
Groups its teams. Writes go through the member and team services, so deactivation, reporting
lines and their hooks behave as everywhere else; the login a person signs in with is shared
between organizations and never written here.
"""
