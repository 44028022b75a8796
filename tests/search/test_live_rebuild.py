"""A rebuild on a live site: contributions posted, hidden or deleted while
``rebuild_search_index`` runs succeed, the rebuild succeeds, and afterwards the index says what
the database says (the new entry found, the hidden one gone), on the embedded engine (SQLite,
PostgreSQL) and on Elasticsearch. The rebuild posts nothing itself: a wrapped batch generator
makes a citizen post between two batches, then runs the background worker."""

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from charte.core.roles import MODERATORS
from charte.discussions.services import comment_post
from charte.moderation.services import comment_hide
from search import documents
from search.models import RebuildChange, RebuildInProgress, SearchEntry
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.search.es_stub import Stub
from tests.worker import work

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMMAND = "search.management.commands.rebuild_search_index"


def api_keys(client, text):
    """The addresses of what the public search API finds for ``text``."""
    response = client.get("/api/search/", {"q": text})
    assert response.status_code == 200
    return {hit["url"] for hit in response.json()["results"]}


def url_of(comment):
    """The address the search API gives for ``comment``."""
    (entry,) = documents.comment_entries(comment)
    return "http://testserver" + entry.url


def rebuild(monkeypatch, during):
    """``rebuild_search_index`` in batches of two objects, ``during()`` run between the second
    and the third batch (the new index half written); returns what the command printed."""
    import importlib

    monkeypatch.setattr(importlib.import_module(COMMAND), "BATCH", 2)
    real = documents.batches
    ran = []

    def batches(size):
        for n, batch in enumerate(real(size)):
            if n == 2:
                assert RebuildInProgress.objects.exists()  # really during the rebuild
                during()
                ran.append(True)
            yield batch

    monkeypatch.setattr(documents, "batches", batches)
    output = io.StringIO()
    call_command(COMMAND.rsplit(".", 1)[-1], stdout=output, stderr=io.StringIO())
    monkeypatch.setattr(documents, "batches", real)
    assert ran == [True]
    return output.getvalue()


def moderator():
    return factories.UserFactory(username="modo", role=MODERATORS)


def test_contributions_made_during_a_rebuild_are_in_the_new_index(client, corpus, monkeypatch):
    comments = corpus["comments"]
    assert api_keys(client, "élu") == {url_of(comments["elu"])}
    posted = {}

    def during():
        posted["new"] = comment_post(
            paragraph=corpus["rows"][4], by=make_citizen("sam", "Sam"), text="Navettes gratuites"
        )
        comment_hide(comment=comments["elu"], by=moderator(), reason="Doublon")
        comments["tad"].delete()
        work()  # the worker indexes them into the index in place (the old one)
        assert api_keys(client, "navettes") == {url_of(posted["new"])}
        assert api_keys(client, "élu") == set()

    output = rebuild(monkeypatch, during)

    assert "3 objects changed meanwhile indexed again" in output
    assert api_keys(client, "navettes") == {url_of(posted["new"])}
    assert api_keys(client, "élu") == set()
    assert api_keys(client, "soir") == set()  # the deleted comment
    assert api_keys(client, "concertation") == {url_of(comments["concertation"])}
    assert not RebuildInProgress.objects.exists() and not RebuildChange.objects.exists()
    call_command("check_search_index", stdout=io.StringIO())  # raises if the counts differ


def test_a_rebuild_keeps_the_index_structure_and_can_run_again(client, corpus, monkeypatch):
    """The new table takes the old one's place with its full-text side, its indexes and, on
    PostgreSQL, their names: a second rebuild and later writes work the same."""

    def structure():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry'"
                )
                return sorted(row[0] for row in cursor.fetchall())
            cursor.execute(
                "SELECT type, COUNT(*) FROM sqlite_master "
                "WHERE tbl_name LIKE 'search_searchentry%' "
                "GROUP BY type ORDER BY type"
            )
            return cursor.fetchall()

    before = structure()
    for _ in range(2):
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
        assert structure() == before
    comment = comment_post(
        paragraph=corpus["rows"][5], by=corpus["lea"], text="Un budget participatif"
    )
    work()
    assert api_keys(client, "budget participatif") == {url_of(comment)}
    ids = list(SearchEntry.objects.values_list("id", flat=True))
    assert len(ids) == len(set(ids))


@pytest.mark.embedded_engine  # its table aside; Elasticsearch's index aside is tested below
def test_a_rebuild_that_fails_lets_contributions_be_indexed_as_usual(corpus, failing_rebuild):
    failing_rebuild()
    with pytest.raises(RuntimeError):
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert not RebuildInProgress.objects.exists()
    comment = comment_post(paragraph=corpus["rows"][5], by=corpus["lea"], text="Un marché bio")
    work()
    assert SearchEntry.objects.filter(key=f"comment:{comment.pk}").exists()
    assert not RebuildChange.objects.exists()  # nothing noted outside a rebuild
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "search_searchentry_rebuild" not in tables


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://…)",
)
def test_a_comment_posted_from_another_connection_during_a_postgresql_rebuild(
    client, corpus, monkeypatch
):
    """PostgreSQL: the rebuild streams into its own table on a second connection; a citizen
    posts from a third one (a web request's thread) meanwhile, without waiting for it."""
    from django.db import connections

    from search.indexing import refresh

    posted, errors = {}, []

    def post():
        try:
            posted["new"] = comment_post(
                paragraph=corpus["rows"][4], by=corpus["lea"], text="Navettes gratuites"
            )
            refresh("comment", posted["new"].pk)  # what the worker does (signals: main thread)
        except Exception as error:  # reported below, with the test's own assertion
            errors.append(error)
        finally:
            connections.close_all()

    def during():
        thread = threading.Thread(target=post)
        thread.start()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the post waited for the rebuild"

    rebuild(monkeypatch, during)
    assert errors == []
    assert api_keys(client, "navettes") == {url_of(posted["new"])}


ELASTICSEARCH_INDEX = "charte-live-entries"


class StoringStub(Stub):
    """The stub answering as a server that keeps its indices, aliases and documents (enough for
    the requests a rebuild and indexing make)."""

    def __init__(self):
        self.indices, self.aliases = {}, {}
        super().__init__()

    def resolve(self, name):
        return self.aliases.get(name, name)

    def answer(self, method, path, body):
        parts = [part for part in path.split("/") if part]
        if parts == ["_bulk"]:
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            items, i = [], 0
            while i < len(lines):
                ((op, meta),) = lines[i].items()
                index = self.indices[self.resolve(meta["_index"])]
                if op == "index":
                    index[meta["_id"]] = lines[i + 1]
                    i += 2
                else:
                    index.pop(meta["_id"], None)
                    i += 1
                items.append({op: {"_id": meta["_id"], "_index": meta["_index"], "status": 200}})
            return 200, {"took": 1, "errors": False, "items": items}
        if parts[:1] == ["_alias"]:
            alias = parts[1]
            if alias not in self.aliases:
                return 404, {"error": "alias missing", "status": 404}
            return 200, {self.aliases[alias]: {"aliases": {alias: {}}}}
        if parts == ["_aliases"]:
            for action in json.loads(body)["actions"]:
                ((op, args),) = action.items()
                if op == "add":
                    self.aliases[args["alias"]] = args["index"]
                elif self.aliases.get(args["alias"]) == args["index"]:
                    del self.aliases[args["alias"]]
            return 200, {"acknowledged": True}
        if len(parts) == 3 and parts[1] == "_alias" and method == "PUT":
            self.aliases[parts[2]] = parts[0]
            return 200, {"acknowledged": True}
        if len(parts) == 1 and method == "PUT":
            self.indices[parts[0]] = {}
            return 200, {"acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "DELETE":
            self.indices.pop(parts[0], None)
            return 200, {"acknowledged": True}
        return super().answer(method, path, body)

    def documents(self):
        return self.indices[self.aliases[ELASTICSEARCH_INDEX]]


@pytest.fixture
def elasticsearch(settings):
    server = StoringStub()
    settings.ELASTICSEARCH_URL = server.url
    settings.ELASTICSEARCH_INDEX = ELASTICSEARCH_INDEX
    yield server
    server.close()


def test_elasticsearch_keeps_what_was_indexed_during_a_rebuild(opened, elasticsearch, monkeypatch):
    from charte.models import Paragraph

    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    lea = make_citizen()
    kept = comment_post(paragraph=rows[0], by=lea, text="Chaque élu doit répondre.")
    hidden = comment_post(paragraph=rows[1], by=lea, text="Le transport manque le soir.")
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    first = elasticsearch.aliases[ELASTICSEARCH_INDEX]
    assert {f"comment:{kept.pk}", f"comment:{hidden.pk}"} <= set(elasticsearch.documents())
    posted = {}

    def during():
        posted["new"] = comment_post(paragraph=rows[2], by=lea, text="Navettes gratuites")
        comment_hide(comment=hidden, by=moderator(), reason="Doublon")
        work()  # written to the alias: the old index, dropped at the swap
        assert f"comment:{posted['new'].pk}" in elasticsearch.indices[first]

    rebuild(monkeypatch, during)

    assert elasticsearch.aliases[ELASTICSEARCH_INDEX] != first
    assert list(elasticsearch.indices) == [elasticsearch.aliases[ELASTICSEARCH_INDEX]]
    found = elasticsearch.documents()
    assert found[f"comment:{posted['new'].pk}"]["body"] == "Navettes gratuites"
    assert f"comment:{hidden.pk}" not in found
    assert f"comment:{kept.pk}" in found


def test_elasticsearch_drops_the_new_index_of_a_failed_rebuild(
    opened, elasticsearch, failing_rebuild
):
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    (first,) = elasticsearch.indices
    failing_rebuild()
    with pytest.raises(RuntimeError):
        call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert list(elasticsearch.indices) == [first]
    assert elasticsearch.aliases[ELASTICSEARCH_INDEX] == first
    assert not RebuildInProgress.objects.exists()


SCRIPT = Path(__file__).with_name("sqlite_live_rebuild.py")


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="needs SQLite (DATABASE_URL names another database)",
)
@pytest.mark.embedded_engine
def test_sqlite_in_wal_mode_takes_posts_during_a_rebuild(tmp_path):
    """Two processes on one SQLite file in WAL mode, as in production: a rebuild (slowed down
    between batches) and a citizen posting while it runs; the post does not wait for the end
    of the rebuild, and the comment is found afterwards."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "settings.test",
        "ELASTICSEARCH_URL": "",  # the embedded engine's table in the SQLite file
        "PYTHONPATH": os.pathsep.join([str(root), str(root / "site")]),
    }

    def run(*args, **kwargs):
        return subprocess.run(
            [sys.executable, str(SCRIPT), *args],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            **kwargs,
        )

    setup = run("setup")
    assert setup.returncode == 0, setup.stderr
    ready = tmp_path / "ready"
    rebuilding = subprocess.Popen(
        [sys.executable, str(SCRIPT), "rebuild", str(ready)],
        env=env,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        posting = run("post", str(ready))
        out, err = rebuilding.communicate(timeout=300)
    finally:
        if rebuilding.poll() is None:
            rebuilding.kill()
    assert posting.returncode == 0, posting.stderr
    assert json.loads(posting.stdout) == {"posted": True, "rebuild_still_running": True}
    assert rebuilding.returncode == 0, err
    assert "objects changed meanwhile indexed again" in out
    check = run("check")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout) == {"navettes": 1, "hidden": 0, "journal_mode": "wal"}


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://…)",
)
def test_the_swap_lets_a_long_search_finish_then_tries_again(client, corpus, monkeypatch):
    """PostgreSQL: a transaction still reading the old table when the rebuild ends: the swap
    gives up waiting for it after a moment (searches queued behind it go through), tries
    again, and succeeds once the reader is done."""
    from django.db import connections

    from search.engines import database

    monkeypatch.setattr(database, "SWAP_LOCK_TIMEOUT", "200ms")
    attempts = []
    real_swap = database.DatabaseEngine._swap

    def counted(writer):
        attempts.append(True)
        real_swap(writer)

    monkeypatch.setattr(database.DatabaseEngine, "_swap", staticmethod(counted))
    reading = threading.Event()

    def long_reader():
        reader = connections.create_connection("default")
        try:
            reader.set_autocommit(False)
            with reader.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM search_searchentry")
                reading.set()
                cursor.execute("SELECT pg_sleep(1.5)")
            reader.commit()
        finally:
            reader.close()

    thread = threading.Thread(target=long_reader)

    def during():
        thread.start()
        assert reading.wait(timeout=30)

    rebuild(monkeypatch, during)
    thread.join(timeout=30)
    assert len(attempts) >= 2
    assert api_keys(client, "concertation") == {url_of(corpus["comments"]["concertation"])}
