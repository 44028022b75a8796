"""The Elasticsearch engine, used when ``ELASTICSEARCH_URL`` is set: Elasticsearch 8.x, or
OpenSearch 2.x with ``ELASTICSEARCH_FLAVOUR = "opensearch"`` (the same client, sending plain
``application/json``, which OpenSearch requires, instead of Elasticsearch's compatibility type).

Documents are described with ``elasticsearch.dsl`` (shipped inside the official client). The
French analysis chain strips HTML, removes elisions (l', d', qu'…), lowercases, drops the
embedded engines' stop words, folds accents, reads ordinals as their number and applies the
light French stemmer. The index is versioned (``<alias>-<timestamp>``) behind an alias, so a
rebuild fills a new index and swaps the alias atomically. In a web request the client waits
at most 2 seconds and never retries; after a failure or a timeout, web requests leave the
engine alone for ``SEARCH_ENGINE_RETRY_AFTER`` seconds (a circuit breaker: search answers
« unavailable » at once meanwhile). The worker and the rebuild use longer timeouts and retries,
and no breaker.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import logging
import re
import unicodedata
import zoneinfo
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.utils.html import escape
from elastic_transport import HttpHeaders, Transport, TransportApiResponse
from elastic_transport import TransportError as BaseTransportError
from elasticsearch import Elasticsearch, helpers
from elasticsearch import exceptions as es_exceptions
from elasticsearch.dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Search,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl import (
    Q as ESQ,
)

from charte.core.breaker import CircuitBreaker

from . import (
    FACETS,
    EngineUnavailable,
    Hit,
    Query,
    Results,
    SearchTooSlow,
    bound_terms,
    timeout_ms,
)
from .database import STOP_WORDS

logger = logging.getLogger("search.engine")

START, STOP = "\x02", "\x03"
REQUEST_TIMEOUT = 2  # seconds, in a web request
INDEXING_TIMEOUT = 30

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stemmer = token_filter("french_light_stemmer", type="stemmer", language="light_french")
# Ordinals are their number, as on the embedded engines (``search.french.ORDINAL``, here on
# words already folded): « 12e », « 1er », « 2nde », « 3ème » → 12, 1, 2, 3.
ORDINAL_PATTERN = r"^(\d+)(?:er|re|e|eme|nd|nde|d|de)$"
french_ordinal = token_filter(
    "french_ordinal",
    type="pattern_replace",
    pattern=ORDINAL_PATTERN,
    replacement="$1",
)
# The embedded engines' words too common to narrow a search, dropped before accents are
# folded (« à » and « a », « où » and « ou »), so that every other word is still required.
french_stop = token_filter("french_stop", type="stop", stopwords=sorted(STOP_WORDS))
french_folded = analyzer(
    "french_folded",
    tokenizer="standard",
    char_filter=["html_strip"],
    filter=[
        french_elision,
        "lowercase",
        french_stop,
        "asciifolding",
        french_ordinal,
        french_stemmer,
    ],
)


class EntryDocument(Document):
    kind = Keyword()
    charter_id = Integer()
    charter_title = Keyword()
    iteration_id = Integer()
    iteration_title = Keyword()
    article = Integer()
    amendment_status = Keyword()
    author_type = Keyword()
    origin = Keyword()
    language = Keyword()
    date = Date()
    title = Text(analyzer=french_folded)
    body = Text(analyzer=french_folded)
    url = Keyword(index=False)
    page_id = Integer()  # the page the entry links to: searches keep only public ones


# Every failure of the transport (refused, cut, timed out, unreadable answer) or of the server
# (any error status): the engine is unavailable, and the worker tries again later.
ERRORS = (
    es_exceptions.ConnectionError,
    es_exceptions.ApiError,
    es_exceptions.TransportError,
    BaseTransportError,
    helpers.BulkIndexError,
)
# How many values of each facet one search brings back (every value of a site's facets: its
# charters, versions and articles number in the hundreds at most).
FACET_SIZE = 1000
# The types the Elasticsearch 8 client asks for; OpenSearch accepts only the plain ones.
_COMPAT_TYPE = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(\s*;\s*compatible-with=\d+)?")
# Outage state of each engine address for web requests, shared by the threads of a process.
_outages: dict[str, float] = {}


class OpenSearchTransport(Transport):
    """The transport of the Elasticsearch client for an OpenSearch 2.x server: plain
    ``application/json`` (and ``x-ndjson``) in ``Accept`` and ``Content-Type``, since OpenSearch
    refuses Elasticsearch's compatibility media type; and its answers are accepted though they
    do not say ``X-Elastic-Product: Elasticsearch``."""

    def perform_request(self, method, target, *, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(
                {
                    name: _COMPAT_TYPE.sub(r"application/\1", value)
                    if isinstance(value, str)
                    else value
                    for name, value in headers.items()
                }
            )
        kwargs["headers"] = headers if headers is not None else HttpHeaders()
        meta, body = super().perform_request(method, target, **kwargs)
        if meta.headers.get("x-elastic-product") != "Elasticsearch":
            answered = HttpHeaders(meta.headers)
            answered["x-elastic-product"] = "Elasticsearch"
            meta = dataclasses.replace(meta, headers=answered.freeze())
        return TransportApiResponse(meta, body)


def flavour() -> str:
    """``elasticsearch`` (the default) or ``opensearch``."""
    return str(getattr(settings, "ELASTICSEARCH_FLAVOUR", "") or "elasticsearch").lower()


# Aliases known to exist, per engine address: a write checks once per process, not per batch.
_known_aliases: set[tuple[str, str]] = set()


_NOTHING = object()


def _index_missing(error) -> bool:
    return "index_not_found" in str(getattr(error, "message", "") or error)


def excerpt_html(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, url: str, *, for_indexing: bool = False, alias: str | None = None):
        self.alias = alias or getattr(settings, "ELASTICSEARCH_INDEX", "charte-entries")
        self.url = url
        self.for_indexing = for_indexing
        self.breaker = None
        options = {}
        if flavour() == "opensearch":
            options["transport_class"] = OpenSearchTransport
        if for_indexing:
            # A few quick tries inside the task; past them the task itself comes back later.
            self.client = Elasticsearch(
                url,
                request_timeout=INDEXING_TIMEOUT,
                max_retries=2,
                retry_on_timeout=True,
                retry_on_status=(429, 502, 503, 504),
                **options,
            )
        else:
            self.client = Elasticsearch(
                url,
                request_timeout=REQUEST_TIMEOUT,
                max_retries=0,
                retry_on_timeout=False,
                **options,
            )
            self.breaker = CircuitBreaker(
                url,
                retry_after=getattr(settings, "SEARCH_ENGINE_RETRY_AFTER", 30),
                outages=_outages,
                logger=logger,
                down_message=(
                    "Search engine unreachable (%s): search is unavailable until it answers again"
                ),
                back_message="Search engine answering again",
            )

    @property
    def down(self) -> bool:
        """True while web requests leave the engine alone after a failure."""
        return self.breaker is not None and self.breaker.is_open

    def _read(self, call, *, missing=_NOTHING):
        """``call()`` against the engine, through the breaker in a web request: while it is open
        the engine is not called at all; a failure opens it, an answer closes it. ``missing``:
        what to answer when the index does not exist yet (nothing indexed so far)."""
        if self.down:
            raise EngineUnavailable("the engine failed recently; not tried again yet")
        try:
            result = call()
        except es_exceptions.NotFoundError as error:
            if missing is _NOTHING or not _index_missing(error):
                if self.breaker is not None:
                    self.breaker.failed(error)
                raise EngineUnavailable(str(error)) from error
            result = missing
        except ERRORS as error:
            if self.breaker is not None:
                self.breaker.failed(error)
            raise EngineUnavailable(str(error)) from error
        if self.breaker is not None:
            self.breaker.succeeded()
        return result

    # -- index management -------------------------------------------------------------------

    def index_body(self) -> dict:
        index = EntryDocument._index.clone(name="x")
        index.settings(
            number_of_shards=1,
            number_of_replicas=int(getattr(settings, "ELASTICSEARCH_REPLICAS", 0) or 0),
        )
        return index.to_dict()

    def create_index(self) -> str:
        name = f"{self.alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        body = self.index_body()
        try:
            self.client.indices.create(
                index=name, settings=body.get("settings"), mappings=body["mappings"]
            )
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error
        return name

    def ensure_index(self) -> None:
        """Create the index behind the alias if there is none; asked once per process."""
        known = (self.url, self.alias)
        if known in _known_aliases:
            return
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                name = self.create_index()
                self.client.indices.put_alias(index=name, name=self.alias)
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error
        _known_aliases.add(known)

    def swap_alias(self, new_index: str) -> None:
        """Point the alias at ``new_index`` in one atomic step, then drop the old indices."""
        try:
            old = []
            if self.client.indices.exists_alias(name=self.alias):
                old = list(self.client.indices.get_alias(name=self.alias).keys())
            actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
            actions.append({"add": {"index": new_index, "alias": self.alias}})
            self.client.indices.update_aliases(actions=actions)
            for name in old:
                self.client.indices.delete(index=name)
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error

    def start_rebuild(self) -> str:
        return self.create_index()

    @contextmanager
    def rebuilding(self):
        """A rebuild into a new index, swapped in behind the alias once complete: yields the
        function that takes each batch of entries. Meanwhile the worker keeps writing to the
        alias (the old index); what it indexed is indexed again after the swap
        (:mod:`search.rebuild`). A rebuild that fails deletes its new index."""
        target = self.start_rebuild()
        try:
            yield partial(self.write, index=target)
            self.finish_rebuild(target)
        except BaseException:
            try:
                self.client.indices.delete(index=target, ignore_unavailable=True)
            except ERRORS:
                logger.warning("Could not delete the unfinished index %s", target)
            raise

    def finish_rebuild(self, target: str) -> None:
        try:
            self.client.indices.refresh(index=target)
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error
        self.swap_alias(target)

    # -- writing ---------------------------------------------------------------------------

    def _actions(self, entries, index):
        for entry in entries:
            source = entry.as_dict()
            key = source.pop("key")
            yield {"_op_type": "index", "_index": index, "_id": key, "_source": source}

    def _refresh(self, index):
        """The worker never waits for the engine to make a change searchable (it is, within
        the index's refresh interval, a second by default): it would hold the queue, e-mail
        included. Outside the worker (and a rebuild), the call returns once it is searchable;
        ``ELASTICSEARCH_WAIT_FOR_REFRESH`` makes the worker wait too (for tests)."""
        if index is not None:
            return False
        if not self.for_indexing or getattr(settings, "ELASTICSEARCH_WAIT_FOR_REFRESH", False):
            return "wait_for"
        return False

    def _bulk(self, actions, index=None) -> None:
        """One bulk request for the whole batch, into the alias unless a rebuild names its
        index (``require_alias``: never an index made up by the engine if the alias is gone).
        A failed item (other than deleting what is already gone) fails the batch, which the
        worker tries again."""
        if not actions:
            return
        try:
            _ok, errors = helpers.bulk(
                self.client,
                actions,
                refresh=self._refresh(index),
                chunk_size=max(500, len(actions)),
                max_chunk_bytes=100 * 1024 * 1024,
                raise_on_error=False,
                **({} if index else {"require_alias": True}),
            )
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error
        failed = [
            item
            for item in errors
            if not ("delete" in item and item["delete"].get("status") == 404)
        ]
        if failed:
            _known_aliases.discard((self.url, self.alias))  # asked again next time
            raise EngineUnavailable(f"{len(failed)} entries refused, the first: {failed[0]}")

    def write(self, entries, index: str | None = None) -> None:
        entries = list(entries)
        if not entries:
            return
        if index is None:
            self.ensure_index()
        self._bulk(list(self._actions(entries, index or self.alias)), index)

    def delete(self, keys) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys]
        if actions:
            self.ensure_index()
        self._bulk(actions)

    def replace(self, stale_keys, entries) -> None:
        """Delete ``stale_keys`` and write ``entries`` in one bulk request (one task's work)."""
        entries = list(entries)
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in stale_keys]
        actions += self._actions(entries, self.alias)
        if actions:
            self.ensure_index()
        self._bulk(actions)

    def clear(self) -> None:
        try:
            self.client.delete_by_query(
                index=self.alias, query={"match_all": {}}, ignore_unavailable=True
            )
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error

    def count(self) -> int:
        return self._read(lambda: self.client.count(index=self.alias), missing={"count": 0})[
            "count"
        ]

    def counts_by_kind(self) -> dict:
        search = Search(using=self.client, index=self.alias).extra(size=0)
        search.aggs.bucket("kind", "terms", field="kind", size=FACET_SIZE)
        response = self._read(search.execute, missing=None)
        if response is None:  # nothing indexed yet
            return {}
        return {b.key: b.doc_count for b in response.aggregations.kind.buckets}

    def stored(self, size: int = 1000):
        """Every document held, as ``{field: value}`` mappings with their ``key`` (scrolled
        through, ``size`` at a time)."""
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                return
            for hit in helpers.scan(
                self.client, index=self.alias, query={"query": {"match_all": {}}}, size=size
            ):
                yield {**hit["_source"], "key": hit["_id"]}
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error

    # -- reading ---------------------------------------------------------------------------

    def _text_query(self, text: str):
        """The query for the words of a search (None: no words to look for)."""
        if not text:
            return None
        # An entry whose title holds every word comes first (« amendement 3 » finds
        # « Amendement n° 3 » before the amendments that merely mention a 3), as on the
        # embedded engine.
        return ESQ(
            "simple_query_string",
            query=text,
            fields=["title^2", "body"],
            default_operator="and",
            flags="PHRASE|PREFIX|WHITESPACE",
            lenient=True,
        )

    def _base_search(self, query: Query, visible_ids) -> Search:
        """The matches of ``query``'s words, dates and visibility, before its facet filters."""
        search = Search(using=self.client, index=self.alias)
        # The engine stops collecting hits past the budget (and says so: ``timed_out``).
        search = search.extra(timeout=f"{min(timeout_ms(), REQUEST_TIMEOUT * 1000)}ms")
        text = bound_terms(query.text)[0]
        if text:
            search = search.query(
                "bool",
                must=[self._text_query(text)],
                should=[
                    ESQ("match", title={"query": text, "operator": "and", "boost": 10}),
                    # Among equal matches, the reader's language first.
                    *([ESQ("term", language={"value": query.language})] if query.language else []),
                ],
            )
        elif query.text:  # nothing left to look for (only one-letter words): no match
            search = search.query("match_none")
        # Only entries whose page, and every ancestor of it, anyone may read.
        search = search.filter("terms", page_id=sorted(visible_ids))
        if query.date_from or query.date_to:
            search = search.filter("range", date=day_bounds(query.date_from, query.date_to))
        return search

    @staticmethod
    def _facet_filters(query: Query, skip=None) -> list:
        return [
            ESQ("term", **{name: value})
            for name, value in query.filters.items()
            if name != skip and value not in (None, "")
        ]

    def build_search(self, query: Query, visible_ids) -> Search:
        """The request for ``query`` (exposed so that its body can be checked)."""
        search = self._base_search(query, visible_ids)

        def facet_filters(skip=None):
            return self._facet_filters(query, skip)

        # The hits obey every filter; each facet counts with the filters of the others.
        if query.filters:
            search = search.post_filter("bool", filter=facet_filters())
        for name in FACETS:
            facet = search.aggs.bucket(name, "filter", ESQ("bool", filter=facet_filters(skip=name)))
            values = facet.bucket("values", "terms", field=name, size=FACET_SIZE)
            # How many values it has in all, read when more than FACET_SIZE came back; exact
            # up to the threshold (40,000), far past any site's articles or versions.
            facet.metric("distinct", "cardinality", field=name, precision_threshold=40000)
            if name in LABELS:
                # The label of a charter or a version, from the entries themselves.
                values.bucket("label", "terms", field=LABELS[name], size=1)
        search.aggs.bucket("month", "filter", ESQ("bool", filter=facet_filters())).bucket(
            "values",
            "date_histogram",
            field="date",
            calendar_interval="month",
            time_zone=settings.TIME_ZONE,
            format="yyyy-MM",
            min_doc_count=1,
            order={"_key": "desc"},
        )
        if query.text and query.sort != "date":
            search = search.sort("_score", {"date": {"order": "desc"}})
        else:
            search = search.sort({"date": {"order": "desc"}})
        search = search.highlight(
            "body", fragment_size=160, number_of_fragments=2, pre_tags=[START], post_tags=[STOP]
        )
        start = (query.page - 1) * query.per_page
        return search.extra(track_total_hits=True)[start : start + query.per_page]

    def search(self, query: Query) -> Results:
        from ..documents import public_page_ids

        if self.down:  # before reading the visible pages: answer at once
            raise EngineUnavailable("the engine failed recently; not tried again yet")
        visible = public_page_ids()
        search = self.build_search(query, visible)
        response = self._read(search.execute, missing=None)
        if response is None:  # nothing indexed yet: nothing found
            empty = {name: [] for name in (*FACETS, "month")}
            return Results(0, [], empty, query.page, query.per_page, labels={})
        if getattr(response, "timed_out", False):
            raise SearchTooSlow()
        hits = []
        for hit in response:
            highlight = getattr(hit.meta, "highlight", None)
            fragments = list(highlight.body) if highlight and "body" in highlight else []
            excerpt = passages(fragments, hit.body or "") if fragments else (hit.body or "")[:280]
            hits.append(
                Hit(
                    key=hit.meta.id,
                    kind=hit.kind,
                    title=hit.title,
                    excerpt=excerpt_html(excerpt),
                    url=hit.url,
                    date=_parse_date(getattr(hit, "date", None)),
                    language=hit.language,
                    charter_title=getattr(hit, "charter_title", ""),
                    iteration_title=getattr(hit, "iteration_title", "") or "",
                    article=getattr(hit, "article", None),
                    amendment_status=getattr(hit, "amendment_status", "") or "",
                    author_type=getattr(hit, "author_type", "") or "",
                )
            )
        facets, labels, sizes = {}, {}, {}
        for name in FACETS:
            aggregation = response.aggregations[name]
            buckets = aggregation["values"]["buckets"]
            facets[name] = [(b["key"], b["doc_count"]) for b in buckets if b["key"] != ""]
            if aggregation["values"].to_dict().get("sum_other_doc_count"):  # more than listed
                distinct = aggregation.to_dict().get("distinct", {}).get("value") or 0
                sizes[name] = max(distinct, len(facets[name]) + 1)
            if name in LABELS:
                labels[name] = {
                    b["key"]: b["label"]["buckets"][0]["key"]
                    for b in buckets
                    if "label" in b and b["label"]["buckets"] and b["label"]["buckets"][0]["key"]
                }
        facets["month"] = [
            (b["key_as_string"], b["doc_count"])
            for b in response.aggregations["month"]["values"]["buckets"]
        ]
        if query.more in FACETS and query.more in sizes:
            name = query.more
            facets[name], every_label = self.every_value(query, name, visible)
            if name in LABELS:
                labels[name] = every_label
            del sizes[name]
        total = response.hits.total.value
        return Results(total, hits, facets, query.page, query.per_page, labels=labels, sizes=sizes)

    def every_value(self, query: Query, name: str, visible_ids) -> tuple[list, dict]:
        """Every value of the facet ``name`` for ``query`` (counted with the other filters, as
        in a search), most frequent first, and the labels of those that are ids: a composite
        aggregation read page after page, COMPOSITE_SIZE values a request."""
        base = self._base_search(query, visible_ids)
        others = self._facet_filters(query, skip=name)
        if others:
            base = base.filter("bool", filter=others)
        values, labels, after = [], {}, None
        for _page in range(COMPOSITE_PAGES):
            search = base.extra(size=0, track_total_hits=False)
            composite = {"size": COMPOSITE_SIZE, "sources": [{"value": {"terms": {"field": name}}}]}
            if after is not None:
                composite["after"] = after
            values_agg = search.aggs.bucket("values", "composite", **composite)
            if name in LABELS:
                values_agg.bucket("label", "terms", field=LABELS[name], size=1)
            response = self._read(search.execute, missing=None)
            if response is None:
                break
            if getattr(response, "timed_out", False):
                raise SearchTooSlow()
            answer = response.aggregations.to_dict()["values"]
            for bucket in answer.get("buckets", []):
                value = bucket["key"]["value"]
                if value == "":
                    continue
                values.append((value, bucket["doc_count"]))
                label = bucket.get("label", {}).get("buckets") or []
                if label and label[0]["key"]:
                    labels[value] = label[0]["key"]
            after = answer.get("after_key")
            if not after or len(answer.get("buckets", [])) < COMPOSITE_SIZE:
                break
        values.sort(key=lambda item: (-item[1], item[0]))
        return values, labels

    def suggest(self, text: str) -> str | None:
        """For a query that found nothing: the same words, each one the index does not hold
        replaced by the nearest word that a visible entry holds, if that finds something
        visible. Two requests: a fuzzy match of the words (``fuzziness: AUTO``) whose
        highlights name the words it matched, then a count of the suggestion's matches."""
        from ..documents import public_page_ids

        words = text_words(text)
        typed = [word for word in words if not word.isdigit()]
        if not typed:
            return None
        visible = sorted(public_page_ids())
        fuzzy = (
            Search(using=self.client, index=self.alias)
            .extra(timeout=f"{min(timeout_ms(), REQUEST_TIMEOUT * 1000)}ms", size=SUGGEST_HITS)
            .source(False)
            # Every word, in the title or the body, spelt alike or within AUTO's edits.
            .query(
                "bool",
                must=[
                    ESQ(
                        "multi_match",
                        query=word,
                        fields=["title", "body"],
                        fuzziness="AUTO",
                        lenient=True,
                    )
                    for word in typed
                ],
            )
            .filter("terms", page_id=visible)
            .highlight(
                "title",
                "body",
                number_of_fragments=0,
                pre_tags=[START],
                post_tags=[STOP],
            )
        )
        response = self._read(fuzzy.execute, missing=None)
        if response is None:
            return None
        matched = set()
        for hit in response:
            highlight = getattr(hit.meta, "highlight", None)
            for field in ("title", "body"):
                for fragment in highlight.to_dict().get(field, []) if highlight else []:
                    matched.update(word.lower() for word in _MARKED.findall(fragment))
        folded = {_fold(word): word for word in sorted(matched)}
        changed, out = False, []
        for word in words:
            key = _fold(word)
            if (
                word.isdigit()
                or key in folded
                or len(word) < SUGGEST_MIN
                or word.lower() in STOP_WORDS
            ):
                out.append(word)
                continue
            near = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.75)
            if not near:
                out.append(word)
                continue
            out.append(folded[near[0]])
            changed = True
        if not changed:
            return None
        suggestion = " ".join(out)
        count = (
            Search(using=self.client, index=self.alias)
            .query("bool", must=[self._text_query(bound_terms(suggestion)[0])])
            .filter("terms", page_id=visible)
        )
        found = self._read(count.count, missing=0)
        return suggestion if found else None


# A composite aggregation's values per request, and at most how many requests (every value of
# a facet up to 100,000).
COMPOSITE_SIZE = 1000
COMPOSITE_PAGES = 100
# The entries whose matched words a suggestion is chosen from, and the shortest word corrected.
SUGGEST_HITS = 20
SUGGEST_MIN = 4
_WORD = re.compile(r"\w+", re.UNICODE)
# The word each highlight starts with, its elided article left out: read up to the word's end,
# not up to the closing tag, which osmem-server 0.1.6 leaves out at the end of a text.
_MARKED = re.compile(START + r"(?:\w+['’])?(\w+)", re.UNICODE)  # « l’élu »: « élu »


def _fold(word: str) -> str:
    """A word without case or accents, as the index compares them."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_words(text: str) -> list[str]:
    """The words of a query as typed (quotes and a leading ``-`` dropped)."""
    return _WORD.findall(bound_terms(text or "")[0])


# The field that holds the label of each facet value that is an id.
LABELS = {"charter_id": "charter_title", "iteration_id": "iteration_title"}


def day_bounds(date_from, date_to) -> dict:
    """The range of a date filter: from the start of ``date_from`` to the end of ``date_to``,
    both days in the site's time zone (a day typed in Paris is that day in Paris)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    bounds = {}
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time(), tzinfo=zone)
        bounds["gte"] = start.isoformat()
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
        )
        bounds["lt"] = end.isoformat()
    return bounds


def passages(fragments, body: str) -> str:
    """The highlighted fragments of a body, « … » marking where text was left out (before,
    between and after them), as the embedded engine's excerpts do."""
    body = " ".join(body.split())
    text = " … ".join(" ".join(f.split()) for f in fragments)
    plain = [" ".join(f.replace(START, "").replace(STOP, "").split()) for f in fragments]
    if plain and not body.startswith(plain[0]):
        text = "… " + text
    if plain and not body.endswith(plain[-1]):
        text += " …"
    return text


def _parse_date(value):
    if isinstance(value, datetime.datetime) or value is None:
        return value
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
