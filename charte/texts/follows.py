"""People who follow a charter: e-mailed when a version opens for consultation, when a
consultation closes and its synthesis is public, and when the charter is adopted
(charte.texts.notifications)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CharterFollow(models.Model):
    """Someone who follows a charter (its page in the default language: one follow whatever
    the language they read it in)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    charter = models.ForeignKey(
        "charte.CharterPage",
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("charter"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("followed charter")
        verbose_name_plural = _("followed charters")
        constraints = [
            models.UniqueConstraint(fields=["user", "charter"], name="follow_charter_once")
        ]

    def __str__(self):
        return f"{self.user_id} → charter {self.charter_id}"
