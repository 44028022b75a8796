"""The locales a request reads, each read once per request.

Wagtail reads a ``Locale`` row each time a page asks for the default language's locale
(``Locale.get_default()``) or a language's: a request that shows a version reads it several
times, from the page's source, its translations and the version switcher. The locales
themselves change only when the team adds a language. Within a request (between
:class:`LocaleMemoMiddleware`'s start and end) each one is read once and shared; outside a
request (a task, a command, a test calling a service) every call reads the database, as
Wagtail does.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

_memo: ContextVar[dict | None] = ContextVar("charte_locales", default=None)


def locale_for(language: str) -> Locale | None:
    """The locale of ``language`` (a code such as ``fr`` or ``en``), or None when the site has
    none."""
    memo = _memo.get()
    if memo is None:
        return Locale.objects.filter(language_code=language).first()
    if language not in memo:
        memo[language] = Locale.objects.filter(language_code=language).first()
    return memo[language]


def default_locale() -> Locale:
    """The locale of the site's default language (French): Wagtail's ``Locale.get_default()``,
    read once per request."""
    memo = _memo.get()
    if memo is None:
        return Locale.get_default()
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    if memo.get(language) is None:
        memo[language] = Locale.get_default()
    return memo[language]


class LocaleMemoMiddleware:
    """Each request reads each locale once (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
