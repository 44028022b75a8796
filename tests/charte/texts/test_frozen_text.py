"""A frozen version's text is rendered once per language and kept; its margins (comment and
amendment counts) are read at each view, so they are right as soon as a contribution is
stored; anonymous readers get a public page tagged by its content (``304`` while it is the
same), signed-in readers a private one."""

import copy

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from charte.amendments.services import amendment_propose
from charte.core import roles
from charte.discussions.services import comment_post
from charte.models import CharterIterationPage, FrozenRendering, Paragraph
from charte.moderation.services import comment_hide
from charte.texts import frozen, services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db

TEXT_TEMPLATE = "charte/includes/iteration_text.html"


@pytest.fixture
def opened(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


def first_paragraph(iteration):
    return Paragraph.objects.filter(iteration=iteration).order_by("position").first()


def margin(html, paragraph):
    """The comment count shown beside ``paragraph``."""
    start = html.index(f'id="p-{paragraph.key}"')
    count = html.index('class="charter-paragraph__count">', start)
    return html[count:].split(">", 1)[1].split("<", 1)[0]


def test_the_text_is_rendered_once_and_the_margins_at_each_view(client, opened):
    first = client.get(opened.url)
    assert TEXT_TEMPLATE in [t.name for t in first.templates]
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(opened.url)
    assert second.status_code == 200
    assert TEXT_TEMPLATE not in [t.name for t in second.templates]
    assert second.content == first.content
    assert len(second_queries) < 20


def test_a_new_comment_changes_the_count_and_the_tag(client, opened):
    paragraph = first_paragraph(opened)
    before = client.get(opened.url)
    etag = before["ETag"]
    assert margin(before.content.decode(), paragraph) == "0 commentaire"
    # Nothing changed: the reader's copy is confirmed without the page.
    unchanged = client.get(opened.url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Plus de bancs")
    after = client.get(opened.url, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert margin(after.content.decode(), paragraph) == "1 commentaire"

    moderator = factories.UserFactory(username="modo", role=roles.MODERATORS)
    comment_hide(comment=comment, by=moderator, reason="Hors sujet")
    hidden = client.get(opened.url, HTTP_IF_NONE_MATCH=after["ETag"])
    assert hidden.status_code == 200
    assert margin(hidden.content.decode(), paragraph) == "0 commentaire"


def test_a_new_amendment_appears_in_the_margin(client, opened):
    paragraph = first_paragraph(opened)
    etag = client.get(opened.url)["ETag"]
    amendment_propose(
        paragraph=paragraph,
        by=make_citizen(),
        kind="modify",
        text="Une autre rédaction",
        rationale="Plus clair",
    )
    response = client.get(opened.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{opened.url}amendments/?paragraph={paragraph.key}">1 amendement' in html
    assert '<span class="badge badge--submitted">En attente de réponse (1)</span>' in html


def test_anonymous_readers_get_a_public_page_signed_in_readers_a_private_one(client, opened):
    anonymous = client.get(opened.url)
    assert anonymous["Cache-Control"] == "public, max-age=1"
    assert anonymous["Vary"] == "Cookie"
    assert not anonymous.cookies
    # The address says the language: a browser asking for English still reads French here,
    # so a shared cache keeps one copy, not one per browser setting.
    asking_english = client.get(opened.url, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="fr">' in asking_english.content.decode()
    assert asking_english["ETag"] == anonymous["ETag"]

    client.force_login(make_citizen())
    signed_in = client.get(opened.url, HTTP_IF_NONE_MATCH=anonymous["ETag"])
    assert signed_in.status_code == 200
    assert signed_in["Cache-Control"] == "private, no-store"
    assert not signed_in.has_header("ETag")


def test_the_english_text_is_kept_apart_and_counts_the_same_discussion(client, opened, english):
    translated = translate(opened, english)
    paragraph = first_paragraph(opened)
    french = client.get(opened.url).content.decode()
    first = client.get(translated.url)
    html = first.content.decode()
    assert "In English: Alinéa 1" in html
    assert "In English" not in french
    assert margin(html, paragraph) == "0 comments"

    comment_post(paragraph=paragraph, by=make_citizen(), text="More benches")
    again = client.get(translated.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert TEXT_TEMPLATE not in [t.name for t in again.templates]
    assert margin(again.content.decode(), paragraph) == "1 comment"
    assert margin(client.get(opened.url).content.decode(), paragraph) == "1 commentaire"


def test_a_thousand_paragraphs_cost_the_same_queries_as_fifty(client, editor):
    def queries_for(count, slug):
        charter = factories.make_charter(title=slug, slug=slug, user=editor)
        page = factories.make_iteration(charter, factories.body_with(count), user=editor)
        services.iteration_open(iteration=page, by=editor)
        client.get(page.url)  # rendered and kept
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        assert response.status_code == 200
        return len(captured)

    assert queries_for(1000, "v-long") == queries_for(50, "v-short")


def test_the_kept_rendering_outlives_the_process_and_follows_the_revision(client, opened, editor):
    client.get(opened.url)
    assert FrozenRendering.objects.filter(page=opened).count() == 1
    frozen.recent.clear()  # another process, or this one restarted
    again = client.get(opened.url)
    assert TEXT_TEMPLATE not in [t.name for t in again.templates]

    # A new revision of the page (its summary, say) renders it again, in place of the old one.
    opened.summary = "Un nouveau résumé"
    opened.save_revision(user=editor).publish(user=editor)
    fresh = client.get(opened.url)
    assert TEXT_TEMPLATE in [t.name for t in fresh.templates]
    assert FrozenRendering.objects.filter(page=opened).count() == 1


def test_opening_a_version_queues_its_rendering_for_the_worker(
    client, iteration, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(iteration=iteration, by=editor)
    queued = DBTaskResult.objects.filter(task_path="charte.texts.frozen.warm_task")
    assert queued.exists()
    assert frozen.warm_task.call(iteration.pk) is True
    assert FrozenRendering.objects.filter(page=iteration).count() == 1
    first = client.get(iteration.url)
    assert TEXT_TEMPLATE not in [t.name for t in first.templates]


def test_a_preview_of_an_unpublished_translation_is_never_kept(rf, opened, english, editor):
    translated = translate(opened, english)
    draft = CharterIterationPage.objects.get(pk=translated.pk)
    body = copy.deepcopy(list(draft.body.raw_data))
    body[0]["value"]["articles"][0]["value"]["paragraphs"][0]["value"] = "Not published yet"
    draft.body = list(body)
    request = rf.get(translated.url)
    request.user = editor
    request.is_preview = True
    with translation.override("en"):
        html = str(draft.get_context(request)["frozen_text"])
    assert "Not published yet" in html
    assert not FrozenRendering.objects.filter(page=translated).exists()
    public = Client().get(translated.url).content.decode()
    assert "Not published yet" not in public


def test_the_amendments_list_and_a_paragraph_page_are_public_and_tagged(client, opened):
    paragraph = first_paragraph(opened)
    urls = (f"{opened.url}amendments/", f"{opened.url}p/{paragraph.key}/")
    tags = {}
    for url in urls:
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=1"
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        tags[url] = first["ETag"]
    amendment_propose(paragraph=paragraph, by=make_citizen(), kind="delete", rationale="Inutile")
    for url in urls:  # both show the new amendment
        after = client.get(url, HTTP_IF_NONE_MATCH=tags[url])
        assert after.status_code == 200
        assert f"{opened.url}amendments/1/" in after.content.decode()


def test_the_discussion_panel_is_public_for_anonymous_readers_only(client, opened):
    paragraph = first_paragraph(opened)
    url = f"{opened.url}p/{paragraph.key}/"
    page = client.get(url)
    panel = client.get(url, HTTP_X_DISCUSSION_PANEL="1")
    assert panel["Cache-Control"] == "public, max-age=1"
    # The same address answers two contents: caches keep them apart.
    assert "X-Discussion-Panel" in panel["Vary"]
    assert panel["ETag"] != page["ETag"]
    assert "<html" not in panel.content.decode()

    client.force_login(make_citizen())
    signed_in = client.get(url, HTTP_X_DISCUSSION_PANEL="1")
    assert "no-store" in signed_in["Cache-Control"]
    assert not signed_in.has_header("ETag")
