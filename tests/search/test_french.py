"""French matching on every engine (the embedded one on SQLite and PostgreSQL, then a live
Elasticsearch-API server): the same words meet whatever their accents, case, elision or number,
unrelated words stay apart, numbers and ordinals are found, and a misspelt query is offered the
word it probably meant. Tests marked ``french_analysis`` judge the stemming itself: they skip on
a server whose stemmer is broken (see ``tests.search.live``)."""

import datetime

import pytest
from django.db import connection

from charte.models import Paragraph
from charte.texts import services
from search.documents import paragraph_entries
from search.engines import Query, get_engine
from search.french import index_text
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(public_version, engine_name):
    """The same, and the test runs on the embedded engine, then on a live server."""
    return public_version


def write(place, key, title, body, **fields):
    entry = factories.search_entry(key, title=title, body=body, **place, **fields)
    get_engine().write([entry])
    return entry


def ranked(text):
    return [hit.key for hit in get_engine().search(Query(text=text)).hits]


@pytest.mark.french_analysis
def test_singular_and_plural_meet(place):
    write(place, "comment:1", "Commentaire", "Les élus répondent aux habitants.")
    write(place, "comment:2", "Commentaire", "Chaque élu tient une permanence.")
    assert set(ranked("élu")) == {"comment:1", "comment:2"}
    assert set(ranked("élus")) == {"comment:1", "comment:2"}
    assert set(ranked("élues")) == {"comment:1", "comment:2"}


@pytest.mark.french_analysis
def test_petition_does_not_find_petit(place):
    write(place, "comment:1", "Commentaire", "Un petit jardin derrière l’école.")
    write(place, "comment:2", "Commentaire", "La pétition a recueilli 300 signatures.")
    assert ranked("pétition") == ["comment:2"]
    assert ranked("pétitions") == ["comment:2"]
    assert ranked("petits") == ["comment:1"]


@pytest.mark.french_analysis
def test_accents_case_and_elision_do_not_matter(place):
    write(place, "comment:1", "Commentaire", "L’ÉLUE de quartier viendra.")
    for typed in ("élu", "ELU", "elue", "l’élu", "l'élue", "d’élus"):
        assert ranked(typed) == ["comment:1"], typed


@pytest.mark.french_analysis
def test_verb_and_noun_forms_meet(place):
    write(place, "comment:1", "Commentaire", "Les votes du conseil sont publics.")
    assert ranked("vote") == ["comment:1"]
    assert ranked("voter") == ["comment:1"]


def test_amendment_3_comes_first(place):
    for number in range(1, 14):
        write(
            place,
            f"amendment:{number}",
            f"Amendement n° {number}",
            f"Modifier l’article {number + 2} : ajouter 3 réunions publiques par an.",
            kind="amendment",
        )
    assert ranked("amendement 3")[0] == "amendment:3"
    assert ranked("amendement n°3")[0] == "amendment:3"
    assert ranked("amendement 13")[0] == "amendment:13"


def articles(place):
    for article in (1, 2, 12, 21):
        write(
            place,
            f"paragraph:{article}:fr",
            f"Article {article}, alinéa 1 – Les transports",
            "La commune organise le transport à la demande.",
            kind="paragraph",
            article=article,
        )


def test_article_12_is_found(place):
    articles(place)
    assert ranked("article 12")[0] == "paragraph:12:fr"


@pytest.mark.french_analysis
def test_an_ordinal_finds_its_number(place):
    articles(place)
    assert ranked("12e article")[0] == "paragraph:12:fr"
    assert ranked("1er article")[0] == "paragraph:1:fr"


def test_a_typo_is_offered_the_word_meant(place):
    write(place, "comment:1", "Commentaire", "Une vraie concertation avec les habitants.")
    engine = get_engine()
    assert ranked("concertaton") == []
    assert engine.suggest("concertaton") == "concertation"
    assert engine.suggest("concertation") is None  # found: nothing to suggest
    assert engine.suggest("xyzzyq") is None


def test_the_nearest_word_is_suggested_not_a_shorter_one(place):
    write(place, "comment:1", "Commentaire", "Un petit jardin, une petite place.")
    write(place, "comment:2", "Commentaire", "La pétition circule dans le quartier.")
    assert get_engine().suggest("pétiton") == "pétition"


def test_a_suggestion_must_find_something_visible(place, iteration):
    write(place, "comment:1", "Commentaire", "Une vraie concertation avec les habitants.")
    iteration.unpublish()
    assert get_engine().suggest("concertaton") is None


def test_the_page_links_the_suggestion(client, place):
    write(place, "comment:1", "Commentaire", "Une vraie concertation avec les habitants.")
    html = client.get("/en/search/", {"q": "concertaton", "kind": "comment"}).content.decode()
    assert "Did you mean" in html
    assert 'href="?q=concertation&amp;kind=comment"' in html
    assert "“concertation”" in html
    answer = client.get("/en/api/search/", {"q": "concertaton"}).json()
    assert answer["total"] == 0
    assert answer["suggestion"] == "concertation"


@pytest.mark.french_analysis
def test_excerpts_mark_every_form_of_the_word(place):
    write(place, "comment:1", "Commentaire", "Les élus et l’élue ont signé les pétitions.")
    excerpt = get_engine().search(Query(text="élu pétition")).hits[0].excerpt
    assert excerpt.count("<mark>") == 3
    assert "<mark>pétitions</mark>" in excerpt


@pytest.mark.embedded_engine
def test_the_index_stores_normalised_words(public_version):
    write(public_version, "comment:1", "Les Élus", "Journaux et pétitions.")
    assert index_text("Les Élus") == "elu"
    assert index_text("Journaux et pétitions.") == "journal petition"
    if connection.vendor == "postgresql":  # the vector holds them; the columns are emptied
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_vector::text, title_terms FROM search_searchentry WHERE key = %s",
                ["comment:1"],
            )
            vector, title_terms = cursor.fetchone()
        assert vector == "'elu':1A 'journal':2B 'petition':3B"
        assert title_terms == ""


def test_english_entries_are_in_english(client, iteration, editor, english):
    from tests.charte.texts.test_public_pages import translate

    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    paragraph = Paragraph.objects.filter(iteration_id=iteration.pk).order_by("position").first()
    entries = {entry.language: entry for entry in paragraph_entries(paragraph)}
    french, english_entry = entries["fr"], entries["en"]
    assert french.title == f"Article 1, alinéa 1 – {paragraph.article_title}"
    assert english_entry.title == f"Article 1, paragraph 1 – Article {paragraph.article_title}"
    assert english_entry.iteration_title == f"{translated.title} – {translated.label}"
    assert english_entry.url.startswith("/en/")
    assert english_entry.body.startswith("In English: ")
    get_engine().write(entries.values())
    html = client.get("/en/search/", {"q": "english"}).content.decode()
    assert f'<h3 class="card__title" lang="en"><a href="{english_entry.url}"' in html
    assert 'lang="fr"' not in html.split('id="results-title"')[1]


def test_unrelated_short_words_are_not_prefixes(place):
    write(place, "comment:1", "Commentaire", "Les loisirs des jeunes.", date=_day(1))
    write(place, "comment:2", "Commentaire", "La loi du 3 mars.", date=_day(2))
    assert ranked("loi") == ["comment:2"]


def _day(n):
    return datetime.datetime(2026, 11, n, 10, tzinfo=datetime.UTC)


def test_elasticsearch_analyses_french_and_prefers_whole_titles():
    from search.engines.elasticsearch import ElasticsearchEngine

    engine = ElasticsearchEngine("http://127.0.0.1:9", alias="charte-test")
    analysis = engine.index_body()["settings"]["analysis"]
    assert analysis["analyzer"]["french_folded"]["filter"] == [
        "french_elision",
        "lowercase",
        "french_stop",
        "asciifolding",
        "french_ordinal",
        "french_light_stemmer",
    ]
    assert analysis["filter"]["french_light_stemmer"]["language"] == "light_french"
    assert {"l", "d", "qu", "n"} <= set(analysis["filter"]["french_elision"]["articles"])
    body = engine.build_search(Query(text="amendement 3"), {3, 4}).to_dict()
    query = body["query"]["bool"]
    assert query["must"][0]["simple_query_string"]["query"] == "amendement 3"
    assert query["should"] == [
        {"match": {"title": {"query": "amendement 3", "operator": "and", "boost": 10}}}
    ]


def test_the_readers_language_comes_first(place):
    write(place, "paragraph:1:en", "Petitions", "A petition of 600 signatures.", language="en")
    write(place, "paragraph:1:fr", "Pétitions", "Une pétition de 600 signatures.", language="fr")
    engine = get_engine()
    french = engine.search(Query(text="pétition", language="fr")).hits
    english = engine.search(Query(text="petition", language="en")).hits
    assert [hit.key for hit in french] == ["paragraph:1:fr", "paragraph:1:en"]
    assert [hit.key for hit in english] == ["paragraph:1:en", "paragraph:1:fr"]


def test_the_french_page_offers_the_word_meant_in_french(client, place):
    write(place, "comment:1", "Commentaire", "Une vraie concertation avec les habitants.")
    html = client.get("/recherche/", {"q": "concertaton"}).content.decode()
    assert (
        'Vouliez-vous dire <a href="?q=concertation" rel="nofollow">'
        "«\u00a0concertation\u00a0»</a>\u202f?"
    ) in html
