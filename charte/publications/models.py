"""The documents built from a frozen iteration, kept: one row per iteration, kind, format and
language, holding the last file built and what is wanted next (see :mod:`.building`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BuiltDocument(models.Model):
    """``content`` was built from the HTML whose digest is ``built_digest``; when the document
    renders otherwise now, ``wanted_digest`` and ``html`` say what the worker builds next.
    Kept in the database, never in public media: the review pack is not for publication."""

    class Status(models.TextChoices):
        READY = "ready", _("ready")
        PENDING = "pending", _("being prepared")
        FAILED = "failed", _("failed")

    iteration = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("version"),
    )
    kind = models.CharField(_("document"), max_length=20)
    format = models.CharField(_("format"), max_length=10)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    wanted_digest = models.CharField(_("digest of the wanted content"), max_length=64)
    html = models.TextField(_("HTML to build from"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    built_digest = models.CharField(_("digest of the built content"), max_length=64, blank=True)
    content = models.BinaryField(_("file"), blank=True, default=b"")
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    build_seconds = models.FloatField(_("build time in seconds"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("built document")
        verbose_name_plural = _("built documents")
        constraints = [
            models.UniqueConstraint(
                fields=["iteration", "kind", "format", "language"], name="one_built_document"
            )
        ]

    def __str__(self):
        return f"{self.kind}.{self.format} ({self.language}) #{self.iteration_id}"
