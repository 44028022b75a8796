from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from charte.core import switches
from charte.core.targets import DiscussionTarget
from charte.texts.richtext import safe_html

# Sent once the paragraphs of an iteration are written (``bulk_create`` sends no ``post_save``),
# with ``iteration`` (the page) and ``pks`` (the new rows): whatever keeps copies of the text,
# such as the search index, catches up from there.
paragraphs_frozen = Signal()


class FrozenParagraphError(Exception):
    """Paragraph rows are written once, when their iteration opens, and never changed."""


class ParagraphQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenParagraphError("Paragraph rows are immutable.")

    def delete(self):
        raise FrozenParagraphError("Paragraph rows are immutable.")


class Paragraph(DiscussionTarget, models.Model):
    """One paragraph of an iteration, frozen when the iteration opened for consultation.

    Everything citizens write about the text points at a row of this table. ``key`` is the
    StreamField block id, shared by the same paragraph in every translation and in the next
    iterations; ``derived_from`` is the row of the previous iteration with the same key.
    """

    iteration = models.ForeignKey(
        "charte.CharterIterationPage",
        on_delete=models.PROTECT,
        related_name="paragraphs",
        verbose_name=_("iteration"),
    )
    key = models.CharField(_("key"), max_length=64)
    position = models.PositiveIntegerField(_("position"))
    number = models.PositiveIntegerField(_("paragraph number in its article"))
    section_key = models.CharField(max_length=64)
    section_title = models.CharField(_("section"), max_length=255)
    article_key = models.CharField(max_length=64)
    article_number = models.PositiveIntegerField(_("article number"))
    article_title = models.CharField(_("article"), max_length=255)
    text = models.TextField(_("text"))
    html = models.TextField(
        _("rich text"), blank=True, help_text=_("The paragraph with its emphasis, links and lists.")
    )
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derivatives",
        verbose_name=_("derived from"),
    )
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    objects = ParagraphQuerySet.as_manager()

    discussion_kind = "paragraph"
    discussion_related = ("iteration",)

    class Meta:
        ordering = ["iteration", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["iteration", "key"], name="paragraph_unique_key"),
            models.UniqueConstraint(
                fields=["iteration", "position"], name="paragraph_unique_position"
            ),
        ]

    def __str__(self):
        return _("Article %(article)s, paragraph %(number)s") % {
            "article": self.article_number,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenParagraphError("Paragraph rows are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenParagraphError("Paragraph rows are immutable.")

    @property
    def rendered(self):
        """The markup shown to readers, allow-listed again whatever was stored."""
        return safe_html(self.html)

    @property
    def anchor(self):
        return f"p-{self.key}"

    def get_url(self, iteration_page=None):
        """The paragraph's permanent address, in the language of ``iteration_page``."""
        page = iteration_page or self.iteration
        return page.url + page.reverse_subpage("paragraph", args=[self.key])

    # -- the discussion-target contract (charte.core.targets) ------------------------------

    def discussion_closed_reason(self, now=None):
        return self.iteration.action_closed_reason(switches.COMMENTS, now)

    def discussion_title(self):
        return pgettext("what is discussed", "article %(article)s, paragraph %(number)s") % {
            "article": self.article_number,
            "number": self.number,
        }

    def discussion_words(self):
        return {
            "empty": gettext("No comment on this paragraph yet."),
            "label": gettext("Your comment on this paragraph"),
        }

    def discussion_page(self):
        return self.iteration

    def discussion_form_address(self, page, action, comment_id=None):
        if comment_id:
            return page.route_url("comment_action", self.key, comment_id, action)
        return page.route_url(f"paragraph_{action}", self.key)

    def discussion_route(self):
        return "paragraph", self.key

    def discussion_article(self):
        return self.article_number

    def discussion_earlier(self) -> list:
        """The same paragraph in the earlier versions, as long as its wording is unchanged
        (through ``derived_from``): their comments are about this very wording. The latest
        first, each with its iteration; one query however long the chain (the rows of a chain
        share their key), one more for a link that does not."""
        if self.derived_from_id is None:
            return []
        rows = {
            row.pk: row
            for row in Paragraph.objects.filter(key=self.key)
            .exclude(pk=self.pk)
            .select_related("iteration")
        }
        chain, current = [], self
        while current.derived_from_id is not None:
            earlier = rows.get(current.derived_from_id)
            if earlier is None:
                earlier = (
                    Paragraph.objects.filter(pk=current.derived_from_id)
                    .select_related("iteration")
                    .first()
                )
            if earlier is None or " ".join(earlier.text.split()) != " ".join(current.text.split()):
                break
            chain.append(earlier)
            current = earlier
        return chain
