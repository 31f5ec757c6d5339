"""Single sign-on per organization, through django-allauth's OpenID Connect and SAML providers.

Each organization that configures it gets one allauth `SocialApp` whose `provider_id` is
`org-<organization id>` (models.py). A sign-in through it (signin.py) finds the existing login
by the address the provider vouches for and needs an active membership in that organization:
it never creates a login, never creates a membership and never changes a login (the login is
shared with other organizations). Invitees accept their invitation first.

Which provider signed a session in is what allauth records in the session
(`get_authentication_records`); enforcement.py reads it when a page or the API opens an
organization: an organization that requires its SSO refuses other sessions, a session signed
in only by one organization's SSO opens no other organization until the person proves who
they are with their password, and an organization that requires two-factor authentication
refuses password sessions that did not use it. API keys are not sessions and are unaffected.

Every request the server makes to a provider (our save-time checks, allauth's discovery,
token, user info and key requests, SAML metadata) goes through outbound.py: public servers
only, the SSRF rules of perfmgmt/integrations/ssrf.py.
"""
