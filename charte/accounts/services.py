"""What a citizen can do with their own account: export it, delete it."""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from charte.accounts.models import fold_name
from charte.core.exceptions import Refused
from charte.core.mail import delete_emails_to

ACTION_AUTHOR_TYPE_CONFIRM = "charte.author_type.confirm"
ACTION_AUTHOR_TYPE_REFUSE = "charte.author_type.refuse"


# -- Territories --------------------------------------------------------------------------


def territory_link_typed(*, territory) -> int:
    """Link to ``territory`` the profiles whose typed territory is its name, ignoring case,
    accents and spaces (« le port » to « Le Port »); what they typed is kept. The number of
    profiles linked."""
    key = fold_name(territory.name)
    if not key:
        return 0
    users = get_user_model().objects.filter(listed_territory__isnull=True).exclude(territory="")
    matching = [pk for pk, typed in users.values_list("pk", "territory") if fold_name(typed) == key]
    return users.filter(pk__in=matching).update(listed_territory=territory)


def _territory_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        territory_link_typed(territory=instance)


def _territory_deleted(sender, instance, **kwargs):
    """A territory taken off its list: the profiles that picked it keep its name, as typed."""
    get_user_model().objects.filter(listed_territory=instance, territory="").update(
        territory=instance.name
    )


def connect_signals():
    uid = "charte.accounts.territories"
    post_save.connect(_territory_saved, sender="charte.Territory", dispatch_uid=uid)
    pre_delete.connect(_territory_deleted, sender="charte.Territory", dispatch_uid=uid)


# -- Confirmation of the author types that speak for an institution -----------------------


class ConfirmationRefused(Refused):
    status = 400


def _check_awaiting(user) -> None:
    if not user.author_type_needs_confirmation or user.author_type_confirmed_at is not None:
        raise ConfirmationRefused(_("This author type does not await a confirmation any more."))


@transaction.atomic
def author_type_confirm(*, user, by) -> None:
    """The team confirms that ``user`` speaks for the institution their author type says."""
    _check_awaiting(user)
    user.author_type_confirmed_at = timezone.now()
    user.author_type_confirmed_by = by
    user.author_type_refused_at = None
    user.author_type_refusal = ""
    user.save(
        update_fields=[
            "author_type_confirmed_at",
            "author_type_confirmed_by",
            "author_type_refused_at",
            "author_type_refusal",
        ]
    )
    log(
        instance=user,
        action=ACTION_AUTHOR_TYPE_CONFIRM,
        user=by,
        data={"author_type": user.author_type},
    )


@transaction.atomic
def author_type_refuse(*, user, by, reason: str) -> None:
    """The team refuses the author type ``user`` declared, saying why (shown to them); it stays
    shown as declared, not confirmed."""
    reason = (reason or "").strip()
    if not reason:
        raise ConfirmationRefused(_("Say why the author type is refused."), field="reason")
    _check_awaiting(user)
    user.author_type_refused_at = timezone.now()
    user.author_type_refusal = reason[:300]
    user.save(update_fields=["author_type_refused_at", "author_type_refusal"])
    log(
        instance=user,
        action=ACTION_AUTHOR_TYPE_REFUSE,
        user=by,
        data={"author_type": user.author_type, "reason": user.author_type_refusal},
    )


def awaiting_confirmation():
    """The accounts whose institutional author type awaits the team's decision, oldest first."""
    from charte.accounts.models import INSTITUTIONAL

    return (
        get_user_model()
        .objects.filter(
            author_type__in=INSTITUTIONAL,
            author_type_confirmed_at__isnull=True,
            author_type_refused_at__isnull=True,
            deleted_at__isnull=True,
            is_active=True,
        )
        .order_by("date_joined", "pk")
    )


# -- « Download my data » ------------------------------------------------------------------


def account_export(*, user) -> dict:
    """Everything the site holds about ``user`` and everything they wrote, as plain data."""
    from allauth.account.models import EmailAddress

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "pseudonym": user.pseudonym,
            "author_type": user.author_type,
            "author_type_confirmation": _author_type_confirmation(user),
            "territory": _territory_export(user),
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


def _territory_export(user) -> dict:
    listed = user.listed_territory
    return {
        "listed": (
            {"name": listed.name, "charter": listed.charter.title} if listed is not None else None
        ),
        "other": user.territory,
    }


def _author_type_confirmation(user) -> dict:
    if not user.author_type_needs_confirmation:
        return {"state": "not_needed"}
    if user.author_type_confirmed_at is not None:
        return {"state": "confirmed", "at": user.author_type_confirmed_at.isoformat()}
    if user.author_type_refused_at is not None:
        return {
            "state": "refused",
            "at": user.author_type_refused_at.isoformat(),
            "reason": user.author_type_refusal,
        }
    return {"state": "declared"}


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
    user.listed_territory = None
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
