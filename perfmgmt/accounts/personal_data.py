"""Login-level tables: erased with the login itself (perfmgmt/privacy/services/erasure.py),
never per organization, because one login may belong to several organizations."""

from perfmgmt.privacy.registry import exempt

exempt(
    "admin.LogEntry",
    "Django admin actions of staff logins; not data of an organization's person.",
)
exempt(
    "account.EmailAddress",
    "The login's email addresses; deleted when the login is erased, shared otherwise.",
)
exempt(
    "mfa.Authenticator",
    "The login's second factors (secrets); deleted when the login is erased, never exported.",
)
exempt(
    "socialaccount.SocialAccount",
    "A login's link to an identity provider; none is stored by our single sign-on (it signs "
    "in existing logins without linking), and it belongs to the login, not an organization.",
)
