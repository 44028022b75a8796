"""The commitments of an adopted charter are found like the other contributions: by their
title, description, public reason and the texts of their updates, under the kind
« Engagements » / « Commitments », their charter, article and language, linked to their page;
an unpublished one never; the comments on them like any comment, linked to the commitment's
page. Saving a commitment or publishing an update indexes it again after the commit."""

import datetime
import re

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from charte.discussions.services import comment_post
from charte.follow_up import services as follow_up
from charte.follow_up.models import CommitmentStatus
from charte.texts import services
from search.engines import Query, get_engine
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.review.test_adoption import adopt
from tests.search.conftest import queued_refreshes, run_search_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(opened, editor):
    services.iteration_close(iteration=opened, by=editor)
    adopt(opened, editor)
    opened.refresh_from_db()
    return opened


@pytest.fixture
def charter_page(adopted):
    return adopted.get_parent().specific


@pytest.fixture
def commitments(charter_page, editor, django_capture_on_commit_callbacks):
    """A published commitment under article 2 with an update, and an unpublished one."""
    with django_capture_on_commit_callbacks(execute=True):
        kiosk = follow_up.commitment_create(
            charter=charter_page,
            article_number=2,
            title="Ouvrir un kiosque associatif",
            title_en="Open a community kiosk",
            description="Un lieu d’accueil pour les bénévoles sur la place du marché.",
            description_en="A welcome point for volunteers on the market square.",
            is_published=True,
            by=editor,
        )
        follow_up.update_publish(
            commitment=kiosk,
            text="Le menuisier a livré les étagères du kiosque.",
            text_en="The carpenter delivered the kiosk’s shelves.",
            status=CommitmentStatus.IN_PROGRESS,
            progress=40,
            by=editor,
        )
        draft = follow_up.commitment_create(
            charter=charter_page,
            article_number=1,
            title="Créer une navette fluviale",
            description="Une navette secrète entre les deux rives.",
            by=editor,
        )
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    run_search_tasks()  # what the creations queued: each test sees only what it queues
    return {"kiosk": kiosk, "draft": draft}


def plain(text: str) -> str:
    """Text with its non-breaking spaces (French typography) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def titles(html: str) -> list[str]:
    found = re.findall(r'<h3 class="card__title"[^>]*><a [^>]*>(.*?)</a></h3>', html, re.S)
    return [plain(title) for title in found]


@pytest.mark.usefixtures("engine_name")
@pytest.mark.parametrize(
    "words", ["kiosque associatif", "bénévoles place du marché", "menuisier étagères"]
)
def test_a_published_commitment_is_found_by_its_title_description_and_updates(
    commitments, charter_page, words
):
    results = get_engine().search(Query(text=words))
    assert [hit.key for hit in results.hits] == [f"commitment:{commitments['kiosk'].pk}:fr"]
    hit = results.hits[0]
    assert plain(hit.title) == "Engagement n° 1 : Ouvrir un kiosque associatif"
    assert hit.url == charter_page.url + "follow-up/1/"
    assert dict(results.facets["kind"]) == {"commitment": 1}
    assert dict(results.facets["article"]) == {2: 1}
    assert dict(results.facets["charter_id"]) == {charter_page.pk: 1}


@pytest.mark.usefixtures("engine_name")
def test_an_unpublished_commitment_is_never_found(commitments):
    assert get_engine().search(Query(text="navette fluviale")).total == 0
    assert get_engine().search(Query(text="secrète rives")).total == 0


@pytest.mark.parametrize(
    ("address", "label"), [("/recherche/", "Engagements"), ("/en/search/", "Commitments")]
)
def test_the_kind_facet_names_commitments_in_the_reader_language(
    client, commitments, address, label
):
    html = client.get(address, {"q": "kiosque"}).content.decode()
    section = re.search(r'<section aria-labelledby="facet-kind">(.*?)</section>', html, re.S)
    assert label in section.group(1)
    assert titles(html) == ["Engagement n° 1 : Ouvrir un kiosque associatif"]
    assert client.get(address, {"q": "kiosque", "kind": "commitment"}).status_code == 200
    filtered = client.get(address, {"q": "kiosque", "kind": "comment"}).content.decode()
    assert titles(filtered) == []


def test_the_english_wording_is_found_on_the_english_charter(
    client, commitments, charter_page, english, django_capture_on_commit_callbacks
):
    english_charter = charter_page.copy_for_translation(english, copy_parents=True)
    english_charter.title = "Participation charter"
    english_charter.save_revision().publish()
    call_command("rebuild_search_index", verbosity=0, stdout=None)

    results = get_engine().search(Query(text="carpenter shelves", language="en"))
    assert [hit.key for hit in results.hits] == [f"commitment:{commitments['kiosk'].pk}:en"]
    assert plain(results.hits[0].title) == "Commitment no. 1: Open a community kiosk"
    assert results.hits[0].url == english_charter.url + "follow-up/1/"
    data = client.get("/en/api/search/", {"q": "community kiosk"}).json()
    assert [hit["title"] for hit in data["results"]] == ["Commitment no. 1: Open a community kiosk"]


@pytest.mark.usefixtures("engine_name")
def test_a_comment_on_a_commitment_is_found_and_leads_to_its_page(
    commitments, charter_page, django_capture_on_commit_callbacks
):
    kiosk = commitments["kiosk"]
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(
            target=kiosk, by=make_citizen(), text="Pensez aux horaires du samedi matin."
        )
    run_search_tasks()
    results = get_engine().search(Query(text="horaires samedi"))
    assert [hit.key for hit in results.hits] == [f"comment:{comment.pk}"]
    hit = results.hits[0]
    assert hit.url == f"{charter_page.url}follow-up/1/#c{comment.pk}"
    assert plain(hit.title) == "Commentaire sur l’engagement « Ouvrir un kiosque associatif »"
    assert dict(results.facets["article"]) == {2: 1}
    assert dict(results.facets["charter_id"]) == {charter_page.pk: 1}


def test_publishing_and_updating_index_again_after_the_commit(
    commitments, editor, django_capture_on_commit_callbacks
):
    draft = commitments["draft"]
    with django_capture_on_commit_callbacks(execute=True):
        follow_up.commitment_publish(commitment=draft, by=editor)
    assert ("commitment", draft.pk) in queued_refreshes()
    run_search_tasks()
    assert get_engine().search(Query(text="navette fluviale")).total == 1

    with django_capture_on_commit_callbacks(execute=True):
        follow_up.update_publish(
            commitment=draft,
            text="Le ponton provisoire est installé.",
            published_on=datetime.date(2025, 3, 2),
            status=CommitmentStatus.POSTPONED,
            status_reason="La crue de mars a emporté les amarres.",
            by=editor,
        )
    assert ("commitment", draft.pk) in queued_refreshes()
    assert get_engine().search(Query(text="ponton provisoire")).total == 0  # not yet
    run_search_tasks()
    assert get_engine().search(Query(text="ponton provisoire")).total == 1
    assert get_engine().search(Query(text="crue amarres")).total == 1  # its public reason
    # Dated by its latest update.
    assert dict(get_engine().search(Query(text="ponton")).facets["month"]) == {"2025-03": 1}


def test_retitling_a_commitment_renames_the_comments_on_it(
    commitments, django_capture_on_commit_callbacks
):
    kiosk = commitments["kiosk"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(target=kiosk, by=make_citizen(), text="Et un auvent pour la pluie.")
    run_search_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        kiosk.title = "Ouvrir une maison des associations"
        kiosk.save()
    assert ("commitment", kiosk.pk) in queued_refreshes()  # and, with it, its comments
    run_search_tasks()
    hit = get_engine().search(Query(text="auvent pluie")).hits[0]
    assert plain(hit.title) == "Commentaire sur l’engagement « Ouvrir une maison des associations »"


def test_a_private_charter_hides_its_commitments_and_their_comments(
    commitments, charter_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(target=commitments["kiosk"], by=make_citizen(), text="Un banc devant.")
    run_search_tasks()
    assert get_engine().search(Query(text="bénévoles")).total == 1
    assert get_engine().search(Query(text="banc devant")).total == 1
    PageViewRestriction.objects.create(page=charter_page, restriction_type="login")
    assert get_engine().search(Query(text="bénévoles")).total == 0
    assert get_engine().search(Query(text="banc devant")).total == 0
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    assert get_engine().search(Query(text="bénévoles")).total == 0
