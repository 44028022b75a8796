"""French typography for text that enters a version of the charter (an imported draft, an
accepted amendment): the text keeps its words, only its apostrophes, quotation marks and
spaces change.

- a straight apostrophe after a letter becomes ’ (« l’article »);
- "…" and << … >> become « … », with a no-break space (U+00A0) inside the marks;
- a narrow no-break space (U+202F) goes before ; : ! ? (a no-break space already there, as
  some word processors put before the colon, is kept);
- runs of spaces become one space.

Addresses (``https://…``, ``www.…``), e-mail addresses, times and ratios (10:30, 1:2) and
code between backquotes are never touched. :func:`french` is idempotent: text already in
French typography comes out unchanged, byte for byte.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = f"{NBSP}{NNBSP}"

# What is never touched: code, addresses, e-mail addresses, numbers joined by a colon.
_PROTECTED = re.compile(
    r"`[^`\n]*`"
    r"|\b[a-z][a-z0-9+.-]*://[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]"
    r"|\bwww\.[^\s<>«»\"]*[^\s<>«»\".,;:!?)\]]"
    r"|\bmailto:[^\s<>«»\"]+[^\s<>«»\".,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\d+(?::\d+)+",
    re.IGNORECASE,
)

_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'")
_ANGLE_QUOTES = re.compile(r"<<\s*(.*?)\s*>>", re.DOTALL)
_STRAIGHT_QUOTES = re.compile(r'"[ \t]*([^"\n]*?)[ \t]*"')
_AFTER_OPENING = re.compile(rf"«(?:[ \t]+|(?![{_SPACES}]))")
_BEFORE_CLOSING = re.compile(rf"(?:[ \t]+|(?<![{_SPACES}\n]))»")
# A mark that takes a narrow space: not at a line's start nor right after another mark.
_BEFORE_MARK = re.compile(rf"(?<=[^\s{_SPACES};:!?(\[«])[ \t]*(?=[;:!?])|[ \t]+(?=[;:!?])")
_MANY_SPACES = re.compile(r"(?<=\S) {2,}")


def _plain(text: str) -> str:
    text = _APOSTROPHE.sub("’", text)
    text = _ANGLE_QUOTES.sub(r"«\1»", text)
    text = _STRAIGHT_QUOTES.sub(r"«\1»", text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING.sub(NBSP + "»", text)
    text = _BEFORE_MARK.sub(NNBSP, text)
    return _MANY_SPACES.sub(" ", text)


def french(text: str) -> str:
    """``text`` in French typography (see the module's docstring)."""
    if not text:
        return text
    parts, kept, start = [], [], 0
    for match in _PROTECTED.finditer(text):
        parts.append(text[start : match.start()])
        kept.append(match.group(0))
        start = match.end()
    parts.append(text[start:])
    # Protected pieces are replaced by a private-use character while the rest is rewritten,
    # so that a mark right after an address still gets its space.
    marker = "\ue000"
    joined = marker.join(part.replace(marker, "") for part in parts)
    rewritten = _plain(joined).split(marker)
    out = [rewritten[0]]
    for piece, rest in zip(kept, rewritten[1:], strict=True):
        out += [piece, rest]
    return "".join(out)


def for_language(language: str):
    """The typography of a language's text: :func:`french` for French, else unchanged."""
    if (language or "").lower().startswith("fr"):
        return french
    return lambda text: text
