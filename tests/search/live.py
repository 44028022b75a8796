"""A live Elasticsearch-API server for the engine suite: the one ``ELASTICSEARCH_URL`` names
(``ELASTICSEARCH_FLAVOUR`` saying whether it is OpenSearch), or else an in-memory
OpenSearch-compatible server (the ``osmem-server`` package) started for the session on a free
port. Each test writes under an index alias of its own, removed afterwards."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest


@dataclass
class LiveServer:
    url: str
    flavour: str  # "elasticsearch" or "opensearch"
    # Why the server cannot judge the French analysis (None: it can, as Lucene does).
    analysis_defect: str | None = None


def analysis_defect(url: str, flavour: str) -> str | None:
    """Whether the server's French light stemmer keeps words apart: osmem-server 0.1.6's
    matches « Association du Port » for « transport ». Asked once, in an index of its own."""
    from django.test import override_settings

    from search.engines.elasticsearch import ElasticsearchEngine

    alias = own_alias()
    with override_settings(ELASTICSEARCH_FLAVOUR=flavour):
        engine = ElasticsearchEngine(url, for_indexing=True, alias=alias)
        try:
            engine.client.indices.create(index=f"{alias}-probe", **_analysis_body(engine))
            engine.client.index(
                index=f"{alias}-probe", id="1", document={"body": "Association du Port"}
            )
            engine.client.indices.refresh(index=f"{alias}-probe")
            found = engine.client.count(
                index=f"{alias}-probe", query={"match": {"body": "transport"}}
            )["count"]
        finally:
            drop_indices(url, flavour, alias)
    if found:
        return "its French light stemmer matches unrelated words (osmem-server 0.1.6)"
    return None


def _analysis_body(engine) -> dict:
    body = engine.index_body()
    return {"settings": body.get("settings"), "mappings": body["mappings"]}


def start_live_server():
    """The server for the session, and what to do at its end (None: nothing)."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        flavour = os.environ.get("ELASTICSEARCH_FLAVOUR", "") or "elasticsearch"
        return LiveServer(url, flavour, analysis_defect(url, flavour)), None
    try:
        from osmem_server import OsmemError, OsmemServer
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("osmem-server is not installed: `make install-dev` installs it")
        pytest.skip("needs a live server: the osmem-server package or ELASTICSEARCH_URL")
    try:
        server = OsmemServer.start(japanese=False)
    except (OsmemError, OSError) as error:
        if os.environ.get("CI"):
            pytest.fail(f"osmem-server did not start: {error}")
        pytest.skip(f"osmem-server did not start: {error}")
    try:
        defect = analysis_defect(server.url, "opensearch")
    except BaseException:
        server.close()
        raise
    return LiveServer(server.url, "opensearch", defect), server.close


def skip_if_analysis_is_wrong(request, server: LiveServer) -> None:
    """Tests marked ``french_analysis`` judge Lucene's French chain: skipped on a server that
    does not implement it."""
    if server.analysis_defect and request.node.get_closest_marker("french_analysis"):
        pytest.skip(
            f"needs Lucene's French analysis (Elasticsearch or OpenSearch through "
            f"ELASTICSEARCH_URL); on this server, {server.analysis_defect}"
        )


def own_alias() -> str:
    return f"charte-test-{uuid.uuid4().hex[:12]}"


def drop_indices(url: str, flavour: str, alias: str) -> None:
    """Delete the indices of ``alias`` (by name: servers may refuse wildcard deletes)."""
    from django.test import override_settings

    from search.engines.elasticsearch import ElasticsearchEngine

    with override_settings(ELASTICSEARCH_FLAVOUR=flavour):
        client = ElasticsearchEngine(url, for_indexing=True, alias=alias).client
        for name in client.indices.get(index=f"{alias}-*", ignore_unavailable=True):
            client.indices.delete(index=name, ignore_unavailable=True)
