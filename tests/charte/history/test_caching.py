"""The comparison of two frozen versions and a paragraph's history, as a reverse proxy and a
browser see them: tagged, confirmed with 304 while unchanged, kept once rendered, and changed
as soon as something they show changes."""

import pytest

from charte.amendments.models import Amendment
from charte.amendments.services import amendment_answer, amendment_propose
from charte.discussions.services import comment_post
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.history.test_history import (
    in_english,
    next_version,
    paragraphs_of,
    rows,
    v1,  # noqa: F401 – a fixture
)

pytestmark = pytest.mark.django_db


def reword(sections):
    paragraphs_of(sections, 0)[0]["value"] = "La commune publie le bilan en mars."


@pytest.fixture
def compared(v1, editor):  # noqa: F811
    """Version 1, with an amendment accepted on its fifth paragraph, and version 2 that
    integrates it and rewords the first paragraph."""
    old = rows(v1)
    author = make_citizen("assoc", "Association du Port")
    amendment = amendment_propose(
        paragraph=old[4],
        by=author,
        kind="modify",
        text="Les élus répondent par écrit, sous quinze jours, aux questions posées.",
        rationale="Un délai précis.",
    )
    amendment_answer(amendment=amendment, status="accepted", response="Retenu.", by=editor)
    v2 = next_version(v1, editor, reword)
    return v1, v2, amendment


def count_compare(monkeypatch):
    import charte.history.views

    calls = []
    original = charte.history.views.compare

    def counted(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(charte.history.views, "compare", counted)
    return calls


def test_an_anonymous_reader_gets_a_tag_then_304_while_the_comparison_is_unchanged(
    client, compared
):
    version1, version2, _amendment = compared
    address = f"{version1.get_parent().url}compare/1/2/"
    response = client.get(address)
    etag = response.headers["ETag"]
    assert response.status_code == 200 and etag.startswith('"')
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    html = response.content.decode()
    assert "sous quinze jours" in html
    # Each change links to its paragraph and its history in the newer version.
    key = rows(version2)[0].key
    assert f'href="{version2.url}p/{key}/"' in html
    assert f'href="{version2.url}p/{key}/history/"' in html

    again = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    # Folded or not, the two renderings are two pages with two tags.
    unfolded = client.get(address + "?all=1")
    assert unfolded.status_code == 200 and unfolded.headers["ETag"] != etag


def test_a_signed_in_reader_gets_a_private_page_and_never_304(client, compared, editor):
    version1, _v2, _amendment = compared
    address = f"{version1.get_parent().url}compare/1/2/"
    etag = client.get(address).headers["ETag"]
    client.force_login(editor)
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


def test_the_comparison_is_diffed_once_then_served_kept_in_each_language(
    client, compared, english, monkeypatch, django_assert_max_num_queries
):
    version1, version2, _amendment = compared
    calls = count_compare(monkeypatch)
    address = f"{version1.get_parent().url}compare/1/2/"
    first = client.get(address).content.decode()
    assert len(calls) == 1
    # Another reader, with no copy of their own: the kept rendering, not a new diff.
    second = client.get(address).content.decode()
    assert len(calls) == 1 and second == first

    v1_en, _v2_en = in_english(version1, english), in_english(version2, english)
    english_page = client.get(f"{v1_en.get_parent().url}compare/1/2/").content.decode()
    assert len(calls) == 2  # the English text is its own rendering
    assert '<html lang="en">' in english_page and "In English: La commune publie " in english_page
    assert "alinéas modifiés" not in english_page and "2 paragraphs modified" in english_page
    client.get(f"{v1_en.get_parent().url}compare/1/2/")
    assert len(calls) == 2
    assert "2 alinéas modifiés" in client.get(address).content.decode()


@pytest.mark.parametrize("count", [1000])
def test_the_second_view_of_a_long_comparison_reads_far_fewer_queries(
    client, charter, editor, count, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = factories.make_iteration(charter, factories.body_with(count), user=editor)
    services.iteration_open(iteration=first, by=editor)
    for n, row in enumerate(rows(first)[:30]):
        author = make_citizen(f"c{n}", f"Citoyen {n}")
        amendment = amendment_propose(
            paragraph=row, by=author, kind="modify", text=f"Rédaction {n}.", rationale="Motif."
        )
        amendment_answer(amendment=amendment, status="accepted", response="Oui.", by=editor)
    next_version(first, editor, lambda sections: None)
    calls = count_compare(monkeypatch)
    address = f"{charter.url}compare/1/2/"
    client.get(address)  # the site's identity and menus cached
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(address).status_code == 200
    assert len(calls) == 2
    with CaptureQueriesContext(connection) as warm:
        page = client.get(address)
    assert len(calls) == 2  # not diffed again
    assert "30 amendements intégrés" in page.content.decode()
    # What remains: the pages, their versions and the amendments' short list.
    assert len(warm.captured_queries) < len(cold.captured_queries)
    paragraph_queries = [q for q in warm.captured_queries if "charte_paragraph" in q["sql"]]
    assert paragraph_queries == []


def test_the_tag_and_the_page_change_when_an_integrated_amendment_or_a_title_changes(
    client, compared, editor
):
    version1, version2, amendment = compared
    address = f"{version1.get_parent().url}compare/1/2/"
    response = client.get(address)
    etag = response.headers["ETag"]
    assert "Accepté)" in response.content.decode()

    # A correction of the answer after the integration (the admin can make it).
    Amendment.objects.filter(pk=amendment.pk).update(status="partially_accepted")
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert "Accepté en partie" in response.content.decode()
    etag = response.headers["ETag"]

    # The newer version renamed: its title heads the comparison.
    version2.title = "Version du printemps"
    version2.save_revision(user=editor).publish(user=editor)
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert "Version du printemps comparée à" in response.content.decode()


def test_a_paragraph_history_is_tagged_and_changes_with_a_new_comment(client, compared):
    version1, version2, _amendment = compared
    key = rows(version1)[2].key
    address = version2.url + version2.reverse_subpage("paragraph_history", args=[key])
    response = client.get(address)
    etag = response.headers["ETag"]
    assert "public" in response.headers["Cache-Control"]
    assert "0 commentaire" in response.content.decode()
    assert client.get(address, HTTP_IF_NONE_MATCH=etag).status_code == 304

    comment_post(paragraph=rows(version2)[2], by=make_citizen("lea", "Léa"), text="Bonne idée.")
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert "1 commentaire" in response.content.decode()
