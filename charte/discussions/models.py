"""Comments on frozen paragraphs, built on django-comments-xtd (threads, flags, reactions).

What the library's generic views accept is not trusted: comments are only written through
:func:`charte.discussions.services.comment_post`, which takes identity from the account and
checks the target and the consultation window.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment


class Comment(XtdComment):
    xtdcomment_ptr = models.OneToOneField(
        XtdComment,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="charte_comment",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    deleted_at = models.DateTimeField(_("deleted by its author at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason shown in place of the comment"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    @property
    def author_name(self):
        return self.user.display_name if self.user_id else _("deleted account")

    @property
    def is_visible(self):
        """Shown as written (not pending, hidden or deleted)."""
        return self.is_public and self.hidden_at is None and self.deleted_at is None


class ReportReason(models.TextChoices):
    INSULT = "insult", _("Insulting or hateful")
    PERSONAL_DATA = "personal_data", _("Reveals personal data")
    SPAM = "spam", _("Advertising or spam")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class CommentReport(models.Model):
    """A citizen's « signaler »: one per person and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_report_per_person")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} – #{self.comment_id}"


class ModerationAction(models.TextChoices):
    APPROVE = "approve", _("Approved")
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    AUTO_HIDE = "auto_hide", _("Hidden automatically after reports")
    BLOCK = "block", _("Author blocked")
    UNBLOCK = "unblock", _("Author unblocked")


class ModerationDecision(models.Model):
    """Every moderation decision, with who, when and why."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="decisions", null=True, blank=True
    )
    argument = models.ForeignKey(
        "charte.Argument",
        on_delete=models.CASCADE,
        related_name="decisions",
        null=True,
        blank=True,
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author concerned"),
    )
    action = models.CharField(_("decision"), max_length=20, choices=ModerationAction.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        # Granted to groups in Wagtail's group editor; charte.core.rules reads it.
        permissions = [
            (
                "moderate_contribution",
                _("Can moderate comments and arguments, and block their authors"),
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} – {self.created_at:%Y-%m-%d %H:%M}"


class ThreadFollow(models.Model):
    """Someone who is e-mailed when a discussion (a paragraph's or an amendment's) gets a new
    comment."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    paragraph = models.ForeignKey(
        "charte.Paragraph",
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    amendment = models.ForeignKey(
        "charte.Amendment",
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    argument = models.ForeignKey(
        "charte.Argument",
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("followed discussion")
        verbose_name_plural = _("followed discussions")
        constraints = [
            models.UniqueConstraint(fields=["user", "paragraph"], name="follow_once"),
            models.UniqueConstraint(fields=["user", "amendment"], name="follow_amendment_once"),
            models.UniqueConstraint(fields=["user", "argument"], name="follow_argument_once"),
            models.CheckConstraint(
                condition=models.Q(
                    paragraph__isnull=False, amendment__isnull=True, argument__isnull=True
                )
                | models.Q(paragraph__isnull=True, amendment__isnull=False, argument__isnull=True)
                | models.Q(paragraph__isnull=True, amendment__isnull=True, argument__isnull=False),
                name="follow_one_discussion",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.paragraph_id or self.amendment_id or self.argument_id}"
