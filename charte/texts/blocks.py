"""The body of an iteration: sections (titres) → articles → paragraphs (alinéas).

A paragraph is restricted rich text (emphasis, links, lists); what reads a paragraph's
wording reads its text (:mod:`charte.texts.richtext`).

Nested StreamBlocks give every section, article and paragraph its own block id. The id of a
paragraph block is its identity for life: it is copied into the next iteration and into every
translation, and it becomes the ``key`` of the frozen :class:`charte.models.Paragraph` row.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from charte.texts.richtext import FEATURES


class ParagraphBlock(blocks.RichTextBlock):
    """A paragraph in restricted rich text: bold, italic, links, numbered and bulleted lists."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        form_classname = "charte-paragraph"


class ArticleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Article title"), max_length=200)
    paragraphs = blocks.StreamBlock(
        [("paragraph", ParagraphBlock())],
        min_num=1,
        label=_("Paragraphs"),
    )

    class Meta:
        icon = "doc-full"
        label = _("Article")
        label_format = "{title}"


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Section title"), max_length=200)
    articles = blocks.StreamBlock(
        [("article", ArticleBlock())],
        min_num=1,
        label=_("Articles"),
        # A long text opens as its outline: each article unfolds on demand.
        collapsed=True,
    )

    class Meta:
        icon = "folder-open-inverse"
        label = _("Section")
        label_format = "{title}"


class CharterBodyBlock(blocks.StreamBlock):
    section = SectionBlock()

    class Meta:
        min_num = 1
