"""The processes of ``test_sqlite_in_wal_mode_takes_posts_during_a_rebuild``, each run on the
SQLite file named by DATABASE_URL (WAL mode, as the settings open it):

- ``setup``: the schema, an open iteration, two comments, a first index;
- ``rebuild READY``: ``rebuild_search_index`` in batches of two objects, a second between two
  batches, creating READY once the new index is half written;
- ``post READY``: once READY exists, a citizen posts a comment, a moderator hides another and
  the worker indexes both; prints whether the rebuild was still running afterwards;
- ``check``: prints what a search finds afterwards.
"""

import io
import json
import sys
import time
from pathlib import Path


def setup():
    from django.core.management import call_command

    from charte.core.roles import MODERATORS
    from charte.discussions.services import comment_post
    from charte.models import Paragraph
    from charte.texts import services
    from tests import factories
    from tests.charte.discussions.test_comments import make_citizen

    call_command("migrate", verbosity=0)
    editor = factories.editor()
    iteration = factories.make_iteration(factories.make_charter(user=editor), user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    rows = list(Paragraph.objects.filter(iteration=iteration).order_by("position"))
    lea = make_citizen()
    for n, row in enumerate(rows):
        comment_post(paragraph=row, by=lea, text=f"Avis {n} sur le marché")
    comment_post(paragraph=rows[1], by=lea, text="Un doublon à masquer")
    factories.UserFactory(username="modo", role=MODERATORS)
    call_command("rebuild_search_index", stdout=io.StringIO(), stderr=io.StringIO())


def rebuild(ready):
    from django.core.management import call_command

    from search import documents
    from search.management.commands import rebuild_search_index

    rebuild_search_index.BATCH = 2
    real = documents.batches

    def slow(size):
        for n, batch in enumerate(real(size)):
            if n == 2:
                Path(ready).touch()
            if n >= 2:
                time.sleep(1)  # time for the other process to post
            yield batch

    documents.batches = slow
    call_command("rebuild_search_index", stderr=io.StringIO())


def post(ready):
    from charte.discussions.models import Comment
    from charte.discussions.services import comment_post
    from charte.models import Paragraph, User
    from charte.moderation.services import comment_hide
    from search.models import RebuildInProgress
    from tests.worker import work

    deadline = time.monotonic() + 120
    while not Path(ready).exists():
        assert time.monotonic() < deadline, "the rebuild never started"
        time.sleep(0.05)
    paragraph = Paragraph.objects.order_by("position").first()
    comment_post(paragraph=paragraph, by=User.objects.get(username="lea"), text="Navettes")
    comment_hide(
        comment=Comment.objects.get(comment="Un doublon à masquer"),
        by=User.objects.get(username="modo"),
        reason="Doublon",
    )
    work()
    running = RebuildInProgress.objects.exists()
    print(json.dumps({"posted": True, "rebuild_still_running": running}))


def check():
    from django.db import connection

    from search.engines import Query, get_engine

    engine = get_engine()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
    found = {
        "navettes": engine.search(Query(text="navettes")).total,
        "hidden": engine.search(Query(text="doublon masquer")).total,
        "journal_mode": mode,
    }
    print(json.dumps(found))


if __name__ == "__main__":
    import django

    django.setup()
    command, *args = sys.argv[1:]
    {"setup": setup, "rebuild": rebuild, "post": post, "check": check}[command](*args)
