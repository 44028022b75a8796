"""The signed-in account, read with what every one of its requests asks about it.

Each request of a signed-in person reads their account (Django's authentication backend), then
asks whether it holds any permission (the second factor is required of staff, on every page:
:func:`charte.core.rules.is_staff_account`) and, wherever they may write, whether their address
is verified. Both facts are read in the same query as the account, as two ``EXISTS``: one query
instead of three. They are read again at each request, so a permission granted or an address
confirmed counts from the next page on, as before.

The two backends are Django's and allauth's, with only this change.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import backends, get_user_model
from django.db.models import Exists, OuterRef

from charte.accounts.models import VERIFIED_ADDRESS_ATTRIBUTE
from charte.core.rules import STAFF_ROLE_ATTRIBUTE, holds_a_permission


def signed_in_account(user_id):
    """The account ``user_id`` with its role and its verified address, or None."""
    accounts = get_user_model()._default_manager
    user = (
        accounts.filter(pk=user_id)
        .annotate(
            staff_role=Exists(accounts.filter(pk=OuterRef("pk")).filter(holds_a_permission())),
            verified_address=Exists(
                EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
            ),
        )
        .first()
    )
    if user is not None:
        setattr(user, STAFF_ROLE_ATTRIBUTE, user.__dict__.pop("staff_role"))
        setattr(user, VERIFIED_ADDRESS_ATTRIBUTE, user.__dict__.pop("verified_address"))
    return user


class _SignedInAccount:
    def get_user(self, user_id):
        user = signed_in_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_SignedInAccount, backends.ModelBackend):
    """Django's: a user name and a password (the admin's sign-in)."""


class AuthenticationBackend(_SignedInAccount, AllauthBackend):
    """allauth's: an e-mail address and a password (the site's sign-in)."""
