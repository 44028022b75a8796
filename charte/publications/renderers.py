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

import io
import os
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

HEADING, PARAGRAPH, QUOTE, NOTE, LIST, TABLE, INSERTED, DELETED = (
    "heading",
    "paragraph",
    "quote",
    "note",
    "list",
    "table",
    "inserted",
    "deleted",
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
            grid = Table(data, repeatRows=1, hAlign="LEFT")
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
        ParagraphProperties,
        Style,
        TableCellProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

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
        elif kind in (INSERTED, DELETED):
            run = word.add_paragraph().add_run(content)
            run.font.underline = kind == INSERTED
            run.font.strike = kind == DELETED
        else:
            word.add_paragraph(content)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


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
