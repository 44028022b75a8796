"""The council's private review notes: one member's remark on one paragraph of the text under
review, read by the council and the communication team only (never by the public, never in
search, exports or the API)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 2000


class ReviewNote(models.Model):
    paragraph = models.ForeignKey(
        "charte.Paragraph",
        on_delete=models.PROTECT,
        related_name="review_notes",
        verbose_name=_("paragraph"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="review_notes",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["paragraph", "created_at"]
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")
        # Granted to groups in Wagtail's group editor; charte.core.rules reads it.
        permissions = [("review_text", _("Can open the council's review and write its notes"))]

    def __str__(self):
        return f"{self.paragraph}: {self.text[:40]}"
