"""Site-wide request rules: the Content Security Policy, one way in for staff (their second
factor in every session, an idle timeout, the admin closed to everyone else with a reason), no
shared caching of what a signed-in person sees, and a 503 page when the database is down."""

import logging
import time
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from charte.core.rules import can_enter_admin, is_staff_account

ADMIN_PREFIXES = ("/admin/",)


class AdminAwareCSPMiddleware(CSPMiddleware):
    """The public site gets the strict policy; the admin, which needs inline code, its own."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIXES)
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts


class StaffTwoFactorMiddleware:
    """One way in for staff: an account that can reach the admin or the council's review
    (see :func:`charte.core.rules.is_staff_account`) must have set up its second factor, and
    must have used it in THIS session (allauth records each authentication step in the
    session). Until then every page sends it to the setup, or to the second-factor step.

    A signed-in person without access to the admin who opens it is sent, once, to their
    profile with the reason, instead of looping between the admin's and the site's sign-in.
    """

    EXEMPT_PREFIXES = (
        "/accounts/",
        "/en/accounts/",
        "/static/",
        "/media/",
        "/i18n/",
        "/health/",
        "/ready/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path_info.startswith(self.EXEMPT_PREFIXES)
        ):
            return self.get_response(request)
        if is_staff_account(user):
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                messages.warning(
                    request,
                    _(
                        "Staff accounts must use two-factor authentication. Set it up with an "
                        "authenticator app to continue."
                    ),
                )
                return self._redirect_with_next("mfa_activate_totp", request)
            if not _used_second_factor(request, user):
                messages.warning(
                    request,
                    _("Staff accounts must confirm each sign-in with their second factor."),
                )
                return self._redirect_with_next("mfa_reauthenticate", request)
        if request.path_info.startswith(ADMIN_PREFIXES) and not can_enter_admin(user):
            # The admin's addresses carry no language: the visitor's choice (cookie, browser)
            # picks the profile they are sent to and the language of the reason.
            with translation.override(translation.get_language_from_request(request)):
                messages.error(request, _("You do not have access to the administration."))
                return redirect(reverse("account_profile"))
        return self.get_response(request)

    @staticmethod
    def _redirect_with_next(url_name, request):
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


def _used_second_factor(request, user) -> bool:
    """Whether this session's sign-in (or a later re-authentication) included the second
    factor, as allauth records it; a password alone, or a session opened any other way, does
    not count."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


DATABASE_ERRORS = (OperationalError, InterfaceError)
db_logger = logging.getLogger("charte.database")


def database_unavailable_response():
    """The bilingual 503 page (French first, English): a plain template with no context
    processor, so that it renders without the database."""
    response = HttpResponse(
        loader.get_template("503.html").render({}), status=503, content_type="text/html"
    )
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A database that is down or unreachable answers « 503, come back later » in French and
    English with ``Retry-After``, never a 500. First in the middleware list, so that it also
    wraps the sessions and authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as error:
            return self.unavailable(error)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(exception)
        return None

    @staticmethod
    def unavailable(error):
        db_logger.error("Database unavailable: %s", error.__class__.__name__)
        return database_unavailable_response()


class PrivateCacheMiddleware:
    """A response to a signed-in person may show their personal data (profile, « download my
    data », the API, the discussion panels): no proxy or browser cache keeps it, unless the
    view said otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class StaffIdleTimeoutMiddleware:
    """A staff account idle for longer than STAFF_SESSION_IDLE_SECONDS is signed out: the time
    of its last request is kept in its session."""

    SESSION_KEY = "_staff_last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_account(user):
            now = time.time()
            last = request.session.get(self.SESSION_KEY)
            if last is not None and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a period of inactivity: sign in again."),
                )
            else:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class NulCharacterMiddleware:
    """No form value nor query parameter keeps a NUL character: none is ever typed, and
    PostgreSQL refuses it in any text, which made a 500 of a filter or a form given one. The
    character is removed; the rest of what was sent is kept as it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _without_nul(data):
        if not any("\x00" in value for _key, values in data.lists() for value in values):
            return data
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [value.replace("\x00", "") for value in values])
        cleaned._mutable = False
        return cleaned

    def __call__(self, request):
        request.GET = self._without_nul(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = self._without_nul(request.POST)
        return self.get_response(request)


class PublicVaryMiddleware:
    """A public page (charte.core.httpcache) is in the language of its address: the unprefixed
    addresses are French whatever the browser asks, so the ``Vary: Accept-Language`` that
    Django's LocaleMiddleware adds to them would only make a shared cache keep one copy per
    browser setting. Placed before LocaleMiddleware, so it sees the response after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", "") and response.has_header("Vary"):
            kept = [
                header.strip()
                for header in response["Vary"].split(",")
                if header.strip().lower() != "accept-language"
            ]
            response["Vary"] = ", ".join(kept)
            if not kept:
                del response["Vary"]
        return response
