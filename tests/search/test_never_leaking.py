"""Search never shows what an anonymous reader may not read. An entry is shown only while the
page it links to and every ancestor of that page are live and public, in that language: a
translation is its own page. The matrix: the kind of restriction (password, groups, login,
unpublished page, unpublished ancestor, private ancestor) × the language restricted (the French
source, the English translation) × every kind of entry (paragraph, comment, amendment, argument,
commitment, page), searched through the search page (``/recherche/``, ``/en/search/``) and the
API; facet counts come from what is shown; a refresh or a rebuild leaves nothing restricted in
the index."""

import copy
import json
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Locale, Page, PageViewRestriction

from charte.amendments.services import amendment_propose
from charte.debates.services import argument_post
from charte.discussions.services import comment_post
from charte.follow_up.models import Commitment
from charte.models import Amendment, Argument, CharterIterationPage, Comment, DebatePage, Paragraph
from charte.texts import services
from search import documents
from search.engines import FACETS, Query, get_engine
from search.engines.elasticsearch import ElasticsearchEngine
from search.indexing import refresh
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.search.es_stub import Stub

pytestmark = pytest.mark.django_db

WORD = "zorglub"  # in every entry: one search finds them all

# Each entry carries one marker word, and depends on one page (and its ancestors):
# (language, level) where the level is "charter", "iteration" or "debate".
MARKERS = {
    "mqcharterfr": (("fr", "charter"), "charter"),
    "mqversionfr": (("fr", "iteration"), "iteration"),
    "mqdebatefr": (("fr", "debate"), "debate"),
    "mqparafr": (("fr", "iteration"), "paragraph"),
    "mqcommentfr": (("fr", "iteration"), "comment"),
    # A comment written in English on the English page is about the French paragraph and
    # links to its French page: that page decides.
    "mqcommenten": (("fr", "iteration"), "comment"),
    "mqamendment": (("fr", "iteration"), "amendment"),
    "mqamendcomment": (("fr", "iteration"), "comment"),
    "mqargument": (("fr", "debate"), "argument"),
    "mqargcomment": (("fr", "debate"), "comment"),
    "mqcharteren": (("en", "charter"), "charter"),
    "mqversionen": (("en", "iteration"), "iteration"),
    "mqdebateen": (("en", "debate"), "debate"),
    "mqparaen": (("en", "iteration"), "paragraph"),
    # A commitment of the charter is read on the charter's page, in each language it is
    # worded in; the comments on it link to the French one.
    "mqcommitfr": (("fr", "charter"), "commitment"),
    "mqcommiten": (("en", "charter"), "commitment"),
    "mqcommitcomment": (("fr", "charter"), "comment"),
}
ENTRY_LANGUAGES = {"mqcommenten": "en"}
SEARCH_PAGES = ("/recherche/", "/en/search/")  # the search page in French and in English


def translated_iteration(iteration, english):
    translated = iteration.copy_for_translation(english)
    body = copy.deepcopy(list(translated.body.raw_data))
    for section in body:
        for article in section["value"]["articles"]:
            for paragraph in article["value"]["paragraphs"]:
                paragraph["value"] = f"{WORD.capitalize()} mqparaen: the town answers everyone."
    translated.body = list(body)
    translated.title = f"{WORD} mqversionen"
    translated.save_revision().publish()
    return CharterIterationPage.objects.get(pk=translated.pk)


@pytest.fixture
def world(charter, editor):
    """A charter in French and English: its version (one paragraph) and a debate in both
    languages, comments in French and English, an amendment, an argument, their comments."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    charter.title = f"{WORD} mqcharterfr"
    charter.save_revision().publish()
    iteration = factories.make_iteration(
        charter,
        factories.body_with(1, prefix=f"{WORD.capitalize()} mqparafr"),
        title=f"{WORD} mqversionfr",
        slug="version-fr",
        user=editor,
    )
    services.iteration_open(iteration=iteration, by=editor)
    iteration = CharterIterationPage.objects.get(pk=iteration.pk)
    english_charter = charter.copy_for_translation(english, copy_parents=True)
    english_charter.title = f"{WORD} mqcharteren"
    english_charter.save_revision().publish()
    english_iteration = translated_iteration(iteration, english)
    debate = factories.make_debate(
        charter,
        question=f"{WORD} mqdebatefr ?",
        title=f"{WORD} mqdebatefr",
        slug="debat-fr",
        user=editor,
    )
    english_debate = debate.copy_for_translation(english)
    english_debate.question = f"{WORD} mqdebateen?"
    english_debate.title = f"{WORD} mqdebateen"
    english_debate.save_revision().publish()

    lea = make_citizen()
    row = Paragraph.objects.get(iteration=iteration)
    comment_post(paragraph=row, by=lea, text=f"{WORD} mqcommentfr, en français.")
    comment_post(paragraph=row, by=lea, text=f"{WORD} mqcommenten, in English.", language="en")
    amendment = amendment_propose(
        paragraph=row, by=lea, kind="modify", text=f"{WORD} mqamendment.", rationale="Clarté."
    )
    comment_post(target=amendment, by=lea, text=f"{WORD} mqamendcomment.")
    argument = argument_post(
        debate=debate, by=lea, side="for", title=f"{WORD} mqargument", text="Un bon argument."
    )
    comment_post(target=argument, by=lea, text=f"{WORD} mqargcomment.")
    # Made directly: search does not ask whether its version was adopted.
    commitment = Commitment.objects.create(
        charter=charter,
        iteration=iteration,
        number=1,
        article_number=1,
        title=f"{WORD} mqcommitfr",
        title_en=f"{WORD} mqcommiten",
        description="Un engagement.",
        description_en="A commitment.",
        is_published=True,
    )
    comment_post(target=commitment, by=lea, text=f"{WORD} mqcommitcomment.")
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    pages = {
        ("fr", "charter"): charter,
        ("fr", "iteration"): iteration,
        ("fr", "debate"): debate,
        ("en", "charter"): english_charter,
        ("en", "iteration"): english_iteration,
        ("en", "debate"): english_debate,
    }
    # As the database holds them now (a revision publishes a copy of the page it is given).
    return {key: Page.objects.get(pk=page.pk).specific for key, page in pages.items()}


def restrict(page, how):
    if how == "unpublished":
        page.unpublish()
        return
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=how, password="secret" if how == "password" else ""
    )
    if how == "groups":
        restriction.groups.set([Group.objects.get_or_create(name="Conseil")[0]])


# (kind of restriction, where: the page of the entries or their charter, an ancestor)
RESTRICTIONS = {
    "password": ("password", "page"),
    "groups": ("groups", "page"),
    "login": ("login", "page"),
    "unpublished page": ("unpublished", "page"),
    "unpublished ancestor": ("unpublished", "ancestor"),
    "private ancestor": ("login", "ancestor"),
}


def apply(world, restriction, language):
    """Restrict the pages of ``language``; the markers that must disappear."""
    how, where = RESTRICTIONS[restriction]
    levels = ("iteration", "debate") if where == "page" else ("charter",)
    for level in levels:
        restrict(world[(language, level)], how)
    hidden_pages = {(language, level) for level in levels}
    if where == "ancestor":  # the charter, and what is under it
        hidden_pages |= {(language, "iteration"), (language, "debate")}
    return {marker for marker, (page, _kind) in MARKERS.items() if page in hidden_pages}


def api_results(client, **params):
    data = client.get("/api/search/", {"q": WORD, **params}).json()
    assert data["pages"] == 1  # everything on one page: nothing is left unchecked
    return data


def markers_in(text):
    return {marker for marker in MARKERS if marker in text}


CASES = [
    pytest.param(restriction, language, id=f"{restriction}-{language}")
    for restriction in RESTRICTIONS
    for language in ("fr", "en")
]


def test_everything_is_found_while_everything_is_public(client, world):
    data = api_results(client)
    assert markers_in(json.dumps(data)) == set(MARKERS)
    assert data["total"] == len(MARKERS)
    for address in SEARCH_PAGES:
        page = client.get(address, {"q": WORD}).content.decode()
        assert markers_in(page) == set(MARKERS)


@pytest.mark.parametrize(("restriction", "language"), CASES)
def test_a_reader_never_finds_what_they_may_not_read(client, world, restriction, language):
    hidden = apply(world, restriction, language)
    shown = set(MARKERS) - hidden
    assert hidden and shown

    data = api_results(client)
    # Nothing restricted anywhere in the answer (hits, titles, facet labels); the rest is there.
    assert markers_in(json.dumps(data, ensure_ascii=False)) == shown
    assert data["total"] == len(shown)
    for address in SEARCH_PAGES:
        page = client.get(address, {"q": WORD})
        assert page.status_code == 200
        assert markers_in(page.content.decode()) == shown

    # Facets count what is shown, and only that.
    facets = {facet["name"]: facet["values"] for facet in data["facets"]}
    kinds = Counter(MARKERS[marker][1] for marker in shown)
    assert {value["value"]: value["count"] for value in facets["kind"]} == dict(kinds)
    languages = Counter(ENTRY_LANGUAGES.get(marker, MARKERS[marker][0][0]) for marker in shown)
    assert {value["value"]: value["count"] for value in facets["language"]} == dict(languages)
    charters = {value["value"] for value in facets["charter_id"]}
    shown_charters = {world[(lang, "charter")].pk for (lang, _level), _k in map(MARKERS.get, shown)}
    assert charters == shown_charters
    # Choosing a facet value still counts only what is shown.
    filtered = api_results(client, kind="comment")
    assert filtered["total"] == kinds["comment"]
    found = markers_in(json.dumps(filtered, ensure_ascii=False))
    assert not found & hidden
    assert {marker for marker in shown if MARKERS[marker][1] == "comment"} <= found


def index_markers():
    """The markers held by the index, whichever engine holds it."""
    return markers_in(
        " ".join(f"{entry['title']} {entry['body']}" for entry in get_engine().stored())
    )


def every_object():
    pages = [("page", pk) for pk in CharterIterationPage.objects.values_list("pk", flat=True)]
    pages += [("page", pk) for pk in DebatePage.objects.values_list("pk", flat=True)]
    pages += [("page", page.pk) for page in documents.all_pages()]
    return [
        *pages,
        *(("paragraph", pk) for pk in Paragraph.objects.values_list("pk", flat=True)),
        *(("comment", pk) for pk in Comment.objects.values_list("pk", flat=True)),
        *(("amendment", pk) for pk in Amendment.objects.values_list("pk", flat=True)),
        *(("argument", pk) for pk in Argument.objects.values_list("pk", flat=True)),
        *(("commitment", pk) for pk in Commitment.objects.values_list("pk", flat=True)),
    ]


@pytest.mark.parametrize(("restriction", "language"), CASES)
def test_refreshing_or_rebuilding_leaves_nothing_restricted_in_the_index(
    world, restriction, language
):
    assert index_markers() == set(MARKERS)
    hidden = apply(world, restriction, language)
    for kind, pk in every_object():
        refresh(kind, pk)
    assert index_markers() == set(MARKERS) - hidden
    assert all(entry["page_id"] for entry in get_engine().stored())
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    assert index_markers() == set(MARKERS) - hidden


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.close()


def test_elasticsearch_is_sent_the_pages_anyone_may_read_and_the_page_of_each_entry(world, stub):
    engine = ElasticsearchEngine(stub.url, alias="charte-entries")
    assert engine.index_body()["mappings"]["properties"]["page_id"] == {"type": "integer"}
    restrict(world[("en", "iteration")], "login")
    restrict(world[("fr", "charter")], "unpublished")
    stub.answers[("POST", "/charte-entries/_search")] = (
        200,
        {
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
            "aggregations": {
                name: {"doc_count": 0, "values": {"buckets": []}} for name in (*FACETS, "month")
            },
        },
    )
    engine.search(Query(text=WORD))
    (body,) = stub.bodies("POST", "/charte-entries/_search")
    filters = json.loads(body)["query"]["bool"]["filter"]
    (allowed,) = [f["terms"]["page_id"] for f in filters if "page_id" in f.get("terms", {})]
    public = {
        page.pk for key, page in world.items() if key in {("en", "charter"), ("en", "debate")}
    }
    private = {page.pk for key, page in world.items() if key[0] == "fr"} | {
        world[("en", "iteration")].pk
    }
    assert public <= set(allowed)
    assert not private & set(allowed)

    # What a rebuild writes: every entry names its page, nothing restricted is written.
    with engine.rebuilding() as write:
        for _count, entries in documents.batches():
            write(entries)
    # One bulk request per batch that has entries to write (the pages, the commitments).
    bodies = stub.bodies("PUT", "/_bulk") + stub.bodies("POST", "/_bulk")
    sources = [json.loads(line) for body in bodies for line in body.splitlines()[1::2]]
    bulk = "\n".join(bodies)
    assert all(source["page_id"] in allowed for source in sources)
    assert markers_in(bulk) == {"mqcharteren", "mqdebateen", "mqcommiten"}


def test_the_page_an_entry_links_to_decides_not_its_charter_or_version(world):
    """An entry is shown by its own page: under a public charter and version, an entry whose
    page is private, deleted or unknown (written before pages were recorded) is not shown."""
    from search.engines import get_engine

    public, private = world[("fr", "iteration")], world[("en", "iteration")]
    restrict(private, "login")
    fields = {"charter_id": world[("fr", "charter")].pk, "iteration_id": public.pk}
    get_engine(for_indexing=True).write(
        [
            factories.search_entry(key, **fields, body=f"{WORD} {key}", page_id=page_id)
            for key, page_id in (
                ("comment:9001", public.pk),
                ("comment:9002", private.pk),
                ("comment:9003", 987654),  # a page deleted since
                ("comment:9004", None),
            )
        ]
    )
    keys = {hit.key for hit in get_engine().search(Query(text=WORD, per_page=100)).hits}
    assert keys & {"comment:9001", "comment:9002", "comment:9003", "comment:9004"} == {
        "comment:9001"
    }
