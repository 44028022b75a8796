"""What a word is to search: the same normalisation of the indexed text and of the query, so that
SQLite and PostgreSQL match the same way (Elasticsearch does it in its own analyzer).

Each word is lower-cased, brought to its dictionary form by a lemmatizer (``simplemma``: « élus »,
« élue » → « élu », « journaux » → « journal », « pétitions » → « pétition », never
« petit »), folded without accents (« élu » → ``elu``), then lightly trimmed so that the forms a
dictionary keeps apart still meet (``vote``/``voter`` → ``vot``, unknown plurals lose their
``s``). Elided articles (« l’élu ») and one-letter words go; numbers stay (« amendement 3 »,
« article 12 »), ordinals too (« 12e », « 1er » → ``12``, ``1``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

WORD = re.compile(r"[^\W_]+", re.UNICODE)
ORDINAL = re.compile(r"^(\d+)(?:er|re|e|eme|ème|nd|nde|d|de)$")
LANGUAGES = ("fr", "en")
# Words too common to narrow a search: never indexed, dropped from queries.
_STOP = (
    "a à au aux avec ce ces cet cette dans de des du elle en et il ils la le les leur leurs lui "
    "ma mais me mes mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta "
    "te tes toi ton tu un une vos votre vous y est sont été être the of and to in an is are be "
    "for on by with this that it or as at"
)
STOP_WORDS = frozenset(_STOP.split())
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(word: str) -> str:
    """Lower case without accents: « Élu » → ``elu``, « cœur » → ``coeur``."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _trim(word: str) -> str:
    """The light end of the French stemming, on a folded word: what is left of plural and feminine
    endings and of the infinitive, so that « vote », « votes » and « voter » meet."""
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        word = word[:-1]
    if len(word) >= 5 and word.endswith("er"):
        word = word[:-2]
    while len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def term(word: str, language: str = "fr") -> str:
    """The index term of one word (already lower-cased), or "" if it is not searched."""
    if word in STOP_WORDS:
        return ""
    if word.isdigit():
        return word.lstrip("0") or "0"
    ordinal = ORDINAL.match(word)
    if ordinal:
        return ordinal.group(1).lstrip("0") or "0"
    if len(word) < 2:
        return ""
    lang = language if language in LANGUAGES else "fr"
    lemma = fold(simplemma.lemmatize(word, lang=lang).lower())
    return _trim(lemma) if lang == "fr" else lemma


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def terms(text: str, language: str = "fr") -> list[str]:
    """The index terms of a text, in order (stop words and one-letter words left out)."""
    out = []
    for word in words(text or ""):
        found = term(word, language)
        if found:
            out.append(found)
    return out


def index_text(text: str, language: str = "fr") -> str:
    """What the embedded engine indexes for a text: its terms, separated by spaces."""
    return " ".join(terms(text, language))


def query_variants(word: str) -> list[str]:
    """The terms a typed word may stand for: its French and its English reading (a query has no
    language; entries in each language were indexed with their own)."""
    variants = []
    for language in LANGUAGES:
        found = term(word.lower(), language)
        if found and found not in variants:
            variants.append(found)
    return variants
