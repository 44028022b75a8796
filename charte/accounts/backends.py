"""The signed-in account, read with what every one of its requests asks about it.

Each request of a signed-in person reads their account (Django's authentication backend), then
asks whether it holds any permission (the second factor is required of staff, on every page:
:func:`charte.core.rules.is_staff_account`) and, wherever they may write, whether their address
is verified. Both facts are read in the same query as the account, as ``EXISTS`` subqueries:
one query instead of three, in less than half their time on PostgreSQL (written out as SQL: the
same condition through the ORM's joins cost more to plan than to run). They are read again at
each request, so a permission granted or an address confirmed counts from the next page on.

The two backends are Django's and allauth's, with only this change.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import backends, get_user_model
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from charte.accounts.models import VERIFIED_ADDRESS_ATTRIBUTE
from charte.core.rules import STAFF_ROLE_ATTRIBUTE, holds_a_permission


def signed_in_account(user_id):
    """The account ``user_id`` with its role and its verified address, or None."""
    user = (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .annotate(
            staff_role=holds_a_permission(),
            verified_address=_verified_address(),
        )
        .first()
    )
    if user is not None:
        setattr(user, STAFF_ROLE_ATTRIBUTE, user.__dict__.pop("staff_role"))
        setattr(user, VERIFIED_ADDRESS_ATTRIBUTE, user.__dict__.pop("verified_address"))
    return user


def _verified_address():
    """Whether one of the account's addresses is verified (an ``EXISTS``, written out: the
    ORM's ``Exists`` costs more to build than the query takes to run)."""
    addresses = EmailAddress._meta.db_table
    account = get_user_model()._meta.db_table
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{addresses}" WHERE "{addresses}"."user_id" = "{account}"."id" '
        f'AND "{addresses}"."verified")',
        (),
        output_field=BooleanField(),
    )


class _SignedInAccount:
    def get_user(self, user_id):
        user = signed_in_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_SignedInAccount, backends.ModelBackend):
    """Django's: a user name and a password (the admin's sign-in)."""


class AuthenticationBackend(_SignedInAccount, AllauthBackend):
    """allauth's: an e-mail address and a password (the site's sign-in)."""
