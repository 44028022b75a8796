"""Documents to download: one simple description (headings, paragraphs, quotations, lists,
tables), written once by what builds a document and rendered as PDF (ReportLab), as an
OpenDocument text (odfpy, the format French administrations exchange, which every word
processor opens) or as a Word document (python-docx: real heading styles, the document's
language and title in its properties, so that screen readers and outlines follow it).

The PDF embeds the Bitstream Vera fonts shipped with ReportLab, so that every French character
prints, and carries its title, author and language in its metadata. The web page
each document comes from stays its accessible equivalent.
"""

from __future__ import annotations

import heapq
import io
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

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


# -- PDF ---------------------------------------------------------------------------------


def _fonts():
    from reportlab import rl_config  # noqa: F401  (sets the font search path)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "CharteSans" in pdfmetrics.getRegisteredFontNames():
        return
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("CharteSans", os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("CharteSans-Bold", os.path.join(folder, "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont("CharteSans-Italic", os.path.join(folder, "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont("CharteSans-BoldItalic", os.path.join(folder, "VeraBI.ttf")))
    from reportlab.lib.fonts import addMapping

    addMapping("CharteSans", 0, 0, "CharteSans")
    addMapping("CharteSans", 1, 0, "CharteSans-Bold")
    addMapping("CharteSans", 0, 1, "CharteSans-Italic")
    addMapping("CharteSans", 1, 1, "CharteSans-BoldItalic")


def _inline(text):
    return escape(text).replace("\n", "<br/>")


def _pdf_runs(runs):
    """ReportLab's paragraph markup for runs: bold, italic, links (underlined, clickable)."""
    parts = []
    for run in runs:
        markup = _inline(run.text)
        if run.italic:
            markup = f"<i>{markup}</i>"
        if run.bold:
            markup = f"<b>{markup}</b>"
        if run.href:
            href = escape(run.href, {'"': "&quot;"})
            markup = f'<a href="{href}" color="#1d4ed8"><u>{markup}</u></a>'
        parts.append(markup)
    return "".join(parts)


def _list_labels(block):
    """Each item's label: its number in a numbered list, a dash in a bulleted or inner one."""
    number = 0
    for level, runs in block.items:
        if block.kind == "ol" and level == 1:
            number += 1
            yield level, f"{number}.", runs
        else:
            yield level, "–" if level == 1 else "◦", runs


def _column_widths(rows: list[list[str]], width: float) -> list[float]:
    """Each column's share of ``width``: never narrower than its longest word in bold (so that
    « Réponse » is not cut), the rest shared by its longest cell, so that a short column (a
    number, a date) stays narrow and a column of text gets the room."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    columns = list(zip(*rows, strict=True))

    def longest_word(column) -> float:
        # Measured among the few longest words only: a table of 300 amendments holds 150,000.
        words = {word for cell in column for word in str(cell).split()}
        longest = heapq.nlargest(8, words, key=len) or [""]
        return max(stringWidth(word, "CharteSans-Bold", 8.5) for word in longest)

    floors = [longest_word(column) + 12 for column in columns]  # with the cell's padding
    floors = [min(floor, width / len(columns)) for floor in floors]
    weights = [min(max(len(str(cell)) for cell in column), 60) for column in columns]
    room, total = max(width - sum(floors), 0), sum(weights) or 1
    return [floor + room * weight / total for floor, weight in zip(floors, weights, strict=True)]


def render_pdf(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _fonts()
    base = ParagraphStyle("base", fontName="CharteSans", fontSize=10, leading=14, spaceAfter=6)
    styles = {
        PARAGRAPH: base,
        QUOTE: ParagraphStyle("quote", parent=base, leftIndent=0.6 * cm, fontSize=10.5),
        NOTE: ParagraphStyle("note", parent=base, fontSize=8.5, leading=11, textColor="#333333"),
        INSERTED: ParagraphStyle("ins", parent=base, leftIndent=0.6 * cm),
        DELETED: ParagraphStyle("del", parent=base, leftIndent=0.6 * cm, textColor="#555555"),
    }
    headings = {
        level: ParagraphStyle(
            f"h{level}",
            parent=base,
            fontName="CharteSans-Bold",
            fontSize=size,
            leading=size * 1.25,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.4,
            keepWithNext=True,
        )
        for level, size in ((1, 18), (2, 14), (3, 11.5), (4, 10.5))
    }
    story = [Paragraph(_inline(document.title), headings[1])]
    if document.subtitle:
        story.append(Paragraph(_inline(document.subtitle), styles[NOTE]))
    for kind, level, content in document.blocks:
        if kind == HEADING:
            story.append(Paragraph(_inline(content), headings[min(max(level, 1), 4)]))
        elif kind == LIST:
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(_inline(item), base)) for item in content],
                    bulletType="bullet",
                    leftIndent=0.5 * cm,
                )
            )
        elif kind == TABLE:
            header, rows = content
            cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0)
            data = [[Paragraph(f"<b>{_inline(h)}</b>", cell) for h in header]] + [
                [Paragraph(_inline(c), cell) for c in row] for row in rows
            ]
            # Columns as wide as their content asks, within the page; a row taller than a page
            # (an amendment of 3,000 characters and its answer) goes on over the next ones.
            grid = Table(
                data,
                colWidths=_column_widths([header, *rows], A4[0] - 4 * cm),
                repeatRows=1,
                hAlign="LEFT",
                splitInRow=1,
            )
            grid.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend([grid, Spacer(1, 0.3 * cm)])
        elif kind == RICH:
            prefix, rich_blocks = content
            lead = _inline(prefix)
            for block in rich_blocks:
                if block.kind == "p":
                    story.append(Paragraph(lead + _pdf_runs(block.items[0][1]), base))
                    lead = ""
                    continue
                if lead:
                    story.append(Paragraph(lead, base))
                    lead = ""
                story.append(
                    ListFlowable(
                        [
                            ListItem(
                                Paragraph(_pdf_runs(runs), base),
                                value=label,
                                leftIndent=(0.6 + 0.6 * level) * cm,
                            )
                            for level, label, runs in _list_labels(block)
                        ],
                        bulletType="bullet",
                        bulletFontName="CharteSans",
                        bulletFontSize=10,
                        leftIndent=0.6 * cm,
                    )
                )
            if lead:
                story.append(Paragraph(lead, base))
        elif kind == INSERTED:
            story.append(Paragraph(f"<u>{_inline(content)}</u>", styles[INSERTED]))
        elif kind == DELETED:
            story.append(Paragraph(f"<strike>{_inline(content)}</strike>", styles[DELETED]))
        else:
            story.append(Paragraph(_inline(content), styles[kind]))

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=document.title,
        author=document.author,
        subject=document.subtitle,
        lang=document.language,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )

    def number_pages(canvas, doc):
        canvas.saveState()
        canvas.setFont("CharteSans", 8)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"{doc.page}")
        canvas.drawString(2 * cm, 1.2 * cm, document.title[:90])
        canvas.restoreState()

    pdf.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return buffer.getvalue()


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


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("pdf", "odt", "docx")


def _meta_title(title):
    from odf.dc import Title

    return Title(text=title)


def download(document: Document, format: str, filename: str):
    """The HTTP response that hands ``document`` over as ``filename``.pdf, .odt or .docx."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    if format == "odt":
        body, content_type = render_odt(document), "application/vnd.oasis.opendocument.text"
    elif format == "docx":
        body, content_type = render_docx(document), DOCX_TYPE
    else:
        body, content_type = render_pdf(document), "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    # Slugs may hold accents: the header encodes them (RFC 6266) rather than failing.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{format}"
    )
    return response
