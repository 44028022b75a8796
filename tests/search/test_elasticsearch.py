"""The Elasticsearch engine, without a server: what it sends (mappings, analysis, queries, bulk
bodies) and how it handles answers, errors, refused connections and silent sockets."""

import json
import time

import pytest

from search.engines import EngineUnavailable, Query, SearchTooSlow
from search.engines.elasticsearch import ElasticsearchEngine
from tests.factories import search_entry
from tests.search.es_stub import SilentSocket, Stub, closed_port_url

pytestmark = pytest.mark.django_db

ALIAS = "charte-entries"


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.close()


def entry(key="comment:1", **fields):
    """An entry whose date is already as JSON carries it (the stub answers with it)."""
    return search_entry(key, **{"date": "2026-11-20T10:00:00+00:00", **fields})


def test_the_index_has_a_french_analysis_chain():
    body = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS).index_body()
    analysis = body["settings"]["analysis"]
    chain = analysis["analyzer"]["french_folded"]
    assert chain["char_filter"] == ["html_strip"]
    assert chain["filter"] == [
        "french_elision",
        "lowercase",
        "french_stop",
        "asciifolding",
        "french_ordinal",
        "french_light_stemmer",
    ]
    from search.engines.database import STOP_WORDS

    assert set(analysis["filter"]["french_stop"]["stopwords"]) == STOP_WORDS  # as embedded
    assert analysis["filter"]["french_light_stemmer"] == {
        "type": "stemmer",
        "language": "light_french",
    }
    assert "qu" in analysis["filter"]["french_elision"]["articles"]
    properties = body["mappings"]["properties"]
    assert properties["body"] == {"type": "text", "analyzer": "french_folded"}
    assert properties["kind"] == {"type": "keyword"}
    assert properties["date"] == {"type": "date"}


def test_the_query_sent_for_a_search():
    engine = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS)
    query = Query(text='"transport à la demande" soir', filters={"kind": "comment"})
    body = engine.build_search(query, {3, 4}).to_dict()
    text = body["query"]["bool"]["must"][0]["simple_query_string"]
    assert text["query"] == '"transport à la demande" soir'
    assert text["default_operator"] == "and" and text["lenient"] is True
    assert text["fields"] == ["title^2", "body"]
    filters = body["query"]["bool"]["filter"]
    assert filters == [{"terms": {"page_id": [3, 4]}}]  # only pages anyone may read
    assert body["post_filter"] == {"bool": {"filter": [{"term": {"kind": "comment"}}]}}
    # Each facet counts with the other filters only.
    assert body["aggs"]["kind"]["filter"] == {"bool": {}}
    assert body["aggs"]["author_type"]["filter"]["bool"]["filter"] == [
        {"term": {"kind": "comment"}}
    ]
    assert body["highlight"]["fields"]["body"]["number_of_fragments"] == 2
    assert body["track_total_hits"] is True
    assert (body["from"], body["size"]) == (0, 20)


def test_bulk_indexing_sends_one_action_per_entry(stub):
    engine = ElasticsearchEngine(stub.url, alias=ALIAS)
    engine.write([entry("comment:1"), entry("comment:2", body="Un autre")])
    (bulk,) = stub.bodies("PUT", "/_bulk") + stub.bodies("POST", "/_bulk")
    lines = [json.loads(line) for line in bulk.splitlines()]
    assert lines[0] == {"index": {"_index": "charte-entries", "_id": "comment:1"}}
    assert lines[1]["body"] == "Le transport à la demande" and "key" not in lines[1]
    assert lines[2] == {"index": {"_index": "charte-entries", "_id": "comment:2"}}


def test_results_are_read_with_highlights_and_facets(stub):
    stub.answers[("POST", "/charte-entries/_search")] = (
        200,
        {
            "took": 2,
            "timed_out": False,
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "max_score": 1.0,
                "hits": [
                    {
                        "_index": "charte-entries-1",
                        "_id": "comment:1",
                        "_score": 1.0,
                        "_source": entry().as_dict() | {"body": "<b>Le</b> transport"},
                        "highlight": {"body": ["<b>Le</b> \x02transport\x03"]},
                    }
                ],
            },
            "aggregations": {
                name: {"doc_count": 1, "values": {"buckets": buckets}}
                for name, buckets in {
                    "kind": [{"key": "comment", "doc_count": 1}],
                    "charter_id": [{"key": 3, "doc_count": 1}],
                    "iteration_id": [{"key": 4, "doc_count": 1}],
                    "article": [{"key": 2, "doc_count": 1}],
                    "amendment_status": [],
                    "author_type": [{"key": "resident", "doc_count": 1}],
                    "origin": [{"key": "online", "doc_count": 1}],
                    "language": [{"key": "fr", "doc_count": 1}],
                }.items()
            }
            | {
                "month": {
                    "doc_count": 1,
                    "values": {"buckets": [{"key_as_string": "2026-11", "key": 0, "doc_count": 1}]},
                }
            },
        },
    )
    results = ElasticsearchEngine(stub.url, alias=ALIAS).search(Query(text="transport"))
    assert results.total == 1
    (hit,) = results.hits
    assert hit.excerpt == "&lt;b&gt;Le&lt;/b&gt; <mark>transport</mark>"
    assert hit.url == "/charte/v1/p/x/#c1"
    assert results.facets["kind"] == [("comment", 1)]
    assert results.facets["month"] == [("2026-11", 1)]
    sent = json.loads(stub.bodies("POST", "/charte-entries/_search")[0])
    assert sent["query"]["bool"]["must"][0]["simple_query_string"]["query"] == "transport"


def test_a_rebuild_fills_a_new_index_then_swaps_the_alias(stub):
    engine = ElasticsearchEngine(stub.url, for_indexing=True, alias=ALIAS)
    stub.answers[("GET", "/_alias/charte-entries")] = (200, {"charte-entries-old": {}})
    target = engine.start_rebuild()
    assert target.startswith("charte-entries-2")
    engine.write([entry()], index=target)
    engine.finish_rebuild(target)
    (actions,) = stub.bodies("POST", "/_aliases")
    assert json.loads(actions)["actions"] == [
        {"remove": {"index": "charte-entries-old", "alias": "charte-entries"}},
        {"add": {"index": target, "alias": "charte-entries"}},
    ]
    assert ("DELETE", "/charte-entries-old", "") in stub.requests
    created = json.loads(next(b for m, p, b in stub.requests if m == "PUT" and p == f"/{target}"))
    assert created["mappings"]["properties"]["title"]["analyzer"] == "french_folded"


@pytest.mark.parametrize("outage", ["closed port", "silent socket", "server error"])
def test_an_outage_is_reported_within_three_seconds(outage, stub):
    silent = SilentSocket() if outage == "silent socket" else None
    if outage == "closed port":
        url = closed_port_url()
    elif silent:
        url = silent.url
    else:
        url = stub.url
        stub.status_for_all = 500
    try:
        start = time.monotonic()
        with pytest.raises(EngineUnavailable):
            ElasticsearchEngine(url, alias=ALIAS).search(Query(text="transport"))
        assert time.monotonic() - start < 3
        if outage == "server error":
            searches = [r for r in stub.requests if r[1].endswith("/_search")]
            assert len(searches) == 1  # no retry inside a web request
    finally:
        if silent:
            silent.close()


def test_only_the_search_page_breaks_when_the_engine_is_down(
    client, settings, corpus, opened, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from charte.discussions.services import comment_post
    from search.indexing import refresh_task
    from tests.charte.discussions.test_comments import make_citizen
    from tests.search.conftest import queued_refreshes

    settings.ELASTICSEARCH_URL = closed_port_url()
    start = time.monotonic()
    response = client.get("/recherche/", {"q": "transport"})
    assert response.status_code == 503
    assert "La recherche est momentanément indisponible" in response.content.decode()
    assert time.monotonic() - start < 3
    assert client.get("/api/search/", {"q": "transport"}).status_code == 503
    assert client.get(opened.url).status_code == 200

    # Contributing still works; its indexing waits for the engine and is tried again later.
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(paragraph=corpus["rows"][0], by=make_citizen("z", "Z"), text="Ok")
    assert ("comment", comment.pk) in queued_refreshes()
    DBTaskResult.objects.filter(task_path__startswith="search.indexing.").delete()
    refresh_task.call("comment", comment.pk)  # what the worker does, with the engine down
    (again,) = DBTaskResult.objects.filter(task_path__endswith="refresh_task")
    assert again.args_kwargs["args"] == ["comment", comment.pk, 2]
    assert again.run_after is not None


def test_a_search_is_bounded_in_words_and_time(settings):
    """At most twelve words reach the engine, and the engine itself stops past the budget."""
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 1500
    engine = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS)
    words = [f"mot{i}" for i in range(300)]
    body = engine.build_search(Query(text=" ".join(words)), {3}).to_dict()
    sent = body["query"]["bool"]["must"][0]["simple_query_string"]["query"]
    assert sent.split() == words[:12]
    assert body["timeout"] == "1500ms"


def test_a_search_the_engine_cut_short_asks_to_narrow_it(stub):
    stub.answers[("POST", "/charte-entries/_search")] = (
        200,
        {
            "took": 2000,
            "timed_out": True,
            "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
        },
    )
    with pytest.raises(SearchTooSlow):
        ElasticsearchEngine(stub.url, alias=ALIAS).search(Query(text="transport"))


def requests_of(stub):
    return [(m, p, q) for (m, p, _b), q in zip(stub.requests, stub.query_strings, strict=True)]


def test_the_worker_sends_one_bulk_request_per_batch_and_never_waits(stub, settings):
    """One task's deletions and writes go in one bulk request, without ``refresh=wait_for``;
    whether the alias exists is asked once per process, not before every batch."""
    settings.ELASTICSEARCH_WAIT_FOR_REFRESH = False
    stub.answers[("HEAD", "/_alias/charte-entries")] = (200, {})
    engine = ElasticsearchEngine(stub.url, for_indexing=True, alias=ALIAS)
    engine.replace(["comment:9"], [entry("comment:1"), entry("comment:2")])
    engine.write([entry("comment:3")])
    engine.delete(["comment:4"])
    sent = requests_of(stub)
    assert [m for m, p, q in sent if p == "/_alias/charte-entries"] == ["HEAD"]
    bulks = [(m, q) for m, p, q in sent if p == "/_bulk"]
    assert len(bulks) == 3
    assert all("wait_for" not in q and "require_alias=true" in q for _m, q in bulks)
    assert len(sent) == 4  # nothing else: no GET or HEAD of each entry
    lines = [json.loads(line) for line in stub.bodies("PUT", "/_bulk")[0].splitlines()]
    assert lines[0] == {"delete": {"_index": ALIAS, "_id": "comment:9"}}
    assert [next(iter(line.values()))["_id"] for line in lines[1::2]] == [
        "comment:1",
        "comment:2",
    ]


def test_a_web_request_write_waits_until_searchable(stub):
    stub.answers[("HEAD", "/_alias/charte-entries")] = (200, {})
    ElasticsearchEngine(stub.url, alias=ALIAS).write([entry()])
    (query_string,) = [q for (m, p, q) in requests_of(stub) if p == "/_bulk"]
    assert "refresh=wait_for" in query_string


@pytest.mark.parametrize(
    "answer",
    [
        (429, {"error": {"type": "es_rejected_execution_exception"}, "status": 429}),
        (503, {"error": {"type": "unavailable_shards_exception"}, "status": 503}),
        (400, {"error": {"type": "mapper_parsing_exception"}, "status": 400}),
        (
            200,
            {
                "took": 1,
                "errors": True,
                "items": [
                    {"index": {"_id": "comment:1", "status": 429, "error": {"type": "rejected"}}}
                ],
            },
        ),
    ],
    ids=["too many requests", "unavailable", "refused", "an entry refused"],
)
def test_every_server_error_while_indexing_is_engine_unavailable(stub, answer):
    """The worker's task then comes back later instead of failing for good."""
    stub.answers[("HEAD", "/_alias/charte-entries")] = (200, {})
    stub.answers[("PUT", "/_bulk")] = answer
    engine = ElasticsearchEngine(stub.url, for_indexing=True, alias=ALIAS)
    with pytest.raises(EngineUnavailable):
        engine.write([entry()])


def test_deleting_an_entry_already_gone_is_not_an_error(stub):
    stub.answers[("HEAD", "/_alias/charte-entries")] = (200, {})
    stub.answers[("PUT", "/_bulk")] = (
        200,
        {"took": 1, "errors": True, "items": [{"delete": {"_id": "comment:1", "status": 404}}]},
    )
    ElasticsearchEngine(stub.url, for_indexing=True, alias=ALIAS).delete(["comment:1"])


def test_opensearch_is_sent_plain_json(stub, settings):
    """OpenSearch 2.x refuses ``application/vnd.elasticsearch+json; compatible-with=8`` and
    does not answer ``X-Elastic-Product``."""
    settings.ELASTICSEARCH_FLAVOUR = "opensearch"
    stub.product_header = False
    stub.answers[("HEAD", "/_alias/charte-entries")] = (200, {})
    engine = ElasticsearchEngine(stub.url, for_indexing=True, alias=ALIAS)
    engine.write([entry()])  # its answer is read: no « unknown product » refusal
    for headers in stub.headers:
        assert "vnd.elasticsearch" not in headers.get("accept", "")
        assert "vnd.elasticsearch" not in headers.get("content-type", "")
    bulk = stub.headers[[p for _m, p, _b in stub.requests].index("/_bulk")]
    assert bulk["content-type"] == "application/x-ndjson"
    assert bulk["accept"] == "application/json"


def test_elasticsearch_is_sent_its_compatibility_type(stub, settings):
    settings.ELASTICSEARCH_FLAVOUR = "elasticsearch"
    stub.answers[("HEAD", "/_alias/charte-entries")] = (200, {})
    ElasticsearchEngine(stub.url, for_indexing=True, alias=ALIAS).write([entry()])
    bulk = stub.headers[[p for _m, p, _b in stub.requests].index("/_bulk")]
    assert bulk["content-type"] == "application/vnd.elasticsearch+x-ndjson; compatible-with=8"


def test_replicas_are_configurable(settings):
    assert (
        ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS).index_body()["settings"][
            "number_of_replicas"
        ]
        == 0
    )
    settings.ELASTICSEARCH_REPLICAS = 2
    body = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS).index_body()
    assert body["settings"]["number_of_replicas"] == 2


def test_a_day_typed_is_that_day_in_paris():
    import datetime

    engine = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS)
    day = datetime.date(2026, 11, 20)
    body = engine.build_search(Query(date_from=day, date_to=day), {3}).to_dict()
    (bounds,) = [f["range"]["date"] for f in body["query"]["bool"]["filter"] if "range" in f]
    assert bounds == {"gte": "2026-11-20T00:00:00+01:00", "lt": "2026-11-21T00:00:00+01:00"}
    summer = datetime.date(2026, 7, 1)
    body = engine.build_search(Query(date_from=summer), {3}).to_dict()
    (bounds,) = [f["range"]["date"] for f in body["query"]["bool"]["filter"] if "range" in f]
    assert bounds == {"gte": "2026-07-01T00:00:00+02:00"}


def test_every_facet_value_is_asked_for_with_the_titles_of_charters_and_versions():
    engine = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS)
    aggs = engine.build_search(Query(text="transport"), {3}).to_dict()["aggs"]
    assert aggs["article"]["aggs"]["values"]["terms"]["size"] >= 1000
    assert aggs["charter_id"]["aggs"]["values"]["aggs"]["label"]["terms"] == {
        "field": "charter_title",
        "size": 1,
    }
    assert aggs["iteration_id"]["aggs"]["values"]["aggs"]["label"]["terms"]["field"] == (
        "iteration_title"
    )


def test_before_anything_is_indexed_a_search_finds_nothing_and_the_engine_is_up(stub):
    missing = (
        404,
        {"error": {"type": "index_not_found_exception", "reason": "no such index"}, "status": 404},
    )
    stub.answers[("POST", "/charte-entries/_search")] = missing
    stub.answers[("POST", "/charte-entries/_count")] = missing
    engine = ElasticsearchEngine(stub.url, alias=ALIAS)
    results = engine.search(Query(text="transport"))
    assert (results.total, results.hits, results.facets["kind"]) == (0, [], [])
    assert engine.count() == 0
    assert not engine.down


def test_the_number_of_values_of_each_facet_is_asked_for():
    engine = ElasticsearchEngine("http://127.0.0.1:9", alias=ALIAS)
    aggs = engine.build_search(Query(text="transport"), {3}).to_dict()["aggs"]
    assert aggs["article"]["aggs"]["distinct"] == {
        "cardinality": {"field": "article", "precision_threshold": 40000}
    }


def search_answer(article_buckets, other=0, distinct=None):
    """A search's answer with no hit and these article values (every other facet empty)."""
    aggregations = {
        name: {"doc_count": 0, "values": {"buckets": []}, "distinct": {"value": 0}}
        for name in (
            "kind",
            "charter_id",
            "iteration_id",
            "amendment_status",
            "author_type",
            "origin",
            "language",
        )
    }
    aggregations["article"] = {
        "doc_count": 1,
        "values": {"buckets": article_buckets, "sum_other_doc_count": other},
        "distinct": {"value": distinct if distinct is not None else len(article_buckets)},
    }
    aggregations["month"] = {"doc_count": 0, "values": {"buckets": []}}
    return {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": 9, "relation": "eq"}, "hits": []},
        "aggregations": aggregations,
    }


class Sequence(Stub):
    """A stub answering each search with the next answer of a list."""

    def __init__(self, answers):
        super().__init__()
        self.queue = list(answers)

    def answer(self, method, path, body):
        if path.endswith("/_search") and self.queue:
            return 200, self.queue.pop(0)
        if path.endswith("/_count"):
            return 200, {"count": self.count_answer}
        return super().answer(method, path, body)


def composite_answer(buckets, after):
    return {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
        "aggregations": {
            "values": {
                "buckets": [{"key": {"value": v}, "doc_count": n} for v, n in buckets],
                **({"after_key": {"value": after}} if after is not None else {}),
            }
        },
    }


def test_a_facet_with_more_values_than_listed_says_how_many_it_has(monkeypatch):
    from search.engines import elasticsearch

    monkeypatch.setattr(elasticsearch, "FACET_SIZE", 2)
    stub = Sequence([search_answer([{"key": 7, "doc_count": 5}, {"key": 2, "doc_count": 3}], 4, 5)])
    try:
        results = ElasticsearchEngine(stub.url, alias=ALIAS).search(Query(text="transport"))
    finally:
        stub.close()
    assert results.facets["article"] == [(7, 5), (2, 3)]
    assert results.sizes == {"article": 5}
    assert len(stub.bodies("POST", "/_search")) == 1  # nothing more asked for


def test_more_reads_every_value_of_a_facet_page_after_page(monkeypatch, visible):
    from search.engines import elasticsearch

    monkeypatch.setattr(elasticsearch, "FACET_SIZE", 2)
    monkeypatch.setattr(elasticsearch, "COMPOSITE_SIZE", 2)
    stub = Sequence(
        [
            search_answer([{"key": 7, "doc_count": 5}, {"key": 2, "doc_count": 3}], 2, 3),
            composite_answer([(1, 2), (2, 3)], after=2),
            composite_answer([(7, 5)], after=7),
        ]
    )
    query = Query(text="transport", filters={"kind": "comment", "article": 7}, more="article")
    try:
        results = ElasticsearchEngine(stub.url, alias=ALIAS).search(query)
    finally:
        stub.close()
    assert results.facets["article"] == [(7, 5), (2, 3), (1, 2)]
    assert "article" not in results.sizes
    _first, page1, page2 = (json.loads(b) for b in stub.bodies("POST", "/_search"))
    composite = page1["aggs"]["values"]["composite"]
    assert composite == {"size": 2, "sources": [{"value": {"terms": {"field": "article"}}}]}
    assert page2["aggs"]["values"]["composite"]["after"] == {"value": 2}
    assert page1["size"] == 0
    # Counted with the words, the visible pages and the other filters, not its own.
    filters = page1["query"]["bool"]["filter"]
    assert {"terms": {"page_id": [3]}} in filters
    assert {"bool": {"filter": [{"term": {"kind": "comment"}}]}} in filters
    assert "article" not in json.dumps(filters)
    assert page1["query"]["bool"]["must"][0]["simple_query_string"]["query"] == "transport"


@pytest.fixture
def visible(monkeypatch):
    monkeypatch.setattr("search.documents.public_page_ids", lambda: {3})


def fuzzy_answer(highlight):
    """The server's answer to the fuzzy query of a suggestion: one hit, with its marked words."""
    hit = {"_index": "x", "_id": "comment:1", "_score": 1.0, "highlight": highlight}
    return {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [hit]},
    }


def test_a_suggestion_is_the_nearest_word_matched_then_counted(visible):
    stub = Sequence(
        [
            fuzzy_answer(
                {
                    "body": ["Une \x02concertation\x03 avec \x02l’habitante\x03"],
                    "title": ["\x02Concerts\x03"],
                }
            )
        ]
    )
    stub.count_answer = 1
    try:
        suggestion = ElasticsearchEngine(stub.url, alias=ALIAS).suggest("concertaton habitnte")
    finally:
        stub.close()
    assert suggestion == "concertation habitante"
    (sent,) = [json.loads(b) for b in stub.bodies("POST", "/_search")]
    assert sent["query"]["bool"]["must"][0] == {
        "multi_match": {
            "query": "concertaton",
            "fields": ["title", "body"],
            "fuzziness": "AUTO",
            "lenient": True,
        }
    }
    assert sent["query"]["bool"]["filter"] == [{"terms": {"page_id": [3]}}]
    (counted,) = [json.loads(b) for b in stub.bodies("POST", "/_count")]
    text = counted["query"]["bool"]["must"][0]["simple_query_string"]
    assert text["query"] == "concertation habitante"
    assert counted["query"]["bool"]["filter"] == [{"terms": {"page_id": [3]}}]


def test_a_suggestion_that_finds_nothing_visible_is_not_offered(visible):
    stub = Sequence([fuzzy_answer({"body": ["\x02concertation\x03"]})])
    stub.count_answer = 0
    try:
        assert ElasticsearchEngine(stub.url, alias=ALIAS).suggest("concertaton") is None
    finally:
        stub.close()
    assert len(stub.requests) == 2  # one fuzzy search, one count
