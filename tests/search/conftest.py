import pytest
from django.core.management import call_command
from django.utils import timezone

from charte.discussions.services import comment_post
from charte.models import Paragraph
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen


@pytest.fixture
def opened(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


@pytest.fixture
def corpus(opened):
    """An open iteration, comments in several states, and a fresh index."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    lea = make_citizen()
    assoc = make_citizen("asso", "Association du Port")
    assoc.author_type = "association"
    assoc.author_type_confirmed_at = timezone.now()  # confirmed by the team: counted as such
    assoc.save()
    comments = {
        "elu": comment_post(paragraph=rows[0], by=lea, text="Chaque élu doit répondre."),
        "tad": comment_post(
            paragraph=rows[1], by=assoc, text="Le transport à la demande manque le soir."
        ),
        "concertation": comment_post(
            paragraph=rows[2], by=lea, text="Une vraie concertation, <b>enfin</b> !"
        ),
        "apart": comment_post(
            paragraph=rows[3], by=lea, text="Le transport scolaire, et la demande des parents."
        ),
    }
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    return {"rows": rows, "comments": comments, "lea": lea, "assoc": assoc}


def queued_refreshes() -> set:
    """(kind, pk) of every object whose search entries are queued for a refresh."""
    from django_tasks_db.models import DBTaskResult

    queued = set()
    for task in DBTaskResult.objects.filter(task_path__startswith="search.indexing."):
        args = task.args_kwargs["args"]
        if task.task_path.endswith("refresh_batch_task"):
            queued |= {(kind, pk) for kind, pks in args[0].items() for pk in pks}
        else:
            queued.add((args[0], args[1]))
    return queued


def run_search_tasks() -> int:
    """What the worker does with the queued search refreshes; returns how many tasks ran."""
    from django_tasks_db.models import DBTaskResult

    from search.indexing import refresh, refresh_many

    tasks = list(DBTaskResult.objects.filter(task_path__startswith="search.indexing."))
    for task in tasks:
        args = task.args_kwargs["args"]
        if task.task_path.endswith("refresh_batch_task"):
            refresh_many(args[0])
        else:
            refresh(args[0], args[1])
        task.delete()
    return len(tasks)


@pytest.fixture(autouse=True)
def _aliases_asked_again():
    """The engine remembers, per process, which aliases exist: each test starts afresh."""
    from search.engines import elasticsearch

    elasticsearch._known_aliases.clear()
    yield
    elasticsearch._known_aliases.clear()


@pytest.fixture
def failing_rebuild(monkeypatch):
    """Call it, and rebuilds read one batch of entries, then the database goes away."""
    from search import documents

    real = documents.batches

    def failing(size):
        batches = real(size)
        yield next(batches)
        raise RuntimeError("the database went away")

    return lambda: monkeypatch.setattr(documents, "batches", failing)


@pytest.fixture(params=["embedded", "live"])
def engine_name(request, settings):
    """The test runs on the embedded engine, then on a live server (``live_search``): the name
    of the engine in use."""
    if request.param == "embedded":
        settings.ELASTICSEARCH_URL = ""
        return "database"
    request.getfixturevalue("live_search")
    return "elasticsearch"


@pytest.fixture
def public_version(iteration, editor):
    """The ids of an open, public version: entries filed under it are visible."""
    services.iteration_open(iteration=iteration, by=editor)
    return {
        "charter_id": iteration.get_parent().pk,
        "iteration_id": iteration.pk,
        "page_id": iteration.pk,
    }
