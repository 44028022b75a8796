from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from charte.core.pseudonyms import skeleton, unaccented_skeleton


class AuthorType(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ASSOCIATION = "association", _("Association")
    BUSINESS = "business", _("Business")
    MUNICIPAL_AGENT = "municipal_agent", _("Municipal agent")
    ELECTED_MEMBER = "elected_member", _("Elected member")
    NEIGHBOURHOOD_COUNCIL = "neighbourhood_council", _("Neighbourhood council")
    OTHER = "other", _("Other")


# Author types that speak for an institution: shown as declared until the team confirms them
# (Invariant 4: nobody obtains an official badge from a form).
INSTITUTIONAL = frozenset(
    {
        AuthorType.ELECTED_MEMBER,
        AuthorType.MUNICIPAL_AGENT,
        AuthorType.ASSOCIATION,
        AuthorType.NEIGHBOURHOOD_COUNCIL,
    }
)
# The suffix of an institutional type not confirmed yet, in the search index and open data.
DECLARED_SUFFIX = "_declared"


def author_type_label(code: str) -> str:
    """The public label of an author type code, ``DECLARED_SUFFIX`` included."""
    if code.endswith(DECLARED_SUFFIX):
        base = code.removesuffix(DECLARED_SUFFIX)
        return _("%(type)s (declared, not confirmed)") % {"type": AuthorType(base).label}
    return str(AuthorType(code).label) if code in AuthorType.values else ""


def public_author_type_q(code: str, *, prefix: str = "") -> models.Q:
    """Accounts whose public author type is ``code`` (``DECLARED_SUFFIX`` included): an
    institutional type filters its confirmed accounts only, its declared form the others."""
    declared = code.endswith(DECLARED_SUFFIX)
    base = code.removesuffix(DECLARED_SUFFIX)
    q = models.Q(**{f"{prefix}author_type": base})
    if base in INSTITUTIONAL:
        q &= models.Q(**{f"{prefix}author_type_confirmed_at__isnull": declared})
    elif declared:
        q = models.Q(pk__in=[])
    return q


def fold_name(text: str) -> str:
    """A place name ignoring case, accents, spaces and hyphens: « Le  Port », « le-port » and
    « LE PÔRT » fold alike."""
    return "".join(ch for ch in unaccented_skeleton(text or "") if ch.isalnum())


class ThreadEmails(models.TextChoices):
    """How often someone is e-mailed about the discussions they follow."""

    HOURLY = "hourly", _("At most one e-mail per discussion per hour, gathering what is new")
    DAILY = "daily", _("One e-mail a day gathering what is new in every discussion")
    NONE = "none", _("No e-mail about the discussions I follow")


# Where the account signed in on a request keeps whether its address is verified.
VERIFIED_ADDRESS_ATTRIBUTE = "_charte_verified_address"


class User(AbstractUser):
    """The site's account, with the contributor profile shown next to what people write.

    The pseudonym is the only name ever displayed. A deleted account keeps its row, so that its
    contributions stay attached, but loses every personal detail.
    """

    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=40,
        null=True,
        blank=True,
        help_text=_("The only name shown next to what you write."),
    )
    # The TR39 skeleton of the pseudonym (charte.core.pseudonyms): look-alikes share it.
    pseudonym_skeleton = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    author_type = models.CharField(
        _("you take part as"),
        max_length=32,
        choices=AuthorType.choices,
        default=AuthorType.RESIDENT,
    )
    author_type_confirmed_at = models.DateTimeField(
        _("author type confirmed at"), null=True, blank=True, editable=False
    )
    author_type_confirmed_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("author type confirmed by"),
    )
    author_type_refused_at = models.DateTimeField(
        _("author type refused at"), null=True, blank=True, editable=False
    )
    author_type_refusal = models.CharField(
        _("reason for refusing the author type"), max_length=300, blank=True, editable=False
    )
    listed_territory = models.ForeignKey(
        "charte.Territory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("territory from the list"),
    )
    # Typed by the person (« autre »), or the free text of the profiles written before the
    # lists: kept as it was typed.
    territory = models.CharField(
        _("other territory"),
        max_length=120,
        blank=True,
        help_text=_("Your neighbourhood or town, if you wish to say it."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    blocked_at = models.DateTimeField(
        _("blocked from contributing at"), null=True, blank=True, editable=False
    )
    # Notifications (charte.discussions.notifications, charte.texts.notifications).
    thread_emails = models.CharField(
        _("e-mails about the discussions you follow"),
        max_length=8,
        choices=ThreadEmails.choices,
        default=ThreadEmails.HOURLY,
    )
    team_digest = models.BooleanField(
        _("the team's daily digest"),
        default=True,
        help_text=_("For the team: new amendments, reports, and what awaits an answer."),
    )
    # When the last daily e-mail was sent (discussions followed; the team's digest): never
    # two within a day, whichever worker sends it.
    thread_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    team_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("pseudonym"),
                name="user_pseudonym_unique_ci",
                violation_error_message=_("This pseudonym is already taken."),
            )
        ]

    def save(self, *args, **kwargs):
        self.pseudonym_skeleton = skeleton(self.pseudonym) if self.pseudonym else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "pseudonym" in update_fields:
            kwargs["update_fields"] = {*update_fields, "pseudonym_skeleton"}
        super().save(*args, **kwargs)

    def set_author_type(self, value: str) -> None:
        """Change the author type; a change undoes any confirmation or refusal."""
        if value != self.author_type:
            self.author_type = value
            self.author_type_confirmed_at = None
            self.author_type_confirmed_by = None
            self.author_type_refused_at = None
            self.author_type_refusal = ""

    @property
    def author_type_needs_confirmation(self) -> bool:
        return self.author_type in INSTITUTIONAL

    @property
    def author_type_confirmed(self) -> bool:
        """Shown as such publicly: not institutional, or confirmed by the team."""
        return not self.author_type_needs_confirmation or self.author_type_confirmed_at is not None

    @property
    def public_author_type(self) -> str:
        """The author type as the public sees it: the code, with ``DECLARED_SUFFIX`` while an
        institutional type is not confirmed; empty for a deleted account."""
        if self.deleted_at is not None or not self.author_type:
            return ""
        if self.author_type_confirmed:
            return self.author_type
        return self.author_type + DECLARED_SUFFIX

    @property
    def author_type_label(self) -> str:
        return author_type_label(self.public_author_type)

    @property
    def territory_name(self) -> str:
        """The territory as the person gave it: the listed one, else what they typed."""
        if self.listed_territory_id:
            return self.listed_territory.name
        return (self.territory or "").strip()

    def has_verified_address(self) -> bool:
        """Whether one of the account's e-mail addresses is verified. The account signed in on
        a request is read with the answer (charte.accounts.backends); any other asks."""
        known = getattr(self, VERIFIED_ADDRESS_ATTRIBUTE, None)
        if known is not None:
            return known
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=self, verified=True).exists()

    @property
    def display_name(self):
        if self.deleted_at is not None:
            return _("deleted account")
        return self.pseudonym or _("anonymous contributor")
