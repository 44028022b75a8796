"""Read a draft (Word, OpenDocument, Markdown, pasted HTML or text) into one neutral list of
blocks: headings with their level, paragraphs, list items, tables, images, footnotes.

Each paragraph, heading and list item carries a small HTML fragment limited to ``<strong>``,
``<em>``, ``<a href>``, ``<br>`` (and ``<ol>``/``<ul>``/``<li>``), built here from escaped text:
no markup of the document passes through. :func:`paragraph_value` turns a fragment into what
a paragraph block of the body stores; it is the one place to change when paragraphs become
rich text. The characters of the document are kept exactly (’ « » — œ, no-break spaces).

:mod:`charte.texts.drafts` turns the blocks into sections, articles and paragraphs.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from charte.core.exceptions import Refused

HEADING, PARAGRAPH, ITEM, TABLE, IMAGE = "heading", "paragraph", "item", "table", "image"


class ImportRefused(Refused):
    """A document that cannot be read; ``message`` says why, in the user's language."""


@dataclass
class Block:
    kind: str
    html: str = ""
    level: int = 0  # heading level (1 = highest), list depth
    rows: list = field(default_factory=list)  # a table's cells, as text
    notes: list = field(default_factory=list)  # footnotes cited here: (mark, text)

    @cached_property
    def text(self) -> str:
        return fragment_text(self.html)


# -- the fragment → the body -------------------------------------------------------------


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.link: list = []
        self.lists: list[list] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.link.append((dict(attrs).get("href") or "", len(self.out)))
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("ol", "ul"):
            self.lists.append([tag, 0])
        elif tag == "li":
            if self.out and not "".join(self.out).endswith("\n"):
                self.out.append("\n")
            if self.lists:
                self.lists[-1][1] += 1
                kind, number = self.lists[-1]
                self.out.append(f"{number}. " if kind == "ol" else "– ")

    def handle_endtag(self, tag):
        if tag == "a" and self.link:
            href, start = self.link.pop()
            label = "".join(self.out[start:])
            if href and href != label and not href.startswith("#"):
                self.out.append(f" ({href})")
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def fragment_text(fragment: str) -> str:
    parser = _TextOf()
    parser.feed(fragment or "")
    parser.close()
    lines = "".join(parser.out).split("\n")
    return "\n".join(line.strip(" \t") for line in lines if line.strip(" \t")).strip()


def paragraph_value(fragment: str) -> str:
    """The words of an imported fragment, as plain text: list items become lines, emphasis is
    dropped, a link becomes « text (address) ». What the preview shows and what identities are
    matched on; the paragraph itself is stored as :func:`paragraph_rich_text`."""
    return fragment_text(fragment)


_RICH_TAGS = {
    "<strong>": "<b>",
    "</strong>": "</b>",
    "<em>": "<i>",
    "</em>": "</i>",
    "<br>": "<br/>",
}


_TAG_MARK = "\ue001"  # stands for an inline tag while the words are put into typography
_BLOCK_TAG = re.compile(r"</?(?:p|li|ol|ul|br)\b", re.IGNORECASE)


def paragraph_rich_text(fragment: str, typography=lambda text: text) -> str:
    """What a paragraph block stores for an imported fragment: Wagtail rich text (bold,
    italic, links, lists; see ``charte.texts.richtext``), with ``typography`` applied to its
    words only — never to a tag or an address. Typography reads the words of each paragraph or
    list item as one text, emphasis and links included, so that quotation marks around an
    emphasised title pair up (« <i>Le Port</i> »)."""
    out: list[str] = []
    words: list[str] = []
    tags: list[str] = []

    def flush():
        if not words:
            return
        text = "".join(words)
        chunks = html.escape(typography(text), quote=False).split(_TAG_MARK)
        if len(chunks) != len(tags) + 1:  # never expected: then each text node on its own
            chunks = [
                html.escape(typography(piece), quote=False) for piece in text.split(_TAG_MARK)
            ]
        for chunk, tag in zip(chunks, [*tags, ""], strict=True):
            out.extend((chunk, tag))
        words.clear()
        tags.clear()

    for part in re.split(r"(<[^>]+>)", fragment):
        if part.startswith("<"):
            tag = _RICH_TAGS.get(part, part)
            if _BLOCK_TAG.match(part):
                flush()
                out.append(tag)
            else:
                words.append(_TAG_MARK)
                tags.append(tag)
        elif part:
            words.append(html.unescape(part).replace(_TAG_MARK, ""))
    flush()
    body = "".join(out).strip()
    if not body:
        return ""
    return body if body.startswith(("<ol", "<ul", "<p")) else f"<p>{body}</p>"


def _inline(text: str, *, bold=False, italic=False, href="") -> str:
    out = html.escape(text, quote=False)
    if bold:
        out = f"<strong>{out}</strong>"
    if italic:
        out = f"<em>{out}</em>"
    if href:
        out = f'<a href="{html.escape(href)}">{out}</a>'
    return out


def _tidy(fragment: str) -> str:
    fragment = re.sub(r"</strong><strong>|</em><em>", "", fragment)
    return re.sub(r"^(?:\s|<br>)+|(?:\s|<br>)+$", "", fragment)


# -- DOCX ----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}rPr", f"{W}pPr", f"{W}instrText"}


def _on(props, name) -> bool:
    if props is None:
        return False
    element = props.find(f"{W}{name}")
    return element is not None and element.get(f"{W}val") not in ("0", "false", "none")


def _docx_heading_level(paragraph, styles) -> int:
    style_id = ""
    ppr = paragraph.find(f"{W}pPr")
    if ppr is not None:
        outline = ppr.find(f"{W}outlineLvl")
        if outline is not None and outline.get(f"{W}val", "").isdigit():
            level = int(outline.get(f"{W}val")) + 1
            return level if level <= 6 else 0
        style = ppr.find(f"{W}pStyle")
        style_id = style.get(f"{W}val", "") if style is not None else ""
    name = styles.get(style_id, style_id).lower().replace(" ", "")
    found = re.match(r"(?:heading|titre)(\d)$", name)
    if found:
        return int(found.group(1))
    if name == "title":
        return 1
    return 0


def read_docx(data: bytes) -> list[Block]:
    """A Word document: headings by style or outline level, lists by numbering, emphasis,
    links, footnotes; tracked changes are read as accepted (insertions kept, deletions left)."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    document = docx.Document(io.BytesIO(data))
    part = document.part
    styles = {s.style_id: s.name or "" for s in document.styles}
    links = {rel.rId: rel.target_ref for rel in part.rels.values() if rel.is_external}
    footnotes: dict[str, str] = {}
    for rel in part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(f"{W}footnote"):
                text = "".join(t.text or "" for t in note.iter(f"{W}t")).strip()
                if text:
                    footnotes[note.get(f"{W}id")] = text
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}tbl":
            rows = [
                [
                    " ".join("".join(t.text or "" for t in cell.iter(f"{W}t")).split())
                    for cell in row.iter(f"{W}tc")
                ]
                for row in element.iter(f"{W}tr")
            ]
            blocks.append(Block(TABLE, rows=rows))
            continue
        if element.tag != f"{W}p":
            continue
        pieces, notes, found = [], [], {"image": False}
        _docx_walk(element, "", pieces, notes, found, links, footnotes)
        image = found["image"]
        fragment = _tidy("".join(pieces))
        if image:
            blocks.append(Block(IMAGE))
        if not fragment_text(fragment):
            continue
        level = _docx_heading_level(element, styles)
        ppr = element.find(f"{W}pPr")
        numbering = ppr.find(f"{W}numPr") if ppr is not None else None
        if level:
            blocks.append(Block(HEADING, fragment, level))
        elif numbering is not None or styles.get(_style_id(ppr), "").lower().startswith("list"):
            depth = numbering.find(f"{W}ilvl") if numbering is not None else None
            blocks.append(
                Block(
                    ITEM,
                    fragment,
                    int(depth.get(f"{W}val", "0")) if depth is not None else 0,
                    notes=notes,
                )
            )
        else:
            blocks.append(Block(PARAGRAPH, fragment, notes=notes))
    return blocks


def _docx_walk(node, href, pieces, notes, found, links, footnotes):
    """The fragment of a Word paragraph: its runs, links and footnote marks, in order."""
    for child in node.iterchildren():
        if child.tag in _SKIPPED:
            continue
        if child.tag == f"{W}hyperlink":
            target = links.get(child.get(f"{R}id"), "") or href
            _docx_walk(child, target, pieces, notes, found, links, footnotes)
        elif child.tag == f"{W}r":
            props = child.find(f"{W}rPr")
            style = props.find(f"{W}rStyle") if props is not None else None
            style_name = (style.get(f"{W}val", "") if style is not None else "").lower()
            bold = _on(props, "b") or style_name == "strong"
            italic = _on(props, "i") or style_name == "emphasis"
            for item in child.iterchildren():
                if item.tag == f"{W}t":
                    pieces.append(_inline(item.text or "", bold=bold, italic=italic, href=href))
                elif item.tag == f"{W}tab":
                    pieces.append(" ")
                elif item.tag in (f"{W}br", f"{W}cr"):
                    pieces.append("<br>")
                elif item.tag == f"{W}footnoteReference":
                    note_id = item.get(f"{W}id")
                    if note_id in footnotes:
                        notes.append((note_id, footnotes[note_id]))
                        pieces.append(f"[{note_id}]")
                elif item.tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                    found["image"] = True
        else:
            _docx_walk(child, href, pieces, notes, found, links, footnotes)


def _style_id(ppr) -> str:
    if ppr is None:
        return ""
    style = ppr.find(f"{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


# -- ODT -----------------------------------------------------------------------------------


def read_odt(data: bytes) -> list[Block]:
    """An OpenDocument text: headings, lists, emphasis (by the styles' weight and slant),
    links, notes; tracked changes are read as accepted (the deleted text is left out)."""
    from odf import opendocument
    from odf.namespaces import DRAWNS, FONS, STYLENS, TABLENS, TEXTNS, XLINKNS
    from odf.style import Style
    from odf.table import TableRow

    document = opendocument.load(io.BytesIO(data))
    emphasis: dict[str, tuple[bool, bool]] = {}
    parents: dict[str, str] = {}
    for container in (document.automaticstyles, document.styles):
        for style in container.getElementsByType(Style):
            name = style.getAttrNS(STYLENS, "name")
            parents[name] = style.getAttrNS(STYLENS, "parent-style-name") or ""
            for props in style.childNodes:
                if props.qname == (STYLENS, "text-properties"):
                    emphasis[name] = (
                        props.getAttrNS(FONS, "font-weight") == "bold",
                        props.getAttrNS(FONS, "font-style") == "italic",
                    )
    blocks: list[Block] = []

    def inline(node, bold=False, italic=False, href="", notes=None):
        out = []
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                out.append(_inline(str(child.data), bold=bold, italic=italic, href=href))
                continue
            tag = child.qname
            if tag == (TEXTNS, "span"):
                b, i = emphasis.get(child.getAttrNS(TEXTNS, "style-name") or "", (False, False))
                out.append(inline(child, bold or b, italic or i, href, notes))
            elif tag == (TEXTNS, "a"):
                out.append(inline(child, bold, italic, child.getAttrNS(XLINKNS, "href"), notes))
            elif tag == (TEXTNS, "s"):
                out.append(" " * int(child.getAttrNS(TEXTNS, "c") or 1))
            elif tag == (TEXTNS, "tab"):
                out.append(" ")
            elif tag == (TEXTNS, "line-break"):
                out.append("<br>")
            elif tag == (TEXTNS, "note"):
                citation = body = ""
                for part in child.childNodes:
                    if part.qname == (TEXTNS, "note-citation"):
                        citation = str(part)
                    elif part.qname == (TEXTNS, "note-body"):
                        body = " ".join(str(p) for p in part.childNodes).strip()
                if notes is not None and body:
                    notes.append((citation, body))
                    out.append(f"[{citation}]")
            elif tag == (DRAWNS, "frame"):
                blocks.append(Block(IMAGE))
            elif tag in ((TEXTNS, "tracked-changes"), (TEXTNS, "bookmark")):
                continue
            else:
                out.append(inline(child, bold, italic, href, notes))
        return "".join(out)

    def heading_level(node) -> int:
        name = node.getAttrNS(TEXTNS, "style-name") or ""
        for _depth in range(5):
            found = re.match(r"Heading_20_(\d)$|Titre_20_(\d)$", name)
            if found:
                return int(found.group(1) or found.group(2))
            name = parents.get(name, "")
        return 0

    def walk(node, depth=-1):
        for child in node.childNodes:
            tag = getattr(child, "qname", None)
            if tag == (TEXTNS, "tracked-changes"):
                continue
            if tag in ((TEXTNS, "h"), (TEXTNS, "p")):
                notes: list = []
                fragment = _tidy(inline(child, notes=notes))
                if not fragment_text(fragment):
                    continue
                if tag == (TEXTNS, "h"):
                    level = int(child.getAttrNS(TEXTNS, "outline-level") or 1)
                    blocks.append(Block(HEADING, fragment, level))
                elif depth >= 0:
                    blocks.append(Block(ITEM, fragment, depth, notes=notes))
                elif heading_level(child):
                    blocks.append(Block(HEADING, fragment, heading_level(child)))
                else:
                    blocks.append(Block(PARAGRAPH, fragment, notes=notes))
            elif tag == (TEXTNS, "list"):
                walk(child, depth + 1)
            elif tag == (TABLENS, "table"):
                rows = []
                for row in child.getElementsByType(TableRow):
                    rows.append([" ".join(str(cell).split()) for cell in row.childNodes])
                blocks.append(Block(TABLE, rows=rows))
            elif tag is not None:
                walk(child, depth)

    walk(document.text)
    return blocks


# -- HTML, Markdown, plain text ----------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt"}


class _HtmlReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.kind, self.level = PARAGRAPH, 0
        self.bold = self.italic = 0
        self.href: list[str] = []
        self.depth = -1
        self.table: list | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def flush(self):
        fragment = _tidy("".join(self.pieces))
        self.pieces = []
        if fragment_text(fragment):
            self.blocks.append(Block(self.kind, fragment, self.level))
        self.kind, self.level = (ITEM, self.depth) if self.depth >= 0 else (PARAGRAPH, 0)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag == "table":
            self.flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "img":
            self.blocks.append(Block(IMAGE))
        elif tag in ("ul", "ol"):
            self.flush()
            self.depth += 1
            self.kind, self.level = ITEM, self.depth
        elif tag in _BLOCK_TAGS:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.kind, self.level = HEADING, int(tag[1])
            elif tag == "li":
                self.kind, self.level = ITEM, max(self.depth, 0)
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em"):
            self.italic += 1
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")
        elif tag == "br":
            self.pieces.append("<br>")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skip = max(self.skip - 1, 0)
        elif tag == "table" and self.table is not None:
            self.blocks.append(Block(TABLE, rows=self.table))
            self.table = None
        elif tag in ("td", "th") and self.cell is not None and self.table:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag in ("ul", "ol"):
            self.flush()
            self.depth -= 1
            self.kind, self.level = (ITEM, self.depth) if self.depth >= 0 else (PARAGRAPH, 0)
        elif tag in _BLOCK_TAGS:
            self.flush()
        elif tag in ("b", "strong"):
            self.bold = max(self.bold - 1, 0)
        elif tag in ("i", "em"):
            self.italic = max(self.italic - 1, 0)
        elif tag == "a" and self.href:
            self.href.pop()

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        if self.table is not None:
            return
        data = re.sub(r"[ \t\r\n]+", " ", data)
        href = next((h for h in reversed(self.href) if h), "")
        self.pieces.append(_inline(data, bold=self.bold > 0, italic=self.italic > 0, href=href))

    def close(self):
        super().close()
        self.flush()


def read_html(text: str) -> list[Block]:
    reader = _HtmlReader()
    reader.feed(text)
    reader.close()
    return reader.blocks


def read_markdown(text: str) -> list[Block]:
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return read_html(renderer.render(text))


_ITEM_LINE = re.compile(r"^\s*(?:[-–•*]|\d+[.)°])\s+")


def read_text(text: str) -> list[Block]:
    """Pasted text: one paragraph a line; lines starting with a dash, a bullet or a number
    are list items."""
    blocks = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            continue
        if _ITEM_LINE.match(line):
            blocks.append(Block(ITEM, html.escape(_ITEM_LINE.sub("", line).strip(), quote=False)))
        else:
            blocks.append(Block(PARAGRAPH, html.escape(line.strip(), quote=False)))
    return blocks


# -- the file's type, by its content -------------------------------------------------------

DOCX, ODT, MARKDOWN, HTML, TEXT = "docx", "odt", "markdown", "html", "text"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A document's XML may not unpack to more than this (a compressed bomb is refused unread).
MAX_UNPACKED = 200 * 1024 * 1024


def sniff(data: bytes, name: str = "") -> str:
    """The kind of document ``data`` holds, from its content (the name only tells Markdown
    from plain text); refuses anything else."""
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ImportRefused(_("This document is too large once unpacked."))
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return ODT
        except zipfile.BadZipFile:
            raise ImportRefused(_("This file is damaged: it cannot be read.")) from None
        raise ImportRefused(_(_WRONG_TYPE))
    if b"\x00" in data[:4096]:
        raise ImportRefused(_(_WRONG_TYPE))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_(_WRONG_TYPE)) from None
    if re.search(r"<(?:p|h[1-6]|ul|ol|li|div|table|html|body|br)\b", text[:20000], re.I):
        return HTML
    if name.lower().endswith((".md", ".markdown")) or re.search(r"^#{1,6} ", text, re.M):
        return MARKDOWN
    return TEXT


_WRONG_TYPE = (
    "This file is not a document that can be imported: send a Word (.docx) or OpenDocument "
    "(.odt) file, Markdown, HTML or plain text."
)


def read(data: bytes, name: str = "") -> tuple[str, list[Block]]:
    """The kind and the blocks of a document; :class:`ImportRefused` if it cannot be read."""
    kind = sniff(data, name)
    try:
        if kind == DOCX:
            blocks = read_docx(data)
        elif kind == ODT:
            blocks = read_odt(data)
        else:
            text = data.decode("utf-8-sig")
            reader = {HTML: read_html, MARKDOWN: read_markdown, TEXT: read_text}[kind]
            blocks = reader(text)
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001  (a damaged file fails anywhere in its parser)
        raise ImportRefused(_("This file is damaged: it cannot be read.")) from None
    if not any(b.kind in (HEADING, PARAGRAPH, ITEM) for b in blocks):
        raise ImportRefused(_("This document is empty: there is no text to import."))
    return kind, blocks
