"""Site-wide request rules: the Content Security Policy, two-factor authentication and an idle
timeout for staff, and no shared caching of what a signed-in person sees."""

import time

from allauth.mfa.models import Authenticator
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from charte.core.rules import is_staff_account

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
    """Staff accounts (editors, moderators, council members) must use two-factor
    authentication: until they have set it up, every page sends them to its setup."""

    EXEMPT_PREFIXES = ("/accounts/", "/en/accounts/", "/static/", "/media/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(self.EXEMPT_PREFIXES)
            and is_staff_account(user)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Set it up with an "
                    "authenticator app to continue."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path_info}")
        return self.get_response(request)


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
