"""A new staff account's first sign-in goes straight through the setup of its second factor.

Staff must use their second factor in every session (``StaffTwoFactorMiddleware``). Without
these two receivers, a new editor would type their password, be sent to set up their
authenticator app, be asked for their password again (allauth wants a *fresh* proof before an
authenticator is added, and does not count the sign-in itself), then, once the app is set up,
be asked for a code again. Both proofs were just given:

- the password typed to sign in, seconds ago, is that fresh proof (it expires like any other,
  after ``ACCOUNT_REAUTHENTICATION_TIMEOUT``); a session opened any other way (the link of a
  confirmation e-mail, say) still asks for the password first;
- activating the app means typing a code it shows: that is this session's second factor.
"""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.models import Authenticator

from charte.core.rules import is_staff_account


def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return  # an enrolled account confirms the sign-in with its code, as usual
    if not is_staff_account(user):
        return
    records = get_authentication_records(request, user)
    last = records[-1] if records else {}
    if last.get("method") == "password" and time.time() - last.get("at", 0) < 60:
        record_authentication(request, user, "password", reauthenticated=True)


def _authenticator_added(sender, request, user, authenticator, **kwargs):
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, reauthenticated=True
    )


def connect_signals():
    from allauth.mfa.signals import authenticator_added
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_signed_in, dispatch_uid="charte.accounts.second_factor.signed_in")
    authenticator_added.connect(
        _authenticator_added, dispatch_uid="charte.accounts.second_factor.added"
    )
