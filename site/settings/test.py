"""Test settings: the same code paths as production, fast hashing, mail kept in memory."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not env("DATABASE_URL"):
    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory SQLite
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
WAGTAILADMIN_BASE_URL = "http://testserver"
# The engine test-suite runs against a live Elasticsearch when ELASTICSEARCH_URL is set, in an
# index of its own.
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", "charte-test-entries")
