"""A workshop (atelier de concertation, conseil de quartier, tiers-lieu…) or a paper register
(registre en mairie) of a charter: where what residents said offline comes from.

Comments and amendments point at it (``workshop``) when a facilitator entered them: they are
signed by it, never by the facilitator, and carry its kind as their origin."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from charte.core.formatting import format_date
from charte.core.origins import Origin

TITLE_MAX = 200


class Audience(models.TextChoices):
    OPEN = "open", _("Open to everyone")
    NEIGHBOURHOOD_COUNCIL = "neighbourhood_council", _("Neighbourhood council")
    AGENTS = "agents", _("Municipal agents")
    ELECTED = "elected", _("Elected members")
    SCHOOLS = "schools", _("Schools")
    ASSOCIATIONS = "associations", _("Associations")
    YOUTH = "youth", _("Young people")
    OTHER = "other", _("Other")


class WorkshopKind(models.TextChoices):
    WORKSHOP = Origin.WORKSHOP.value, _("Workshop")
    REGISTER = Origin.REGISTER.value, _("Paper register")


class WorkshopQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")


class Workshop(ClusterableModel):
    """One workshop or paper register of a charter, and optionally of one of its versions or
    debates."""

    charter = models.ForeignKey(
        "charte.CharterPage",
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("charter"),
    )
    iteration = models.ForeignKey(
        "charte.CharterIterationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("version"),
        help_text=_("The version of the text it worked on, if one."),
    )
    debate = models.ForeignKey(
        "charte.DebatePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("debate"),
        help_text=_("The debate it fed, if one."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=WorkshopKind.choices, default=WorkshopKind.WORKSHOP
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_at = models.DateTimeField(
        _("date and time"),
        help_text=_("Europe/Paris time. For a register: the day it opened."),
    )
    ends_at = models.DateTimeField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("Europe/Paris time. For a register: the day it closed."),
    )
    online = models.BooleanField(_("held online"), default=False)
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("« Maison de quartier du Port », « Hôtel de ville, accueil »…"),
    )
    audience = models.CharField(
        _("audience"), max_length=30, choices=Audience.choices, default=Audience.OPEN
    )
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    facilitated_by = models.CharField(
        _("facilitated by"),
        max_length=300,
        blank=True,
        help_text=_("Shown on its public page: names, service or association."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("accounts that enter its contributions"),
        help_text=_(
            "Members of the « Animateur·rice » group who may enter what was said there. "
            "Never shown: contributions are signed by the workshop."
        ),
    )
    report = models.TextField(_("short report"), blank=True)
    report_document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written report"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop or register")
        verbose_name_plural = _("workshops and registers")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["charter", "starts_at"], name="workshop_charter_date")]
        # Granted to groups in Wagtail's group editor; charte.core.rules reads it.
        permissions = [
            (
                "enter_workshop_contribution",
                _("Can enter what was said in workshops and paper registers"),
            )
        ]

    def __str__(self):
        return self.signature()

    @property
    def place_label(self) -> str:
        if self.online:
            return gettext("online")
        return self.place

    def signature(self) -> str:
        """How its contributions are signed, in the active language: « Atelier du 12 mars –
        Maison de quartier du Port, 18 participants », « Registre en mairie – Hôtel de
        ville »."""
        place = self.place_label
        if self.kind == WorkshopKind.REGISTER:
            if place:
                return gettext("Paper register – %(place)s") % {"place": place}
            return gettext("Paper register of %(date)s") % {"date": format_date(self.starts_at)}
        text = gettext("Workshop of %(date)s") % {"date": format_date(self.starts_at)}
        if place:
            text = f"{text} – {place}"
        if self.participants:
            text += ngettext(
                ", %(count)s participant", ", %(count)s participants", self.participants
            ) % {"count": self.participants}
        return text

    def is_upcoming(self, now=None) -> bool:
        return self.starts_at >= (now or timezone.now())

    def get_url(self, request=None) -> str:
        return self.charter.specific.route_url("workshop", self.pk, request=request)


class WorkshopImage(Orderable):
    """A photo of the boards, of the room: shown on the workshop's public page."""

    workshop = ParentalKey(Workshop, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("image"),
    )
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("What it shows, for those who cannot see it (its text alternative)."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
