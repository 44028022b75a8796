"""Look-alike names: NFKC normalisation, refused invisible characters and the Unicode TR39
confusables skeleton, so that « Le Mаire » (a Cyrillic а) reads as « Le Maire »."""

import unicodedata
from functools import lru_cache

# Bidirectional controls (embeddings, overrides, isolates, marks) and zero-width characters;
# every format character (category Cf) is refused as well.
BIDI_AND_INVISIBLE = frozenset(
    [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)


def has_invisible(value: str) -> bool:
    """Whether ``value`` holds a zero-width, bidirectional control or other format character."""
    return any(
        ord(char) in BIDI_AND_INVISIBLE or unicodedata.category(char) == "Cf" for char in value
    )


def normalise(value: str) -> str:
    """NFKC, with runs of white space collapsed into one space."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


@lru_cache(maxsize=1)
def _prototypes() -> dict:
    """Each confusable character → the one representative of its class of look-alikes.

    The data are Unicode's confusables.txt (TR39) as shipped by confusable_homoglyphs, which
    lists each pair in both directions; the classes are joined and each is named by an ASCII
    member when it has one, so that Latin look-alikes fold onto plain letters."""
    from confusable_homoglyphs.confusables import confusables_data

    parent = {}

    def find(char):
        parent.setdefault(char, char)
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    multi = {}
    for char, entries in confusables_data.items():
        for entry in entries:
            other = entry["c"].replace("\u200e", "").replace("\u200f", "")
            if len(other) == 1:
                parent[find(char)] = find(other)
            elif other and len(entries) == 1:
                multi[char] = other
    members = {}
    for char in list(parent):
        members.setdefault(find(char), []).append(char)

    def rank(char):
        return (not char.isascii(), -len(confusables_data.get(char, ())), char)

    table = {}
    for group in members.values():
        name = min(group, key=rank)
        for char in group:
            table[char] = name
    for char, other in multi.items():
        table.setdefault(char, other)
    return table


def skeleton(value: str) -> str:
    """The TR39 skeleton of ``value``, case-folded: two names with the same skeleton look
    alike."""
    table = _prototypes()

    def mapped(text):
        text = unicodedata.normalize("NFD", text)
        return unicodedata.normalize("NFD", "".join(table.get(char, char) for char in text))

    # Mapped in every case: small look-alikes (Latin ɑ), then capitals (Cyrillic М, and I, which
    # TR39 confuses with l), then the folded result, so that the key ignores case as well.
    return mapped(mapped(mapped(normalise(value)).upper()).casefold())


def unaccented_skeleton(value: str) -> str:
    """The skeleton without accents, to find a reserved word however it is written."""
    return "".join(char for char in skeleton(value) if not unicodedata.combining(char))
