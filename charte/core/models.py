"""The rate-limit counters kept in the database while Redis is down (``charte.core.cache``):
shared by every worker process, as they are in Redis, instead of each process counting its own;
and the site's identity (``charte.core.identity``).
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class LimitCounter(models.Model):
    """One cache entry of a limit namespace: a whole number in ``count`` (so that it can be
    incremented in one UPDATE), any other value in ``value``. Expired rows are ignored, replaced
    by the next ``add`` and deleted by ``purge_personal_data`` (their keys may hold a client's
    address) and, now and then, on write."""

    key = models.CharField(_("key"), max_length=255, primary_key=True)
    count = models.BigIntegerField(_("count"), null=True)
    value = models.JSONField(_("value"), null=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        default_permissions = ()

    def __str__(self):
        return self.key


def environment_identity() -> dict[str, str]:
    """The site's identity as the environment gives it (README, « Configuration »)."""
    sender_name, sender_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return {
        "name": settings.WAGTAIL_SITE_NAME,
        "base_url": base_url,
        "sender_name": sender_name or settings.WAGTAIL_SITE_NAME,
        "sender_email": sender_email or f"no-reply@{urlsplit(base_url).hostname or 'localhost'}",
        "postal_address": settings.SITE_POSTAL_ADDRESS,
        "contact_email": settings.SITE_CONTACT_EMAIL,
    }


def validate_base_url(value: str) -> None:
    """An http or https address with a host name (a port is welcome, a path is not)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise ValidationError(
            _("Enter the address of the site, such as https://charte.ville.fr."),
            code="invalid",
        )


@deconstructible
class identity_default:  # noqa: N801 - a field default, named as one
    """The environment's value of one field of the identity, read when a row is created."""

    def __init__(self, field: str):
        self.field = field

    def __call__(self) -> str:
        return environment_identity()[self.field]

    def __eq__(self, other):
        return isinstance(other, identity_default) and other.field == self.field


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who publishes the site and how it signs: its name (page titles, e-mails, the admin), its
    address (links in e-mails), its sender, its postal and contact addresses. The environment
    gives the first values (``identity_default``); the team edits them in the admin's settings.
    Read it through ``charte.core.identity``, never directly."""

    name = models.CharField(
        _("name of the site"),
        max_length=120,
        default=identity_default("name"),
        help_text=_("Shown at the end of every page title, in every e-mail and in the admin."),
    )
    base_url = models.CharField(
        _("address of the site"),
        max_length=200,
        validators=[validate_base_url],
        default=identity_default("base_url"),
        help_text=_(
            "The address residents type to reach the site, such as https://charte.ville.fr: "
            "every link in an e-mail starts with it."
        ),
    )
    sender_name = models.CharField(
        _("sender name"),
        max_length=120,
        default=identity_default("sender_name"),
        help_text=_("The name e-mails come from."),
    )
    sender_email = models.EmailField(
        _("sender address"),
        default=identity_default("sender_email"),
        help_text=_("The address e-mails come from."),
    )
    postal_address = models.TextField(
        _("postal address"),
        blank=True,
        default=identity_default("postal_address"),
        help_text=_("Where to write to the organisation that publishes the site."),
    )
    contact_email = models.EmailField(
        _("contact address"),
        blank=True,
        default=identity_default("contact_email"),
        help_text=_("Where residents write with a question about the site."),
    )

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identities")

    def __str__(self):
        return self.name
