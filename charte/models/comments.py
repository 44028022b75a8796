"""Comments on frozen paragraphs, built on django-comments-xtd (threads, flags, reactions).

What the library's generic views accept is not trusted: comments are only written through
:func:`charte.comments.comment_post`, which takes identity from the account and checks the
target and the consultation window.
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

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    @property
    def author_name(self):
        return self.user.display_name if self.user_id else _("deleted account")
