from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
# EMAIL_URL alone decides the mail backend (base.py reads it). Without it, development writes
# each email to a file under .local/sent-emails/ instead of base.py's console default.
if not env.str("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(BASE_DIR / ".local" / "sent-emails")
