"""The restricted rich text of a paragraph: emphasis, links and lists, nothing else.

A paragraph is stored as Wagtail rich text (HTML). Everything that compares, searches, counts
or amends a paragraph reads its *text* (:func:`plain_text`); the public page and the printed
documents show its *markup* (:func:`safe_html`), rebuilt from an allow-list so that a script,
a style or a ``javascript:`` link in stored data never reaches a reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import mark_safe

# What the editor offers for a paragraph (Wagtail's Draftail feature names).
FEATURES = ["bold", "italic", "link", "ol", "ul"]

INLINE = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}
BLOCKS = {"p", "ol", "ul", "li"}
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "noscript", "svg"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "/", "#")


def plain_to_html(text: str) -> str:
    """Plain text as rich text: blank lines separate paragraphs, a line break stays one."""
    blocks = [b for b in re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n")) if b.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line, quote=False) for line in block.split("\n")) + "</p>"
        for block in blocks
    )


def is_markup(source: str) -> bool:
    """Rich text starts with a tag; a plain text (stored before paragraphs became rich text,
    or typed by a program) does not."""
    return str(source or "").lstrip().startswith("<")


class _Reader(HTMLParser):
    """Walks stored rich text once, producing its plain text and its allow-listed markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.html: list[str] = []
        self.open: list[str] = []  # the allowed tags opened, to close them in order
        self.skipping = 0
        self.lists: list[list] = []  # [kind, counter] of each open list

    def _break(self, separator):
        """A block starts: what came before ends with ``separator`` (if anything came)."""
        current = "".join(self.text).rstrip(" \n")
        self.text = [current + separator] if current else []

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag == "br":
            self.html.append("<br/>")
            self.text.append("\n")
        elif tag in INLINE:
            self.html.append(f"<{INLINE[tag]}>")
            self.open.append(INLINE[tag])
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if href.lower().startswith(SAFE_SCHEMES) and not href.lower().startswith("//"):
                self.html.append(f'<a href="{escape(href)}">')
            else:
                self.html.append("<a>")
            self.open.append("a")
        elif tag in BLOCKS:
            self._break("\n\n" if tag in ("p", "ol", "ul") and not self.lists else "\n")
            if tag in ("ol", "ul"):
                self.lists.append([tag, 0])
            elif tag == "li" and self.lists:
                self.lists[-1][1] += 1
                kind, count = self.lists[-1]
                self.text.append(f"{count}. " if kind == "ol" else "– ")
            self.html.append(f"<{tag}>")
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        name = INLINE.get(tag, tag)
        if name in self.open:
            while self.open:
                last = self.open.pop()
                self.html.append(f"</{last}>")
                if last == name:
                    break
            if tag in ("ol", "ul") and self.lists:
                self.lists.pop()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.skipping:
            return
        self.html.append(escape(data, quote=False))
        self.text.append(data)

    def result(self):
        while self.open:
            self.html.append(f"</{self.open.pop()}>")
        text = "".join(self.text)
        lines = [line.rstrip() for line in text.replace("\r", "").split("\n")]
        return "\n".join(lines).strip(), "".join(self.html)


def _read(value) -> tuple[str, str]:
    source = getattr(value, "source", value)
    reader = _Reader()
    reader.feed(str(source or ""))
    reader.close()
    return reader.result()


def plain_text(value) -> str:
    """The words of a rich text (or of a plain text): paragraphs separated by a blank line,
    line breaks kept, list items on their own line (numbered or dashed)."""
    source = str(getattr(value, "source", value) or "")
    if not is_markup(source):
        return source
    return _read(value)[0]


def clean_html(value) -> str:
    """The allow-listed markup of a rich text, as a string (stored in frozen rows)."""
    source = str(getattr(value, "source", value) or "")
    if not is_markup(source):
        return plain_to_html(source)
    from wagtail.rich_text import expand_db_html

    return _read(expand_db_html(source))[1]


def safe_html(value):
    """The markup to show a reader: allow-listed again, whatever was stored."""
    return mark_safe(_read(value)[1]) if value else ""


@dataclass(frozen=True)
class Run:
    """A stretch of a paragraph's words with one look: bold, italic, a link (``href``)."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class Block:
    """A paragraph (``p``: one item) or a list (``ul``, ``ol``: one item per list item, each
    with its nesting ``level``, 1 for the outer list) of a rich text, as runs."""

    kind: str
    items: list = field(default_factory=list)  # [(level, [Run, ...]), ...]


def add_run(runs: list[Run], text: str, *, bold: bool, italic: bool, href: str) -> None:
    """``text`` at the end of ``runs``: joined to the last run when it has the same look."""
    look = (bold, italic, href)
    last = runs[-1] if runs else None
    if last is not None and (last.bold, last.italic, last.href) == look:
        runs[-1] = Run(last.text + text, *look)
    else:
        runs.append(Run(text, *look))


class _Structure(HTMLParser):
    """Reads allow-listed markup (:func:`clean_html`'s) into blocks of runs, for documents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lists: list[str] = []
        self.bold = self.italic = 0
        self.href = ""
        self.runs: list[Run] | None = None

    def _start(self, kind):
        self._end()
        if kind == "p" or not self.blocks or self.blocks[-1].kind != kind:
            self.blocks.append(Block(kind))
        self.runs = []
        self.blocks[-1].items.append((max(1, len(self.lists)), self.runs))

    def _end(self):
        if self.runs is not None and not "".join(run.text for run in self.runs).strip():
            self.blocks[-1].items.pop()
            if not self.blocks[-1].items:
                self.blocks.pop()
        self.runs = None

    def handle_starttag(self, tag, attrs):
        if tag == "p" and not self.lists:
            self._start("p")
        elif tag in ("ul", "ol"):
            self._end()
            self.lists.append(tag)
        elif tag == "li" and self.lists:
            self._start(self.lists[-1] if len(self.lists) == 1 else self.lists[0])
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
        elif tag == "br":
            self.handle_data("\n")

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self._end()
        elif tag in ("ul", "ol") and self.lists:
            self._end()
            self.lists.pop()
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.href = ""

    def handle_data(self, data):
        if self.runs is None:
            if not data.strip():
                return
            self._start(self.lists[0] if self.lists else "p")
        add_run(self.runs, data, bold=bool(self.bold), italic=bool(self.italic), href=self.href)

    def result(self) -> list[Block]:
        self._end()
        return self.blocks


def blocks(value) -> list[Block]:
    """A rich text (or a plain text) as paragraphs and lists of runs, from its allow-listed
    markup: what Word, OpenDocument and PDF documents print with emphasis, links and lists."""
    source = str(getattr(value, "source", value) or "")
    markup = _read(source)[1] if is_markup(source) else plain_to_html(source)
    reader = _Structure()
    reader.feed(markup)
    reader.close()
    return reader.result()
