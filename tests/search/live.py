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
    """Whether the server's French analysis falls short of Lucene's, asked once in indices of
    its own: osmem-server 0.1.6's light stemmer matches « Association du Port » for
    « transport », and (stemmer or not) its queries do not read « 12e » as 12 as its index
    does."""
    from django.test import override_settings

    from search.engines.elasticsearch import ElasticsearchEngine, french_stemmer

    alias = own_alias()
    defects = []
    with override_settings(ELASTICSEARCH_FLAVOUR=flavour):
        engine = ElasticsearchEngine(url, for_indexing=True, alias=alias)

        def finds(name, body, text, skip=()):
            index = f"{alias}-{name}"
            analysis = _analysis_body(engine)
            for analyzer in analysis["settings"]["analysis"]["analyzer"].values():
                analyzer["filter"] = [f for f in analyzer["filter"] if f not in skip]
            engine.client.indices.create(index=index, **analysis)
            engine.client.index(index=index, id="1", document={"body": body}, refresh=True)
            query = {"match": {"body": text}}
            return engine.client.count(index=index, query=query)["count"] > 0

        try:
            if finds("stemmer", "Association du Port", "transport"):
                defects.append("its French light stemmer matches unrelated words")
            if not finds("ordinal", "Article 12", "12e", skip={french_stemmer._name}):
                defects.append("its queries do not read ordinals as their number")
        finally:
            drop_indices(url, flavour, alias)
    return "; ".join(defects) or None


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
