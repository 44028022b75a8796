"""Site-wide request rules: the Content Security Policy, and one way in for staff (their
second factor in every session, the admin closed to everyone else with a reason)."""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
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

    EXEMPT_PREFIXES = ("/accounts/", "/en/accounts/", "/static/", "/media/", "/i18n/")

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
