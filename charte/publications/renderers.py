"""Word-processor documents made from a document's HTML (see :mod:`.documents`): the HTML is
read into one simple description (headings, paragraphs with their emphasis, links and lists,
notes, tables) and written as an OpenDocument text (odfpy, the format French administrations
exchange, which every word processor opens) or as a Word document (python-docx: real heading
styles, header rows, the document's language and title in its properties, so that screen
readers and outlines follow it). The PDF is made from the same HTML by WeasyPrint.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from charte.texts.richtext import Block, Run, add_run

HEADING, PARAGRAPH, QUOTE, NOTE, LIST, TABLE, INSERTED, DELETED, RICH = (
    "heading",
    "paragraph",
    "quote",
    "note",
    "list",
    "table",
    "inserted",
    "deleted",
    "rich",
)


@dataclass
class Document:
    title: str
    language: str
    author: str = ""
    subtitle: str = ""
    blocks: list = field(default_factory=list)

    def heading(self, text, level=1):
        self.blocks.append((HEADING, level, str(text)))

    def paragraph(self, text, kind=PARAGRAPH):
        self.blocks.append((kind, 0, str(text)))

    def quote(self, text):
        self.paragraph(text, QUOTE)

    def note(self, text):
        self.paragraph(text, NOTE)

    def items(self, items):
        items = [str(item) for item in items]
        if items:
            self.blocks.append((LIST, 0, items))

    def rich(self, blocks, prefix=""):
        """A paragraph of the text with its emphasis, links and lists: ``blocks`` as
        ``charte.texts.richtext.blocks`` reads them (paragraphs and lists of runs), ``prefix``
        (its number) before its first words."""
        self.blocks.append((RICH, 0, (str(prefix), list(blocks))))

    def table(self, header, rows):
        self.blocks.append(
            (TABLE, 0, ([str(h) for h in header], [[str(c) for c in r] for r in rows]))
        )


# -- OpenDocument text --------------------------------------------------------------------


def render_odt(document: Document) -> bytes:
    from odf import teletype
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        ListLevelProperties,
        ParagraphProperties,
        Style,
        TableCellProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (
        A,
        H,
        List,
        ListItem,
        ListLevelStyleBullet,
        ListLevelStyleNumber,
        ListStyle,
        P,
        Span,
    )

    odt = OpenDocumentText()
    odt.meta.addElement(_meta_title(document.title))
    language, _sep, country = document.language.partition("-")

    def paragraph_style(name, **text):
        style = Style(name=name, family="paragraph")
        style.addElement(TextProperties(language=language, country=country or "FR", **text))
        odt.styles.addElement(style)
        return style

    styles = {
        PARAGRAPH: paragraph_style("Charte_Body"),
        QUOTE: paragraph_style("Charte_Quote", fontstyle="italic"),
        NOTE: paragraph_style("Charte_Note", fontsize="9pt", color="#333333"),
        INSERTED: paragraph_style("Charte_Inserted", textunderlinestyle="solid"),
        DELETED: paragraph_style("Charte_Deleted", textlinethroughstyle="solid"),
    }
    for name in (QUOTE, INSERTED, DELETED):
        styles[name].addElement(ParagraphProperties(marginleft="0.6cm"))
    headings = {}
    for level, size in ((1, "18pt"), (2, "14pt"), (3, "12pt"), (4, "11pt")):
        style = Style(name=f"Heading_{level}", family="paragraph", defaultoutlinelevel=str(level))
        style.addElement(TextProperties(fontsize=size, fontweight="bold", language=language))
        style.addElement(
            ParagraphProperties(margintop="0.3cm", marginbottom="0.2cm", keepwithnext="always")
        )
        odt.styles.addElement(style)
        headings[level] = style
    cell_style = Style(name="Charte_Cell", family="table-cell")
    cell_style.addElement(TableCellProperties(border="0.5pt solid #888888", padding="0.1cm"))
    odt.automaticstyles.addElement(cell_style)

    def add_paragraph(container, style, content):
        element = P(stylename=style)
        teletype.addTextToElement(element, content)
        container.addElement(element)

    looks = {}
    for bold, italic in ((True, False), (False, True), (True, True)):
        look = Style(name=f"Charte_{'B' if bold else ''}{'I' if italic else ''}", family="text")
        look.addElement(
            TextProperties(
                **({"fontweight": "bold"} if bold else {}),
                **({"fontstyle": "italic"} if italic else {}),
            )
        )
        odt.automaticstyles.addElement(look)
        looks[bold, italic] = look
    list_styles = {}
    for kind in ("ul", "ol"):
        list_style = ListStyle(name=f"Charte_List_{kind}")
        for level in (1, 2, 3):
            if kind == "ol" and level == 1:
                label = ListLevelStyleNumber(level=level, numformat="1", numsuffix=".")
            else:
                label = ListLevelStyleBullet(level=level, bulletchar="–" if level == 1 else "◦")
            label.addElement(
                ListLevelProperties(spacebefore=f"{0.6 * level}cm", minlabelwidth="0.6cm")
            )
            list_style.addElement(label)
        odt.automaticstyles.addElement(list_style)
        list_styles[kind] = list_style

    def add_runs(element, runs):
        for run in runs:
            target = element
            if run.href:
                target = A(href=run.href, type="simple")
                element.addElement(target)
            if run.bold or run.italic:
                span = Span(stylename=looks[run.bold, run.italic])
                target.addElement(span)
                target = span
            teletype.addTextToElement(target, run.text)

    def add_rich(prefix, rich_blocks):
        lead = prefix
        for block in rich_blocks:
            if block.kind == "p" or lead:
                element = P(stylename=styles[PARAGRAPH])
                teletype.addTextToElement(element, lead)
                if block.kind == "p":
                    add_runs(element, block.items[0][1])
                odt.text.addElement(element)
                lead = ""
                if block.kind == "p":
                    continue
            outer = List(stylename=list_styles[block.kind])
            last_item = None
            for level, runs in block.items:
                element = P(stylename=styles[PARAGRAPH])
                add_runs(element, runs)
                item = ListItem()
                if level > 1 and last_item is not None:
                    inner = List()
                    inner.addElement(item)
                    last_item.addElement(inner)
                else:
                    outer.addElement(item)
                    last_item = item
                item.addElement(element)
            odt.text.addElement(outer)
        if lead:
            add_paragraph(odt.text, styles[PARAGRAPH], lead)

    def add_heading(level, content):
        element = H(outlinelevel=level, stylename=headings[level])
        teletype.addTextToElement(element, content)
        odt.text.addElement(element)

    add_heading(1, document.title)
    if document.subtitle:
        add_paragraph(odt.text, styles[NOTE], document.subtitle)
    for kind, level, content in document.blocks:
        if kind == HEADING:
            add_heading(min(max(level, 1), 4), content)
        elif kind == LIST:
            element = List()
            for item in content:
                list_item = ListItem()
                add_paragraph(list_item, styles[PARAGRAPH], item)
                element.addElement(list_item)
            odt.text.addElement(element)
        elif kind == TABLE:
            header, rows = content
            grid = Table(name=f"Table{len(odt.text.childNodes)}")
            grid.addElement(TableColumn(numbercolumnsrepeated=len(header)))
            for values in [header, *rows]:
                row = TableRow()
                for value in values:
                    cell = TableCell(stylename=cell_style, valuetype="string")
                    add_paragraph(cell, styles[PARAGRAPH], value)
                    row.addElement(cell)
                grid.addElement(row)
            odt.text.addElement(grid)
        elif kind == RICH:
            add_rich(*content)
        else:
            add_paragraph(odt.text, styles[kind], content)
    buffer = io.BytesIO()
    odt.write(buffer)
    return buffer.getvalue()


# -- Word (DOCX) ---------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    word = docx.Document()
    word.core_properties.title = document.title
    word.core_properties.author = document.author
    word.core_properties.subject = document.subtitle
    word.core_properties.language = document.language
    language = document.language if "-" in document.language else f"{document.language}-FR"
    if language.startswith("en-"):
        language = "en-GB"
    # The document's language, on the default run properties every style inherits.
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    if "Hyperlink" not in [style.name for style in word.styles]:
        from docx.enum.style import WD_STYLE_TYPE

        hyperlink = word.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        hyperlink.font.underline = True
        hyperlink.font.color.rgb = RGBColor(0x1D, 0x4E, 0xD8)
    quote = word.styles["Quote"]
    note = word.styles.add_style("Charte Note", 1)
    note.base_style = word.styles["Normal"]
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0x33, 0x33, 0x33)

    word.add_heading(document.title, 0)
    if document.subtitle:
        word.add_paragraph(document.subtitle, style=note)
    for kind, level, content in document.blocks:
        if kind == HEADING:
            word.add_heading(content, min(max(level, 1), 4))
        elif kind == LIST:
            for item in content:
                word.add_paragraph(item, style="List Bullet")
        elif kind == TABLE:
            header, rows = content
            grid = word.add_table(rows=1, cols=len(header), style="Table Grid")
            for cell, value in zip(grid.rows[0].cells, header, strict=True):
                cell.text = value
                cell.paragraphs[0].runs[0].bold = True
            # The first row is a header row, repeated on each page and read as such.
            header_row = grid.rows[0]._tr.get_or_add_trPr()
            header_row.append(OxmlElement("w:tblHeader"))
            for values in rows:
                for cell, value in zip(grid.add_row().cells, values, strict=False):
                    cell.text = value
        elif kind == QUOTE:
            word.add_paragraph(content, style=quote)
        elif kind == NOTE:
            word.add_paragraph(content, style=note)
        elif kind == RICH:
            _docx_rich(word, *content)
        elif kind in (INSERTED, DELETED):
            run = word.add_paragraph().add_run(content)
            run.font.underline = kind == INSERTED
            run.font.strike = kind == DELETED
        else:
            word.add_paragraph(content)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _docx_runs(paragraph, runs):
    """Runs into a Word paragraph: bold, italic, and links as real hyperlinks."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for run in runs:
        if not run.href:
            added = paragraph.add_run(run.text)
            added.bold, added.italic = run.bold or None, run.italic or None
            continue
        link = OxmlElement("w:hyperlink")
        if run.href.startswith("#"):
            link.set(qn("w:anchor"), run.href[1:])
        else:
            relation = paragraph.part.relate_to(
                run.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            link.set(qn("r:id"), relation)
        paragraph._p.append(link)
        added = paragraph.add_run(run.text, style="Hyperlink")
        added.bold, added.italic = run.bold or None, run.italic or None
        link.append(added._r)


def _docx_restart_numbering(word, paragraph):
    """Word's « List Number » counts on through the whole document: each numbered list of a
    paragraph starts again at 1, with a numbering of its own on the same definition."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = word.part.numbering_part.numbering_definitions._numbering
    style = word.styles["List Number"]
    style_num = style.element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    properties.get_or_add_ilvl().val = 0
    properties.get_or_add_numId().val = num.numId


def _docx_rich(word, prefix, rich_blocks):
    lead = prefix
    for block in rich_blocks:
        if block.kind == "p" or lead:
            paragraph = word.add_paragraph()
            if lead:
                paragraph.add_run(lead)
                lead = ""
            if block.kind == "p":
                _docx_runs(paragraph, block.items[0][1])
                continue
        first = True
        for level, runs in block.items:
            numbered = block.kind == "ol" and level == 1
            style = ("List Number" if numbered else "List Bullet") + (
                f" {min(level, 3)}" if level > 1 else ""
            )
            paragraph = word.add_paragraph(style=style)
            _docx_runs(paragraph, runs)
            if numbered and first:
                _docx_restart_numbering(word, paragraph)
                numbering = paragraph._p.pPr.numPr.numId.val
            elif numbered:
                properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                properties.get_or_add_ilvl().val = 0
                properties.get_or_add_numId().val = numbering
            first = first and not numbered
    if lead:
        word.add_paragraph(lead)


def _meta_title(title):
    from odf.dc import Title

    return Title(text=title)


# -- From the HTML -------------------------------------------------------------------------


_SPACES = re.compile(r"[ \t\r\n\f]+")


def _trimmed(runs: list[Run]) -> list[Run]:
    """``runs`` without the spaces and line breaks that end them."""
    runs = list(runs)
    while runs and not runs[-1].text.rstrip():
        runs.pop()
    if runs:
        last = runs[-1]
        runs[-1] = Run(last.text.rstrip(), last.bold, last.italic, last.href)
    return runs


class _Reader(HTMLParser):
    """Reads a document's HTML (``templates/documents/``) into a :class:`Document`: ``h1`` is
    its title, ``p.subtitle`` its subtitle, ``h2``–``h4`` and figure captions its headings,
    ``p.note`` its notes, other paragraphs and lists with their emphasis and links, and tables
    as text, cell by cell; the SVG drawings are left out (their table follows them)."""

    HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "figcaption": 3}

    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.document = Document(title="", language="fr")
        self.skip = 0  # inside head, svg, style
        self.text: list[str] | None = None  # a heading's, a note's or a cell's words
        self.text_kind: tuple | None = None
        self.table: dict | None = None
        self.lists: list[str] = []
        self.block: Block | None = None  # the rich paragraph or list being read
        self.runs: list[Run] | None = None
        self.prefix = ""  # a paragraph's number, printed before its first words
        self.in_number = False
        self.bold = self.italic = 0
        self.href = ""

    # Rich paragraphs and lists.
    def _flush(self):
        if self.block is not None:
            self.block.items = [
                (level, _trimmed(runs))
                for level, runs in self.block.items
                if "".join(run.text for run in runs).strip()
            ]
            if self.block.items or self.prefix:
                self.document.rich([self.block] if self.block.items else [], prefix=self.prefix)
                self.prefix = ""
        self.block = self.runs = None

    def _open_runs(self, kind):
        if kind == "p" or self.block is None or self.block.kind != kind:
            self._flush()
            self.block = Block(kind)
        self.runs = []
        self.block.items.append((max(1, len(self.lists)), self.runs))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "html":
            self.document.language = attrs.get("lang") or "fr"
        if self.skip or tag in ("head", "svg", "style", "script"):
            self.skip += tag in ("head", "svg", "style", "script") or 0
            if tag == "meta" and attrs.get("name") == "author":
                self.document.author = attrs.get("content") or ""
            return
        if self.table is not None:
            if tag == "tr":
                self.table["row"] = []
            elif tag in ("th", "td"):
                self.text = []
            elif tag in ("br", "p") and self.text is not None and self.text:
                self.text.append("\n")
            return
        if tag in self.HEADINGS or (tag == "p" and {"note", "subtitle"} & set(classes)):
            self._flush()
            self.text, self.text_kind = [], (tag, classes)
        elif tag == "table":
            self._flush()
            self.table = {"header": [], "rows": [], "row": None, "head": False}
        elif tag == "span" and "number" in classes:
            self._flush()
            self.in_number = True
        elif tag in ("ul", "ol"):
            if not self.lists:
                self._flush()
            self.lists.append(tag)
        elif tag == "li" and self.lists:
            self._open_runs(self.lists[0])
        elif tag == "p" and not self.lists:
            if self.block is not None and self.block.kind != "p" or self.runs is not None:
                self._flush()
            self._open_runs("p")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "a":
            href = attrs.get("href") or ""
            self.href = urljoin(self.base_url + "/", href) if href else ""
        elif tag == "br":
            self.handle_data("\n", literal=True)

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= tag in ("head", "svg", "style", "script")
            return
        if self.table is not None:
            if tag in ("th", "td") and self.text is not None:
                lines = ("".join(self.text)).split("\n")
                self.table["row"].append("\n".join(" ".join(ln.split()) for ln in lines).strip())
                self.text = None
            elif tag == "tr" and self.table["row"] is not None:
                target = self.table["rows"] if self.table["header"] else None
                if target is None:
                    self.table["header"] = self.table["row"]
                else:
                    target.append(self.table["row"])
                self.table["row"] = None
            elif tag == "table":
                self.document.table(self.table["header"], self.table["rows"])
                self.table = None
            return
        if self.text_kind is not None and tag == self.text_kind[0]:
            words = " ".join("".join(self.text).split())
            tag, classes = self.text_kind
            self.text = self.text_kind = None
            if tag == "h1" and not self.document.title:
                self.document.title = words
            elif tag in self.HEADINGS:
                self.document.heading(words, self.HEADINGS[tag])
            elif "subtitle" in classes:
                self.document.subtitle = words
            else:
                self.document.note(words)
        elif tag == "span" and self.in_number:
            self.in_number = False
        elif tag in ("p", "li"):
            self.runs = None
            if tag == "p" and not self.lists:
                self._flush()
        elif tag in ("ul", "ol") and self.lists:
            self.runs = None
            self.lists.pop()
            if not self.lists:
                self._flush()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.href = ""
        elif tag in ("div", "section", "li", "main", "body"):
            self._flush()

    def handle_data(self, data, literal=False):
        if self.skip:
            return
        if self.text is not None:
            self.text.append(data)
            return
        if self.in_number:
            self.prefix += data.strip() + " "
            return
        if not literal:
            # As a browser shows it: spaces and line breaks of the markup are one space (a
            # no-break space stays what it is).
            data = _SPACES.sub(" ", data)
        if self.runs is None:
            if not data.strip():
                return
            self._open_runs(self.lists[0] if self.lists else "p")
        written = "".join(run.text for run in self.runs)
        if not written or written.endswith((" ", "\n")):
            data = data.lstrip(" ")
        if not data:
            return
        add_run(self.runs, data, bold=bool(self.bold), italic=bool(self.italic), href=self.href)

    def result(self) -> Document:
        self._flush()
        return self.document


def document_from_html(html: str, *, base_url: str = "") -> Document:
    """The :class:`Document` a document's HTML describes; relative links made absolute
    against ``base_url`` (a word processor has no page to resolve them from)."""
    reader = _Reader(base_url)
    reader.feed(html)
    reader.close()
    return reader.result()
