from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdoptionResult(models.TextChoices):
    UNANIMOUS = "unanimous", _("Adopted unanimously")
    UNANIMOUS_OF_VOTES_CAST = "unanimous_cast", _("Adopted unanimously of the votes cast")
    MAJORITY = "majority", _("Adopted by a majority")

    @classmethod
    def of(cls, *, votes_for, votes_against, abstentions) -> "AdoptionResult":
        """How a deliberation's result is worded from its votes (the text is adopted when
        there are more votes for than against)."""
        if votes_against == 0:
            return cls.UNANIMOUS if abstentions == 0 else cls.UNANIMOUS_OF_VOTES_CAST
        return cls.MAJORITY


class Adoption(models.Model):
    """The council's vote that adopted an iteration. Recorded once, never edited."""

    iteration = models.OneToOneField(
        "charte.CharterIterationPage",
        on_delete=models.PROTECT,
        related_name="adoption",
        verbose_name=_("iteration"),
    )
    session_date = models.DateField(_("council session date"))
    deliberation_reference = models.CharField(_("deliberation reference"), max_length=100)
    votes_for = models.PositiveIntegerField(_("votes for"), validators=[MinValueValidator(0)])
    votes_against = models.PositiveIntegerField(
        _("votes against"), validators=[MinValueValidator(0)]
    )
    abstentions = models.PositiveIntegerField(_("abstentions"), validators=[MinValueValidator(0)])
    result = models.CharField(
        _("result"), max_length=20, choices=AdoptionResult.choices, default=AdoptionResult.MAJORITY
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self):
        return f"{self.deliberation_reference} ({self.session_date:%Y-%m-%d})"
