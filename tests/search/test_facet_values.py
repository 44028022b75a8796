"""Every value of a facet is reachable, on the embedded engine and on a live server: the page
lists the ten most frequent values of each facet and a link to the same search listing all of
them (``more=<facet>``); on Elasticsearch, values past the terms aggregation's size are read
with a composite aggregation, page after page. And « Did you mean … ? » on both engines."""

import re

import pytest

from search.engines import Query, get_engine
from tests import factories

# Each test runs on the embedded engine, then on a live server (``engine_name``).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine_name")]

ARTICLES = 12


@pytest.fixture
def place(public_version):
    return public_version


@pytest.fixture
def articles(place):
    """Comments about twelve articles: article n has n comments (article 1 the fewest)."""
    entries = [
        factories.search_entry(
            f"comment:{article * 100 + n}",
            title="Commentaire",
            body=f"La concertation sur l’article {article}",
            article=article,
            **place,
        )
        for article in range(1, ARTICLES + 1)
        for n in range(article)
    ]
    get_engine().write(entries)
    return entries


def article_links(html: str) -> list[str]:
    return re.findall(r'href="\?[^"]*article=(\d+)[^"]*"', html)


@pytest.mark.parametrize(
    ("address", "more_text", "less_text"),
    [
        (
            "/recherche/",
            "Voir les 12 valeurs",
            "Afficher seulement les valeurs les plus fréquentes",
        ),
        ("/en/search/", "See all 12 values", "Show only the most frequent values"),
    ],
)
def test_a_facet_shows_ten_values_and_links_to_all_of_them(
    client, articles, address, more_text, less_text
):
    html = client.get(address, {"q": "concertation"}).content.decode()
    # The ten most frequent articles (12 down to 3), not the two least frequent.
    assert sorted(int(a) for a in article_links(html)) == list(range(3, ARTICLES + 1))
    link = re.search(r'<a href="(\?[^"]*more=article[^"]*)"[^>]*>([^<]*)</a>', html)
    assert link is not None
    assert link.group(2) == more_text
    every = client.get(address + link.group(1).replace("&amp;", "&")).content.decode()
    assert sorted(int(a) for a in article_links(every)) == list(range(1, ARTICLES + 1))
    assert link.group(2) not in every  # all listed: a link back to the ten instead
    assert less_text in every
    # A facet with few values has no such link.
    assert "more=kind" not in html


def test_a_chosen_value_stays_in_view_past_the_first_ten(client, articles):
    html = client.get("/en/search/", {"q": "concertation", "article": "1"}).content.decode()
    assert "1" in article_links(html)
    assert 'aria-current="true"' in html


def test_the_api_says_how_many_values_a_facet_has(client, articles):
    data = client.get("/en/api/search/", {"q": "concertation", "more": "article"}).json()
    article = next(f for f in data["facets"] if f["name"] == "article")
    assert article["size"] == ARTICLES
    assert [v["value"] for v in article["values"]] == list(range(ARTICLES, 0, -1))


def test_values_past_the_engine_s_facet_size_are_all_reachable(articles, engine_name, monkeypatch):
    if engine_name == "elasticsearch":
        from search.engines import elasticsearch

        # As if a site had thousands of articles: the terms aggregation lists 4, the
        # composite aggregation reads 5 a request.
        monkeypatch.setattr(elasticsearch, "FACET_SIZE", 4)
        monkeypatch.setattr(elasticsearch, "COMPOSITE_SIZE", 5)
    engine = get_engine()
    first = engine.search(Query(text="concertation"))
    listed = len(first.facets["article"])
    assert first.sizes.get("article", listed) == ARTICLES
    every = engine.search(Query(text="concertation", more="article"))
    assert every.facets["article"] == [(a, a) for a in range(ARTICLES, 0, -1)]
    assert every.facets["article"][:listed] == first.facets["article"]


def test_every_value_counts_with_the_other_filters(place, engine_name, monkeypatch):
    if engine_name == "elasticsearch":
        from search.engines import elasticsearch

        monkeypatch.setattr(elasticsearch, "FACET_SIZE", 2)
        monkeypatch.setattr(elasticsearch, "COMPOSITE_SIZE", 2)
    get_engine().write(
        [
            factories.search_entry(
                f"comment:{a}{kind}", body="La concertation", kind=kind, article=a, **place
            )
            for a in range(1, 6)
            for kind in ("comment", "amendment")
            if not (kind == "amendment" and a > 3)
        ]
    )
    results = get_engine().search(
        Query(text="concertation", filters={"kind": "amendment"}, more="article")
    )
    assert sorted(results.facets["article"]) == [(1, 1), (2, 1), (3, 1)]


def test_a_misspelt_word_is_offered_the_word_it_meant(place):
    factories_write(place, "comment:1", "Une vraie concertation avec les habitants.")
    factories_write(place, "comment:2", "La pétition circule dans le quartier.")
    factories_write(place, "comment:3", "Merci pour la participation")
    engine = get_engine()
    assert engine.suggest("participaton") == "participation"  # the last word of a text
    assert engine.suggest("pétiton") == "pétition"
    assert engine.suggest("concertaton") == "concertation"
    assert engine.suggest("vraie concertaton") == "vraie concertation"
    assert engine.suggest("concertation") is None  # found: nothing to suggest
    assert engine.suggest("xyzzyq") is None


def test_a_suggestion_must_find_something_visible(place, iteration):
    factories_write(place, "comment:1", "Une vraie concertation avec les habitants.")
    iteration.unpublish()
    assert get_engine().suggest("concertaton") is None


@pytest.mark.french_analysis  # osmem-server finds « concertation » for « concertaton »
def test_the_page_offers_the_suggestion_in_french(client, place):
    factories_write(place, "comment:1", "Une vraie concertation avec les habitants.")
    html = client.get("/recherche/", {"q": "concertaton"}).content.decode()
    assert 'href="?q=concertation"' in html
    assert client.get("/api/search/", {"q": "concertaton"}).json()["suggestion"] == ("concertation")


def factories_write(place, key, body):
    get_engine().write([factories.search_entry(key, title="Commentaire", body=body, **place)])
