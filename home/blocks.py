"""The blocks of an institutional page (legal notice, privacy notice, moderation rules…):
headings, rich text and tables, every word of them translatable with wagtail-localize."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("heading of a part")), ("h3", _("heading of a sub-part"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "home/blocks/heading.html"


class TableRowBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"), max_length=200)
    value = blocks.TextBlock(label=_("value"))


class TableBlock(blocks.StructBlock):
    """A table of two columns, each row a label (its header) and a value: « Publisher | Town
    of … », « Host | … ». Each cell is its own segment for the translators (wagtail-localize
    does not translate Wagtail's spreadsheet-like table block)."""

    caption = blocks.CharBlock(
        label=_("caption"), max_length=200, help_text=_("What the table lists, read first.")
    )
    label_heading = blocks.CharBlock(label=_("heading of the first column"), max_length=100)
    value_heading = blocks.CharBlock(label=_("heading of the second column"), max_length=100)
    rows = blocks.ListBlock(TableRowBlock(), label=_("rows"), min_num=1)

    class Meta:
        icon = "table"
        label = _("Table")
        template = "home/blocks/table.html"


class ContentBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="home/blocks/paragraph.html",
    )
    table = TableBlock()
