"""What a citizen can do with their own account: export it, delete it."""

import uuid

from django.db import transaction
from django.utils import timezone

from charte.core.mail import delete_emails_to


def account_export(*, user) -> dict:
    """Everything the site holds about ``user`` and everything they wrote, as plain data."""
    from allauth.account.models import EmailAddress

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "pseudonym": user.pseudonym,
            "author_type": user.author_type,
            "territory": user.territory,
            "preferred_language": user.preferred_language,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
        # Contributions (comments, amendments, supports, arguments) are added here by the apps
        # that store them, through CONTRIBUTION_EXPORTERS.
        "contributions": {name: export(user) for name, export in CONTRIBUTION_EXPORTERS.items()},
    }


CONTRIBUTION_EXPORTERS = {}


@transaction.atomic
def account_delete(*, user) -> None:
    """Erase every personal detail; the row stays so that contributions remain, signed
    « compte supprimé »."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    # Its e-mails, queued or sent, go with the account: they name its address.
    addresses = {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    }
    delete_emails_to(addresses)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.username = f"deleted-{uuid.uuid4().hex}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.pseudonym = None
    user.territory = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    for erase in PERSONAL_DATA_ERASERS:
        erase(user)


# Apps that copy personal data (names, e-mails, IP addresses) register an eraser here.
PERSONAL_DATA_ERASERS = []


def user_display(user) -> str:
    """How allauth names the person in its messages: the pseudonym, as everywhere else."""
    return str(user.display_name)
