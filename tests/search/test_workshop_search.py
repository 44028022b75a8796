"""What a workshop or a paper register said is found with its origin: the « Origine » facet
counts online, workshop and register contributions, filters by them, in both languages; the
entries are signed by the workshop (found by its date, place or name), never by the facilitator,
whose author type is not theirs; a workshop renamed or moved is indexed again."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from charte.core import roles
from charte.discussions.services import comment_post
from charte.models import Paragraph
from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter
from search.engines import Query, get_engine
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.search.conftest import queued_refreshes, run_search_tasks

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PORT = "Atelier du 12 mars 2026 – Maison de quartier du Port, 18 participants"


@pytest.fixture
def said(opened, django_capture_on_commit_callbacks):
    """About benches: one comment online; two comments and an amendment from the workshop of
    the Port; one line of the town hall's paper register. Entered by a facilitator who is a
    confirmed elected member (what they enter is not theirs)."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    facilitator = factories.UserFactory(username="zoe", role=roles.FACILITATORS)
    facilitator.author_type = "elected"
    facilitator.author_type_confirmed_at = timezone.now()
    facilitator.save()
    charter = opened.get_parent().specific
    port = factories.make_workshop(
        charter,
        facilitators=[facilitator],
        iteration=opened,
        title="Atelier des bancs publics",
        starts_at=datetime.datetime(2026, 3, 12, 18, 0, tzinfo=PARIS),
        place="Maison de quartier du Port",
        participants=18,
    )
    register = factories.make_workshop(
        charter,
        facilitators=[facilitator],
        kind="register",
        title="Registre de la mairie",
        starts_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS),
        place="Hôtel de ville, accueil",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _enter(rows, port, register, facilitator)
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    return {"port": port, "register": register, "rows": rows}


def _enter(rows, port, register, facilitator):
    comment_post(paragraph=rows[0], by=make_citizen(), text="Il manque des bancs le long du quai.")
    workshop_comment_enter(
        workshop=port, paragraph=rows[1], text="Des bancs à l’ombre, table 1.", by=facilitator
    )
    workshop_comment_enter(
        workshop=port, paragraph=rows[2], text="Des bancs pour les aînés, table 2.", by=facilitator
    )
    workshop_amendment_enter(
        workshop=port,
        paragraph=rows[3],
        kind="modify",
        text="La ville installe des bancs sur chaque place.",
        rationale="Demandé par trois tables.",
        by=facilitator,
    )
    workshop_comment_enter(
        workshop=register, paragraph=rows[4], text="Plus de bancs devant la mairie.", by=facilitator
    )


def facet(html: str, name: str) -> list[tuple[str, int]]:
    """The (label, count) pairs of the facet ``name`` on the search page."""
    section = re.search(
        rf'<section aria-labelledby="facet-{name}">(.*?)</section>', html, re.S
    ).group(1)
    return [
        (re.sub(r"<[^>]+>", "", label).replace("✓", "").strip(), int(count))
        for label, count in re.findall(
            r"<a [^>]*>(.*?)</a> <span class=\"facet-count\">\((\d+)\)</span>", section, re.S
        )
    ]


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"[^>]*><a [^>]*>(.*?)</a></h3>', html, re.S)


@pytest.mark.usefixtures("engine_name")
@pytest.mark.parametrize(
    ("address", "online", "workshop", "register"),
    [
        ("/recherche/", "En ligne", "Atelier", "Registre papier"),
        ("/en/search/", "Online", "Workshop", "Paper register"),
    ],
)
def test_the_origin_facet_counts_and_filters_each_origin(
    client, said, address, online, workshop, register
):
    html = client.get(address, {"q": "bancs"}).content.decode()
    assert sorted(facet(html, "origin")) == sorted([(workshop, 3), (online, 1), (register, 1)])
    # The facilitator's author type is nobody's here: only the resident online has one.
    assert [count for _label, count in facet(html, "author_type")] == [1]

    html = client.get(address, {"q": "bancs", "origin": "workshop"}).content.decode()
    found = titles(html)
    assert len(found) == 3
    assert all(title.endswith(f" – {PORT}") for title in found)

    html = client.get(address, {"q": "bancs", "origin": "register"}).content.decode()
    assert [title.split(" – ", 1)[1] for title in titles(html)] == [
        "Registre papier – Hôtel de ville, accueil"
    ]


@pytest.mark.usefixtures("engine_name")
@pytest.mark.parametrize(
    "words",
    ["Maison de quartier du Port", "atelier du 12 mars", "Atelier des bancs publics"],
)
def test_a_workshop_is_found_by_its_place_its_date_or_its_name(said, words):
    results = get_engine().search(Query(text=words))
    assert {hit.key.split(":")[0] for hit in results.hits} == {"comment", "amendment"}
    assert results.total == 3
    assert dict(results.facets["origin"]) == {"workshop": 3}


def test_the_entries_carry_origin_and_signature_not_the_facilitator(said):
    from search.documents import all_entries

    entries = {
        entry.body: entry
        for entry in all_entries()
        if entry.kind in ("comment", "amendment") and "bancs" in entry.body
    }
    online = entries["Il manque des bancs le long du quai."]
    assert (online.origin, online.author_type) == ("online", "resident")
    register = entries["Plus de bancs devant la mairie.\n\nRegistre de la mairie"]
    assert (register.origin, register.author_type) == ("register", "")
    assert register.title.endswith(" – Registre papier – Hôtel de ville, accueil")
    shade = entries["Des bancs à l’ombre, table 1.\n\nAtelier des bancs publics"]
    assert (shade.origin, shade.author_type) == ("workshop", "")
    assert shade.title == f"Commentaire sur l’article 1, alinéa 2 – {PORT}"


def test_a_workshop_moved_is_indexed_again(said, django_capture_on_commit_callbacks):
    run_search_tasks()  # what the fixture queued (the rebuild indexed it already)
    port = said["port"]
    port.place = "Salle polyvalente des Tilleuls"
    with django_capture_on_commit_callbacks(execute=True):
        port.save()
    assert queued_refreshes() == {
        *(("comment", pk) for pk in port.comments.values_list("pk", flat=True)),
        *(("amendment", pk) for pk in port.amendments.values_list("pk", flat=True)),
    }
    run_search_tasks()
    engine = get_engine()
    assert engine.search(Query(text="Salle polyvalente des Tilleuls")).total == 3
    assert engine.search(Query(text="Maison de quartier du Port")).total == 0
