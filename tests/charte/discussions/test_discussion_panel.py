"""The discussion opened in place on the iteration page: the same discussion as on the
paragraph's page, answered as a panel when the page's script asks for one."""

import pytest

from charte.discussions.services import comment_post
from charte.models import Comment
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db

PANEL = {"headers": {"X-Discussion-Panel": "1"}}


def test_the_iteration_page_loads_the_panel_script_and_keeps_plain_links(client, opened):
    html = client.get(opened.url).content.decode()
    assert '<script src="/static/js/discussion.js" defer></script>' in html
    assert 'data-panel-loading="Chargement de la discussion…"' in html
    # Without the script, each count is a link to the paragraph's own discussion.
    assert html.count('#discussion-title"><span class="charter-paragraph__count">') == 6


def test_the_panel_is_the_discussion_alone(client, opened, paragraph):
    comment_post(paragraph=paragraph, by=make_citizen(), text="Plus de bancs, svp")
    response = client.get(url(opened, paragraph), **PANEL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "site-header" not in html
    assert html.startswith(
        '<div class="discussion-panel__content" data-comment-label="1 commentaire"'
    )
    # A heading under the article's (h3), and a way back to the paragraph's page.
    assert '<h4 id="discussion-title" tabindex="-1">Discussion (1 commentaire)</h4>' in html
    assert "Plus de bancs, svp" in html
    assert "Fermer la discussion" in html
    assert "X-Discussion-Panel" in response["Vary"]
    # An anonymous reader's panel is public for a second, like the page it opens in (a
    # signed-in reader's is never kept: tests/charte/texts/test_frozen_text.py).
    assert response["Cache-Control"] == "public, max-age=1"

    page = client.get(url(opened, paragraph))
    assert "<html" in page.content.decode() and "Fermer la discussion" not in page.content.decode()
    assert "X-Discussion-Panel" in page["Vary"]


def test_posting_in_the_panel_answers_with_the_panel(client, opened, paragraph):
    client.force_login(make_citizen())
    response = client.post(
        url(opened, paragraph, "comment/"), {"comment": "Depuis le panneau"}, **PANEL
    )
    comment = Comment.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-focus="c{comment.pk}"' in html
    assert 'data-comment-label="1 commentaire"' in html
    assert f'<li class="comment comment--level-0" id="c{comment.pk}">' in html

    reply = client.get(url(opened, paragraph) + f"?reply={comment.pk}", **PANEL)
    assert f'id="comment-{comment.pk}"' in reply.content.decode()


def test_a_refusal_in_the_panel_keeps_the_text_and_says_why(client, opened, paragraph, settings):
    settings.COMMENT_MAX_LENGTH = 20
    client.force_login(make_citizen())
    typed = "Un avis bien trop long pour la limite fixée"
    response = client.post(url(opened, paragraph, "comment/"), {"comment": typed}, **PANEL)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in html
    assert 'role="alert">Un commentaire compte au plus 20 caractères' in html
    assert f">{typed}</textarea>" in html
    assert not Comment.objects.exists()


def test_reactions_reports_and_messages_stay_in_the_panel(client, opened, paragraph):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Avis")
    client.force_login(make_citizen("b", "B"))
    agreed = client.post(url(opened, paragraph, f"c/{comment.pk}/agree/"), **PANEL)
    assert agreed.status_code == 200
    assert "D’accord (1)" in agreed.content.decode()

    reported = client.post(
        url(opened, paragraph, f"c/{comment.pk}/report/"), {"reason": "spam"}, **PANEL
    )
    html = reported.content.decode()
    assert "<html" not in html
    assert '<li class="message message--success">Merci\u00a0: les modérateurs' in html

    followed = client.post(url(opened, paragraph, "follow/"), **PANEL)
    assert "Ne plus suivre cette discussion" in followed.content.decode()


def test_premoderation_message_appears_in_the_panel(client, opened, paragraph, charter):
    charter.premoderation = True
    charter.save()
    client.force_login(make_citizen())
    response = client.post(url(opened, paragraph, "comment/"), {"comment": "À valider"}, **PANEL)
    html = response.content.decode()
    assert "apparaîtra dès qu’un modérateur l’aura approuvé" in html
    assert "À valider" not in html  # not public until approved


def test_the_panel_costs_a_constant_number_of_queries(
    client, opened, paragraph, django_assert_max_num_queries
):
    authors = [make_citizen(f"u{n}", f"Pseudo {n}") for n in range(3)]
    for n in range(60):
        comment_post(paragraph=paragraph, by=authors[n % 3], text=f"Avis {n}")
    client.force_login(authors[0])
    client.get(url(opened, paragraph), **PANEL)
    with django_assert_max_num_queries(22):
        response = client.get(url(opened, paragraph), **PANEL)
    assert response.content.decode().count('class="comment ') == 60


def test_the_english_page_opens_the_same_thread_in_english(client, opened, paragraph, english):
    from tests.charte.texts.test_public_pages import translate

    comment_post(paragraph=paragraph, by=make_citizen(), text="Un avis en français")
    translated = translate(opened, english)
    html = client.get(url(translated, paragraph), **PANEL).content.decode()
    assert 'data-comment-label="1 comment"' in html
    assert "Close the discussion" in html
    assert '<div class="comment__text" lang="fr">Un avis en français</div>' in html
    assert f'<a href="{url(translated, paragraph)}">Open this paragraph on its own page' in html
