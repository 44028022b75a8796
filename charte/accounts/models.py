from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from charte.core.pseudonyms import skeleton


class AuthorType(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ASSOCIATION = "association", _("Association")
    BUSINESS = "business", _("Business")
    MUNICIPAL_AGENT = "municipal_agent", _("Municipal agent")
    ELECTED_MEMBER = "elected_member", _("Elected member")
    NEIGHBOURHOOD_COUNCIL = "neighbourhood_council", _("Neighbourhood council")
    OTHER = "other", _("Other")


class ThreadEmails(models.TextChoices):
    """How often someone is e-mailed about the discussions they follow."""

    HOURLY = "hourly", _("At most one e-mail per discussion per hour, gathering what is new")
    DAILY = "daily", _("One e-mail a day gathering what is new in every discussion")
    NONE = "none", _("No e-mail about the discussions I follow")


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
    territory = models.CharField(
        _("territory"),
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

    @property
    def display_name(self):
        if self.deleted_at is not None:
            return _("deleted account")
        return self.pseudonym or _("anonymous contributor")
