"""``check_search_index`` compares every entry, field by field (a digest), with what the engine
holds: it names missing, extra and different entries, fails while they differ, and ``--fix``
repairs exactly those."""

import dataclasses
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from search import documents
from search.engines import get_engine
from tests.factories import search_entry
from tests.search.es_stub import Stub

pytestmark = pytest.mark.django_db


def check(*args):
    out = io.StringIO()
    call_command("check_search_index", *args, stdout=out)
    return out.getvalue()


def test_a_current_index_passes(corpus):
    assert "The index matches the database." in check()


def held():
    """What the engine in use holds (the embedded one, or a live server), by key."""
    return {values["key"]: values for values in get_engine().stored()}


def changed(key, **fields):
    """The entry ``key`` written again with other ``fields``, as if a refresh had been lost."""
    entry = next(entry for entry in documents.all_entries() if entry.key == key)
    get_engine().write([dataclasses.replace(entry, **fields)])


def test_a_tampered_a_missing_and_an_extra_entry_are_reported_then_fixed(corpus):
    comment = corpus["comments"]["tad"]
    tampered = f"comment:{comment.pk}"
    changed(tampered, title="Un autre titre")
    missing = min(key for key in held() if key.startswith("paragraph:"))
    get_engine().delete([missing])
    get_engine().write([search_entry("comment:999999", body="Un fantôme")])
    out = io.StringIO()
    with pytest.raises(CommandError, match="differs"):
        call_command("check_search_index", stdout=out)
    report = out.getvalue()
    assert f"missing: 1 (paragraph 1), for example {missing}" in report
    assert "extra: 1 (comment 1), for example comment:999999" in report
    assert f"different: 1 (comment 1), for example {tampered}" in report

    fixed = check("--fix")
    assert "Repaired: 1 written, 1 rewritten, 1 deleted." in fixed
    entries = held()
    assert entries[tampered]["title"] != "Un autre titre"
    assert missing in entries
    assert "comment:999999" not in entries
    assert "The index matches the database." in check()


def test_a_changed_date_or_author_type_counts_as_different(corpus):
    key = f"comment:{corpus['comments']['tad'].pk}"
    changed(key, author_type="")
    with pytest.raises(CommandError):
        check()
    check("--fix")
    assert held()[key]["author_type"] == "association"
    changed(key, date=corpus["comments"]["tad"].submit_date - datetime.timedelta(days=1))
    with pytest.raises(CommandError):
        check()
    check("--fix")
    assert "The index matches the database." in check()


def test_elasticsearch_documents_are_scrolled_and_compared(settings, corpus):
    """The same comparison over the documents Elasticsearch gives back (scrolled, their dates
    as the JSON text they were sent as); ``--fix`` sends exactly the repairs."""
    expected = list(documents.all_entries())
    tampered, gone = expected[0].key, expected[1].key
    docs = []
    for entry in expected:
        if entry.key == gone:
            continue
        source = entry.as_dict()
        key = source.pop("key")
        source["date"] = entry.date.isoformat()
        if key == tampered:
            source["title"] = "Un autre titre"
        docs.append({"_id": key, "_index": "x", "_source": source})
    extra = search_entry("comment:999999").as_dict()
    extra.pop("key")
    extra["date"] = extra["date"].isoformat()
    docs.append({"_id": "comment:999999", "_index": "x", "_source": extra})
    stub = Stub()
    try:
        shards = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
        stub.answers[("POST", "/charte-entries/_search")] = (
            200,
            {"_scroll_id": "s1", "_shards": shards, "hits": {"hits": docs}},
        )
        stub.answers[("POST", "/_search/scroll")] = (
            200,
            {"_scroll_id": "s1", "_shards": shards, "hits": {"hits": []}},
        )
        settings.ELASTICSEARCH_URL = stub.url
        settings.ELASTICSEARCH_INDEX = "charte-entries"
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("check_search_index", stdout=out)
        report = out.getvalue()
        assert f"missing: 1 ({gone.split(':')[0]} 1), for example {gone}" in report
        assert "extra: 1 (comment 1), for example comment:999999" in report
        assert f"different: 1 ({tampered.split(':')[0]} 1), for example {tampered}" in report

        stub.requests.clear()
        check("--fix")
        sent = [
            json.loads(line)
            for body in stub.bodies("PUT", "/_bulk") + stub.bodies("POST", "/_bulk")
            for line in body.splitlines()
            if line.strip()
        ]
        operations = [
            (op, meta["_id"])
            for line in sent
            for op, meta in line.items()
            if op in ("index", "delete")
        ]
        assert sorted(operations) == sorted(
            [("index", tampered), ("index", gone), ("delete", "comment:999999")]
        )
    finally:
        stub.close()
