"""The Elasticsearch engine, used when ``ELASTICSEARCH_URL`` is set (Elasticsearch 8.x).

Documents are described with ``elasticsearch.dsl`` (shipped inside the official client). The
French analysis chain strips HTML, removes elisions (l', d', qu'…), lowercases, folds accents
and applies the light French stemmer. The index is versioned (``<alias>-<timestamp>``) behind
an alias, so a rebuild fills a new index and swaps the alias atomically. In a web request the
client waits at most 2 seconds and never retries; after a failure or a timeout, web requests
leave the engine alone for ``SEARCH_ENGINE_RETRY_AFTER`` seconds (a circuit breaker: search
answers « unavailable » at once meanwhile). The worker and the rebuild use longer timeouts and
retries, and no breaker.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.utils.html import escape
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
french_folded = analyzer(
    "french_folded",
    tokenizer="standard",
    char_filter=["html_strip"],
    filter=[french_elision, "lowercase", "asciifolding", french_stemmer],
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


ERRORS = (es_exceptions.ConnectionError, es_exceptions.ApiError, es_exceptions.TransportError)
# Outage state of each engine address for web requests, shared by the threads of a process.
_outages: dict[str, float] = {}


def excerpt_html(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, url: str, *, for_indexing: bool = False, alias: str | None = None):
        self.alias = alias or getattr(settings, "ELASTICSEARCH_INDEX", "charte-entries")
        self.breaker = None
        if for_indexing:
            self.client = Elasticsearch(
                url, request_timeout=INDEXING_TIMEOUT, max_retries=3, retry_on_timeout=True
            )
        else:
            self.client = Elasticsearch(
                url, request_timeout=REQUEST_TIMEOUT, max_retries=0, retry_on_timeout=False
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

    def _read(self, call):
        """``call()`` against the engine, through the breaker in a web request: while it is open
        the engine is not called at all; a failure opens it, an answer closes it."""
        if self.down:
            raise EngineUnavailable("the engine failed recently; not tried again yet")
        try:
            result = call()
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
        index.settings(number_of_shards=1, number_of_replicas=0)
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
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                name = self.create_index()
                self.client.indices.put_alias(index=name, name=self.alias)
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error

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
        function that takes each batch of entries."""
        target = self.start_rebuild()
        yield partial(self.write, index=target)
        self.finish_rebuild(target)

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

    def write(self, entries, index: str | None = None) -> None:
        entries = list(entries)
        if not entries:
            return
        if index is None:
            self.ensure_index()
        try:
            # Outside a rebuild, wait until the change is searchable (« within seconds »).
            helpers.bulk(
                self.client,
                self._actions(entries, index or self.alias),
                refresh=False if index else "wait_for",
            )
        except (*ERRORS, helpers.BulkIndexError) as error:
            raise EngineUnavailable(str(error)) from error

    def delete(self, keys) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys]
        if not actions:
            return
        try:
            helpers.bulk(self.client, actions, raise_on_error=False, refresh="wait_for")
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error

    def clear(self) -> None:
        try:
            self.client.delete_by_query(
                index=self.alias, query={"match_all": {}}, ignore_unavailable=True
            )
        except ERRORS as error:
            raise EngineUnavailable(str(error)) from error

    def count(self) -> int:
        return self._read(lambda: self.client.count(index=self.alias))["count"]

    def counts_by_kind(self) -> dict:
        search = Search(using=self.client, index=self.alias).extra(size=0)
        search.aggs.bucket("kind", "terms", field="kind", size=50)
        response = self._read(search.execute)
        return {b.key: b.doc_count for b in response.aggregations.kind.buckets}

    # -- reading ---------------------------------------------------------------------------

    def build_search(self, query: Query, visible_ids) -> Search:
        """The request for ``query`` (exposed so that its body can be checked)."""
        search = Search(using=self.client, index=self.alias)
        # The engine stops collecting hits past the budget (and says so: ``timed_out``).
        search = search.extra(timeout=f"{min(timeout_ms(), REQUEST_TIMEOUT * 1000)}ms")
        text = bound_terms(query.text)[0]
        if text:
            # An entry whose title holds every word comes first (« amendement 3 » finds
            # « Amendement n° 3 » before the amendments that merely mention a 3), as on the
            # embedded engine.
            search = search.query(
                "bool",
                must=[
                    ESQ(
                        "simple_query_string",
                        query=text,
                        fields=["title^2", "body"],
                        default_operator="and",
                        flags="PHRASE|PREFIX|WHITESPACE",
                        lenient=True,
                    )
                ],
                should=[
                    ESQ("match", title={"query": text, "operator": "and", "boost": 10}),
                    # Among equal matches, the reader's language first.
                    *([ESQ("term", language={"value": query.language})] if query.language else []),
                ],
            )
        elif query.text:  # nothing left to look for (only one-letter words): no match
            search = search.query("match_none")
        visible = list(visible_ids)
        search = search.filter("terms", charter_id=visible).filter(
            ESQ(
                "bool",
                should=[
                    ESQ("terms", iteration_id=visible),
                    ESQ("bool", must_not=[ESQ("exists", field="iteration_id")]),
                ],
                minimum_should_match=1,
            )
        )
        if query.date_from or query.date_to:
            bounds = {}
            if query.date_from:
                bounds["gte"] = query.date_from.isoformat()
            if query.date_to:
                bounds["lte"] = query.date_to.isoformat()
            search = search.filter("range", date=bounds)

        def facet_filters(skip=None):
            return [
                ESQ("term", **{name: value})
                for name, value in query.filters.items()
                if name != skip and value not in (None, "")
            ]

        # The hits obey every filter; each facet counts with the filters of the others.
        if query.filters:
            search = search.post_filter("bool", filter=facet_filters())
        for name in FACETS:
            search.aggs.bucket(name, "filter", ESQ("bool", filter=facet_filters(skip=name))).bucket(
                "values", "terms", field=name, size=50
            )
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
        search = self.build_search(query, public_page_ids())
        response = self._read(search.execute)
        if getattr(response, "timed_out", False):
            raise SearchTooSlow()
        hits = []
        for hit in response:
            highlight = getattr(hit.meta, "highlight", None)
            fragments = list(highlight.body) if highlight and "body" in highlight else []
            excerpt = " … ".join(fragments) if fragments else (hit.body or "")[:280]
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
        facets = {}
        for name in FACETS:
            buckets = response.aggregations[name]["values"]["buckets"]
            facets[name] = [(b["key"], b["doc_count"]) for b in buckets if b["key"] != ""]
        facets["month"] = [
            (b["key_as_string"], b["doc_count"])
            for b in response.aggregations["month"]["values"]["buckets"]
        ]
        total = response.hits.total.value
        return Results(total, hits, facets, query.page, query.per_page)


def _parse_date(value):
    if isinstance(value, datetime.datetime) or value is None:
        return value
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
