import pytest
from django.core.management import call_command

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


@pytest.fixture(autouse=True)
def _aliases_asked_again():
    """The engine remembers, per process, which aliases exist: each test starts afresh."""
    from search.engines import elasticsearch

    elasticsearch._known_aliases.clear()
    yield
    elasticsearch._known_aliases.clear()
