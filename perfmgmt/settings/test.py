import urllib.parse

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _worker_redis(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker (`worker` "gw0", "gw1", ... or "" when
    the suite runs in one process): the given database, then one below it per worker, since
    every test flushes its own (conftest `_clear_cache`)."""
    if not worker:
        return url
    parts = urllib.parse.urlsplit(url)
    database = int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    if database < 0:
        raise ImproperlyConfigured(f"{url}: too few Redis databases for xdist worker {worker}")
    return parts._replace(path=f"/{database}").geturl()


# Tests talk to a real Redis, on a database index of their own so they never see demo data.
REDIS_URL = _worker_redis(
    env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15"),
    env("PYTEST_XDIST_WORKER", default=""),
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "perfmgmt-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The failed sign-in limits stay those of production: tests check them.
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "signup": "200/m/ip",
    "reset_password": "100/m/ip,50/m/key",
}
