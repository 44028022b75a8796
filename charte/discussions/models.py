"""Comments on frozen paragraphs, built on django-comments-xtd (threads, flags, reactions).

What the library's generic views accept is not trusted: comments are only written through
:func:`charte.discussions.services.comment_post`, which takes identity from the account and
checks the target and the consultation window.
"""

import zlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import (
    MaxThreadLevelExceededException,
    XtdComment,
    max_thread_level_for_content_type,
)

from charte.core.origins import origin_of
from charte.core.targets import address_in, allowed_content_types, target_model, target_of


def inert_html(text: str) -> str:
    """What a citizen wrote, as HTML that cannot act: escaped, links auto-linked as
    user-generated content, line breaks kept (the same as the ``ugc`` template filter)."""
    html = urlize(str(text), nofollow=True, autoescape=True)
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return html.replace("\n", "<br>")


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
    # The text as shown (:func:`inert_html`), written with it: a thread is not run through
    # ``urlize`` comment by comment at every view.
    text_html = models.TextField(
        _("text as shown"), blank=True, default="", db_default="", editable=False
    )
    # Entered by a facilitator from a workshop or a paper register: signed by it (``user`` is
    # the facilitator, never shown), and its origin.
    workshop = models.ForeignKey(
        "charte.Workshop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("workshop or register"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def save(self, *args, **kwargs):
        """Every write of the text writes its HTML too (also when only ``comment`` is among
        ``update_fields``)."""
        if getattr(self, "_html_of", None) != self.comment:
            self.text_html = inert_html(self.comment)
            self._html_of = self.comment
        fields = kwargs.get("update_fields")
        if fields is not None and "comment" in fields and "text_html" not in fields:
            kwargs["update_fields"] = [*fields, "text_html"]
        fields = kwargs.get("update_fields")
        if self.pk is not None or args or fields:
            super().save(*args, **kwargs)
        else:
            self._insert(**kwargs)
        if fields is None or COUNTED_FIELDS.intersection(fields):
            DiscussionCount.recount(self.content_type_id, self.object_pk)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        DiscussionCount.recount(self.content_type_id, self.object_pk)
        return result

    def _insert(self, **kwargs):
        """A new comment written in one insert, sending ``post_save`` once (the library saves a
        new comment twice, and walks its replies before the second save): a reply's place in
        its thread is computed before the insert; a new discussion is its own thread and
        parent, set by one update of the thread table."""
        if self.submit_date is None:
            self.submit_date = timezone.now()
        with transaction.atomic(savepoint=False):
            if self.parent_id:
                if not max_thread_level_for_content_type(self.content_type):
                    raise MaxThreadLevelExceededException(self)
                self._calculate_thread_data()
            models.Model.save(self, **kwargs)
            if not self.parent_id:
                XtdComment.norel_objects.filter(pk=self.pk).update(
                    thread_id=self.pk, parent_id=self.pk
                )
                self.thread_id = self.parent_id = self.pk

    @property
    def html(self) -> SafeString:
        """The text as shown; for a row written without it (straight into the tables), made
        from the text."""
        if self.text_html or not self.comment:
            return mark_safe(self.text_html)  # made by inert_html: inert
        return mark_safe(inert_html(self.comment))  # escaped by urlize

    @property
    def origin(self) -> str:
        return origin_of(self)

    @property
    def author_name(self):
        if self.workshop_id:
            return self.workshop.signature()
        return self.user.display_name if self.user_id else _("deleted account")

    @property
    def author_type_badge(self) -> str:
        """The author type shown beside the name when it is not a resident's: « Elected member »
        once the team confirmed it, « (declared, not confirmed) » until then. None for what a
        workshop said: its signature says it."""
        if self.workshop_id or not self.user_id or self.user.author_type == "resident":
            return ""
        return self.user.author_type_label

    # -- what moderation tells its author (see notifications.notify_decision) ------------

    def moderation_address(self, language: str) -> str:
        target = target_of(self.content_type_id, self.object_pk)
        return f"{address_in(target, language)}#c{self.pk}" if target is not None else ""

    def moderation_text(self) -> str:
        return self.comment

    def moderation_label(self) -> str:
        return f"#{self.pk}"

    @staticmethod
    def moderation_notices() -> dict:
        return {
            ModerationAction.APPROVE: (
                gettext("Your comment is published"),
                gettext("The moderators approved your comment: it is now public.\n\n%(link)s\n"),
            ),
            ModerationAction.HIDE: (
                gettext("Your comment has been hidden"),
                gettext(
                    "The moderators hid your comment. In its place, readers see this reason: "
                    "« %(reason)s ».\n\nThe discussion: %(link)s\n\nYour text:\n%(text)s\n"
                ),
            ),
            ModerationAction.AUTO_HIDE: (
                gettext("Your comment is hidden until a moderator decides"),
                gettext(
                    "Several readers reported your comment, so it is hidden until a moderator "
                    "reads it and decides. You will be told of the decision.\n\n%(link)s\n"
                ),
            ),
            ModerationAction.RESTORE: (
                gettext("Your comment is visible again"),
                gettext("The moderators made your comment visible again.\n\n%(link)s\n"),
            ),
        }

    @property
    def is_visible(self):
        """Shown as written (not pending, hidden or deleted)."""
        return self.is_public and self.hidden_at is None and self.deleted_at is None


# What decides whether a comment is counted, and where.
COUNTED_FIELDS = frozenset(
    {"is_public", "is_removed", "hidden_at", "deleted_at", "workshop", "content_type", "object_pk"}
)


def _lock_key(object_pk: str) -> int:
    """A discussion's key as the signed 32-bit number PostgreSQL's advisory locks take."""
    value = zlib.crc32(object_pk.encode())
    return value - 2**32 if value >= 2**31 else value


class DiscussionCount(models.Model):
    """The visible comments of one discussion (a paragraph, an amendment…), and how many came
    from each offline origin: read for hundreds of paragraphs at once in the margin of a text,
    whose consultation gathers most of the site's comments, where an aggregate would read them
    all. Recounted from the comments (not incremented) whenever one of them is written or
    deleted, so it stays exact."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_pk = models.CharField(max_length=64)
    total = models.PositiveIntegerField(default=0)
    workshop = models.PositiveIntegerField(default=0)
    register = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("comment count")
        verbose_name_plural = _("comment counts")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_pk"], name="one_count_per_discussion"
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_pk} – {self.total}"

    @classmethod
    def _counting_sql(cls, where: str) -> str:
        comments = XtdComment._meta.get_parent_list()[-1]._meta.db_table
        workshops = Comment._meta.get_field("workshop").related_model._meta.db_table
        return (
            f"INSERT INTO {cls._meta.db_table} "
            "(content_type_id, object_pk, total, workshop, register) "
            "SELECT d.content_type_id, d.object_pk, COUNT(*), "
            "COUNT(CASE WHEN w.kind = %s THEN 1 END), COUNT(CASE WHEN w.kind = %s THEN 1 END) "
            f"FROM {comments} d "
            f"INNER JOIN {Comment._meta.db_table} c ON c.xtdcomment_ptr_id = d.id "
            f"LEFT OUTER JOIN {workshops} w ON w.id = c.workshop_id "
            f"WHERE d.is_public AND c.hidden_at IS NULL AND c.deleted_at IS NULL{where} "
            "GROUP BY d.content_type_id, d.object_pk "
        )

    @classmethod
    def counts_of(cls, content_type_id: int, object_pks: list[str]) -> list[tuple]:
        """``(object_pk, total, workshop, register)`` of the discussions among ``object_pks``
        that have a visible comment. The margin of a text asks for hundreds of paragraphs at
        each view: on PostgreSQL the list is one array parameter, joined as a table (a
        prepared ``= ANY(array)`` compares each row with the whole array: 45 ms at 2,000
        ids, against under one), and the ORM does not prepare each of its values."""
        from django.db import connection

        if not object_pks:
            return []
        columns = "d.object_pk, d.total, d.workshop, d.register"
        where = "d.content_type_id = %s AND d.total > 0"
        if connection.vendor == "postgresql":
            sql = (
                f"SELECT {columns} FROM {cls._meta.db_table} d "
                "INNER JOIN unnest(%s::text[]) AS asked(pk) ON d.object_pk = asked.pk "
                f"WHERE {where}"
            )
            params = [list(object_pks), content_type_id]
        else:
            among = ", ".join(["%s"] * len(object_pks))
            sql = (
                f"SELECT {columns} FROM {cls._meta.db_table} d "
                f"WHERE {where} AND d.object_pk IN ({among})"
            )
            params = [content_type_id, *object_pks]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @classmethod
    def recount(cls, content_type_id: int, object_pk: str) -> None:
        """Count the visible comments of one discussion again: one statement (and, on
        PostgreSQL, a lock held until the transaction ends)."""
        from django.db import connection

        # The count of a discussion with no visible comment left is a row of zeros: the
        # aggregate then gives no row, so the update below is written for that case.
        sql = cls._counting_sql(" AND d.content_type_id = %s AND d.object_pk = %s") + (
            "UNION ALL SELECT %s, %s, 0, 0, 0 WHERE NOT EXISTS ("
            f"SELECT 1 FROM {XtdComment._meta.get_parent_list()[-1]._meta.db_table} d "
            f"INNER JOIN {Comment._meta.db_table} c ON c.xtdcomment_ptr_id = d.id "
            "WHERE d.is_public AND c.hidden_at IS NULL AND c.deleted_at IS NULL "
            "AND d.content_type_id = %s AND d.object_pk = %s) "
            "ON CONFLICT (content_type_id, object_pk) DO UPDATE SET total = excluded.total, "
            "workshop = excluded.workshop, register = excluded.register"
        )
        key = [content_type_id, str(object_pk)]
        # Within the comment's own transaction (no savepoint: the comment and its count are
        # written together or not at all); its own transaction when called outside one, so
        # that the lock lasts until the count is written.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Two comments written at once on one discussion: each transaction counts
                # without seeing the other's comment until it commits, and the later write
                # would keep a count one short. Recounts of one discussion therefore wait for
                # each other, and each counts in a statement that starts after the wait, so it
                # sees what the previous one committed. (SQLite writes one at a time.)
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [content_type_id, _lock_key(str(object_pk))],
                )
            cursor.execute(sql, ["workshop", "register", *key, *key, *key])

    @classmethod
    def recount_all(cls) -> None:
        """Count every discussion again (after comments written straight into the tables)."""
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {cls._meta.db_table}")
            cursor.execute(cls._counting_sql(""), ["workshop", "register"])


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

    # The contribution decided about (a comment, an argument…; none for blocking an author).
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("kind of contribution"),
    )
    object_id = models.PositiveBigIntegerField(_("contribution"), null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")
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
        indexes = [models.Index(fields=["content_type", "object_id"], name="decision_item")]
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
    """Someone who is e-mailed when a discussion (of any discussion target: a paragraph, an
    amendment, an argument…) gets a new comment."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=allowed_content_types,
        verbose_name=_("kind of discussion"),
    )
    object_id = models.PositiveBigIntegerField(_("discussion"))
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)
    # Until when the follower has been told what is new (the last e-mail about this
    # discussion; None: since they started following it).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("followed discussion")
        verbose_name_plural = _("followed discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_discussion_once"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self):
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"

    def save(self, *args, **kwargs):
        if target_model(self.content_type_id) is None:
            raise ValueError(f"Not a discussion target: content type {self.content_type_id}")
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if target_model(self.content_type_id) is None:
            raise ValidationError({"content_type": _("This cannot be discussed.")})
