"""Word-level differences between two wordings, for people to read.

Words are compared whole (accents are letters: « élu » and « élus » are two words), and each
punctuation mark is a token of its own, so that a changed comma shows as a changed comma. The
HTML uses ``<del>``/``<ins>`` with a text label for screen readers and a visible mark in the
stylesheet, so that the difference never depends on colour alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

TOKEN = re.compile(r"\w+(?:[’'-]\w+)*|\s+|[^\w\s]", re.UNICODE)
# Every kind of space (no-break, narrow no-break, thin…) and the invisible joiners.
SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+", re.UNICODE)
SPACE_BEFORE = re.compile(r" (?=[;:!?»])")
SPACE_AFTER = re.compile(r"(?<=«) ")


@dataclass(frozen=True)
class Chunk:
    op: str  # "equal", "insert" or "delete"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def typography_key(text: str) -> str:
    """The wording without its typography: one plain space for any run of spaces, no space
    before ; : ! ? » nor after «, and straight apostrophes for curly ones."""
    text = SPACES.sub(" ", text or "").strip()
    text = SPACE_AFTER.sub("", SPACE_BEFORE.sub("", text))
    return text.replace("’", "'")


def typography_only(old: str, new: str) -> bool:
    """The two wordings differ only by their spacing or apostrophes (say, a space that became
    a narrow no-break space before a colon): the words and punctuation are the same."""
    return (old or "") != (new or "") and typography_key(old) == typography_key(new)


def word_diff(old: str, new: str) -> list[Chunk]:
    """The chunks that turn ``old`` into ``new``; consecutive chunks never share an op."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    chunks: list[Chunk] = []

    def add(op, parts):
        text = "".join(parts)
        if not text:
            return
        if chunks and chunks[-1].op == op:
            chunks[-1] = Chunk(op, chunks[-1].text + text)
        else:
            chunks.append(Chunk(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            # A replaced run reads better as « removed words, then added words ».
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return _absorb_lone_spaces(chunks)


def _absorb_lone_spaces(chunks: list[Chunk]) -> list[Chunk]:
    """A single unchanged space between two changes is folded into them, so that a rewritten
    phrase shows as one deletion and one insertion rather than a word-by-word zigzag."""
    result: list[Chunk] = []
    for index, chunk in enumerate(chunks):
        lone = (
            chunk.op == "equal"
            and chunk.text.isspace()
            and 0 < index < len(chunks) - 1
            and chunks[index - 1].op != "equal"
            and chunks[index + 1].op != "equal"
        )
        if not lone:
            result.append(chunk)
            continue
        ops = _run_ops(chunks, index, -1) | _run_ops(chunks, index, 1)
        result.extend(Chunk(op, chunk.text) for op in ("delete", "insert") if op in ops)
    return _merge(result)


def _run_ops(chunks, index, step):
    """The kinds of change next to ``index``, going in direction ``step``."""
    ops = set()
    index += step
    while 0 <= index < len(chunks) and chunks[index].op != "equal":
        ops.add(chunks[index].op)
        index += step
    return ops


def _merge(chunks: list[Chunk]) -> list[Chunk]:
    """Regroup a run of changes as all its deletions, then all its insertions."""
    merged: list[Chunk] = []
    run: dict[str, str] = {}

    def flush():
        for op in ("delete", "insert"):
            if run.get(op):
                merged.append(Chunk(op, run[op]))
        run.clear()

    for chunk in chunks:
        if chunk.op == "equal":
            flush()
            merged.append(chunk)
        else:
            run[chunk.op] = run.get(chunk.op, "") + chunk.text
    flush()
    return merged


def diff_html(old: str, new: str) -> str:
    """The difference as inert HTML: the texts are escaped, only our tags are added."""
    if typography_only(old, new):
        note = _("Typography only: spacing or apostrophes changed, the wording is the same.")
        text = escape(new).replace("\n", "<br>")
        return mark_safe(f'<p class="diff__typography">{note}</p>{text}')
    removed, added = _("deleted text:"), _("added text:")
    parts = []
    for chunk in word_diff(old, new):
        text = escape(chunk.text).replace("\n", "<br>")
        if chunk.op == "equal":
            parts.append(text)
        elif chunk.op == "delete":
            parts.append(
                f'<del><span class="visually-hidden">[{removed} </span>{text}'
                f'<span class="visually-hidden">]</span></del>'
            )
        else:
            parts.append(
                f'<ins><span class="visually-hidden">[{added} </span>{text}'
                f'<span class="visually-hidden">]</span></ins>'
            )
    return mark_safe("".join(parts))
