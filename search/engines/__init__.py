"""Search engines. Every engine indexes :class:`search.documents.Entry` objects and answers
:class:`Query` objects with :class:`Results`: the embedded database engine by default,
Elasticsearch when ``ELASTICSEARCH_URL`` is set."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY = 1000
MAX_TERMS = 12  # distinct words of a query sent to the engine; the rest are dropped
PER_PAGE = 20
FACETS = (
    "kind",
    "charter_id",
    "iteration_id",
    "article",
    "amendment_status",
    "author_type",
    "origin",
    "language",
)


class EngineUnavailable(Exception):
    """The engine is down or did not answer in time."""


def engine_errors() -> tuple[type[BaseException], ...]:
    """What a failing engine raises while indexing, to be tried again later: the engine said it
    is unavailable, or its transport or server failed (Elasticsearch)."""
    from django.conf import settings

    errors: tuple[type[BaseException], ...] = (EngineUnavailable,)
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        from elasticsearch import exceptions, helpers

        errors += (exceptions.ApiError, exceptions.TransportError, helpers.BulkIndexError)
    return errors


class SearchTooSlow(Exception):
    """The search itself took longer than its budget (``SEARCH_STATEMENT_TIMEOUT_MS``): the
    engine is up, the query must be narrowed."""


def timeout_ms() -> int:
    """The time a search may take in the engine, in milliseconds."""
    from django.conf import settings

    return max(1, int(getattr(settings, "SEARCH_STATEMENT_TIMEOUT_MS", 3000)))


def count_limit() -> int:
    """Past this many matches a search stops counting (``SEARCH_COUNT_LIMIT``): the reader is
    told « more than … results », and the facets and the ranking are those of the first matches
    read."""
    from django.conf import settings

    return max(1, int(getattr(settings, "SEARCH_COUNT_LIMIT", 10_000)))


def clean_query(text: str) -> str:
    """What people typed, made safe to pass on: no NUL or control characters, at most
    MAX_QUERY characters, spaces collapsed."""
    text = "".join(ch if ch.isprintable() else " " for ch in (text or "")[: MAX_QUERY * 2])
    return " ".join(text.split())[:MAX_QUERY]


_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'"[^"]*"?|\S+')


def bound_terms(text: str) -> tuple[str, int]:
    """The query with at most MAX_TERMS words, and how many words were left out past that cap.
    Outside quotes, a word said twice counts once and a word shorter than two characters
    (« a », the « l » of « l’élu ») is dropped, but numbers are kept (amendment 7); inside
    quotes every word stays, so that the phrase still means what it says. A leading ``-``
    still excludes a word; other punctuation is dropped, as the engines ignore it anyway."""
    kept, seen, count, dropped = [], set(), 0, 0
    for token in _TOKEN.findall(text or ""):
        phrase = token.startswith('"')
        negated = not phrase and token.startswith("-")
        words = []
        for word in _WORD.findall(token):
            folded = word.casefold()
            if not phrase and ((len(word) < 2 and not word.isdigit()) or folded in seen):
                continue
            if count >= MAX_TERMS:
                dropped += 1
                continue
            seen.add(folded)
            count += 1
            words.append(word)
        if not words:
            continue
        if phrase:
            kept.append('"' + " ".join(words) + '"')
        else:
            kept.append(("-" if negated else "") + " ".join(words))
    return " ".join(kept), dropped


@dataclass
class Query:
    text: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> value (as a string)
    date_from: object = None
    date_to: object = None
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = PER_PAGE
    # The reader's language: among equally good matches, its entries come first.
    language: str = ""
    # A facet whose every value is wanted (the page's « see all values »), however many.
    more: str = ""


@dataclass
class Hit:
    key: str
    kind: str
    title: str
    excerpt: str  # safe HTML: the text escaped, matches in <mark>
    url: str
    date: object
    language: str
    charter_title: str
    iteration_title: str
    article: int | None
    amendment_status: str
    author_type: str


@dataclass
class Results:
    total: int
    hits: list
    facets: dict  # facet name -> [(value, count)], most frequent first
    page: int
    per_page: int
    # Readable labels of facet values that are ids, when the engine's entries carry them:
    # facet name -> {value: label}; None when the engine leaves labelling to the site.
    labels: dict | None = None
    # How many distinct values a facet has when ``facets`` lists only the most frequent of
    # them: facet name -> count (a facet not named here is listed whole).
    sizes: dict = field(default_factory=dict)
    # True when the search stopped counting at ``SEARCH_COUNT_LIMIT``: ``total`` is that bound
    # and there are more.
    total_is_lower_bound: bool = False
    # True when the facet counts (and the ranking) are those of ``SEARCH_COUNT_LIMIT`` matches
    # only, the first the index handed over.
    facets_approximate: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def get_engine(*, for_indexing: bool = False):
    """The configured engine. ``for_indexing``: for the worker and rebuilds, which may wait
    longer and retry; a web request waits at most 2 seconds and never retries."""
    from django.conf import settings

    if getattr(settings, "ELASTICSEARCH_URL", ""):
        from .elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine(settings.ELASTICSEARCH_URL, for_indexing=for_indexing)
    from .database import DatabaseEngine

    return DatabaseEngine()
