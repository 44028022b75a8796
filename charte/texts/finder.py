"""Find a paragraph of a long text by its reference (« art. 12 § 3 », « 12.3 », « article 12 »)
or by words: the editor's paragraph chooser, server-side, a short list at a time."""

from __future__ import annotations

import re
import unicodedata

RESULTS = 12

# « art. 12 § 3 », « Article 12, alinéa 3 », « article 12 al. 3 », « 12.3 », « 12 § 3 », « 12 »
REFERENCE = re.compile(
    r"^\s*(?:art(?:icle)?\.?\s*)?(\d{1,4})"
    r"(?:\s*(?:§|,|\.|al(?:in[eé]a)?\.?|para(?:graph)?\.?|paragraphe)\s*(\d{1,3}))?\s*$",
    re.IGNORECASE,
)


def folded(text: str) -> str:
    """Lower case, without accents, every space one space: what words are compared on."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def find_paragraphs(paragraphs, query: str, limit: int = RESULTS) -> tuple[list, int]:
    """The paragraphs (of an outline, in order) that ``query`` designates: by reference
    (article, and paragraph within it), else those containing every word of it. Returns at
    most ``limit`` of them and how many matched in all."""
    query = (query or "").strip()
    if not query:
        return [], 0
    reference = REFERENCE.match(query)
    if reference:
        article, number = int(reference.group(1)), reference.group(2)
        found = [
            p
            for p in paragraphs
            if p.article_number == article and (number is None or p.number == int(number))
        ]
    else:
        words = folded(query).split()
        found = [p for p in paragraphs if all(w in folded(p.text) for w in words)]
    return found[:limit], len(found)
