"""allauth's adapter: the client's address and the sign-in lockout per account AND client.

allauth's ``login_failed`` limit keys its per-account part on the account alone, so five
wrong passwords sent by anyone lock the resident out from every address. Here that key also
names the client (``client_ip``, behind the trusted proxies): an attacker locks only
themselves out, and the per-address part of the limit still slows them across accounts.

After signing in, whoever may enter the Wagtail admin lands there (unless the sign-in asked for
another page with ``next``); residents keep landing on their account page.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse

from charte.core import identity
from charte.core.clientip import client_ip
from charte.core.throttle import log_refusal


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            log_refusal(request, limit="login-failed")
            raise

    def get_from_email(self) -> str:
        """Sign-up, confirmation and password e-mails come from the site's identity."""
        return identity.from_email()

    def get_login_redirect_url(self, request) -> str:
        if request.user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)
