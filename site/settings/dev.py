"""Development settings: debug on, a fixed insecure key, mail printed to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["*"]
DELIVERY_EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
