"""Each amendment has its own discussion, with the same rules and hardening as a paragraph's."""

import pytest
from django.core import mail

from charte.amendments.services import amendment_propose, amendment_withdraw
from charte.core import roles
from charte.discussions.services import CommentRefused, comment_post, follow_fields
from charte.models import Amendment, Comment, ThreadFollow
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url
from tests.charte.discussions.test_follow import deliver_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def amendment(opened, paragraph):
    return amendment_propose(
        paragraph=paragraph,
        by=make_citizen("auteur", "Autrice"),
        kind="modify",
        text="Une autre rédaction.",
        rationale="Plus clair.",
    )


def thread(opened, suffix=""):
    return f"{opened.url}amendments/1/{suffix}"


def test_commenting_an_amendment_from_its_page(client, opened, paragraph, amendment):
    client.force_login(make_citizen())
    response = client.post(
        thread(opened, "comment/"),
        {"comment": "Je soutiens, mais <b>précisez</b> https://exemple.org", "name": "Le Maire"},
    )
    comment = Comment.objects.get()
    assert response["Location"] == thread(opened) + f"#c{comment.pk}"
    html = client.get(thread(opened)).content.decode()
    assert "Léa du Port" in html and "Le Maire" not in html
    assert "&lt;b&gt;précisez&lt;/b&gt;" in html and 'rel="nofollow ugc noopener"' in html
    assert "Votre commentaire sur cet amendement" in html
    # It belongs to the amendment's discussion, not the paragraph's.
    assert "précisez" not in client.get(url(opened, paragraph)).content.decode()

    reply = client.post(
        thread(opened, "comment/"), {"comment": "D’accord avec vous", "parent": comment.pk}
    )
    assert reply.status_code == 302
    assert Comment.objects.get(comment="D’accord avec vous").parent_id == comment.pk


def test_actions_on_an_amendment_comment_stay_in_their_thread(client, opened, paragraph, amendment):
    on_amendment = comment_post(target=amendment, by=make_citizen(), text="Sur l’amendement")
    on_paragraph = comment_post(paragraph=paragraph, by=make_citizen("p", "P"), text="Alinéa")
    client.force_login(make_citizen("sam", "Sam"))
    agreed = client.post(thread(opened, f"c/{on_amendment.pk}/agree/"))
    assert agreed["Location"] == thread(opened) + f"#c{on_amendment.pk}"
    assert "D’accord (1)" in client.get(thread(opened)).content.decode()
    # A comment of another discussion is not reachable through this one.
    assert client.post(thread(opened, f"c/{on_paragraph.pk}/report/")).status_code == 404
    assert client.post(url(opened, paragraph, f"c/{on_amendment.pk}/agree/")).status_code == 404
    refused = client.post(thread(opened, f"c/{on_amendment.pk}/report/"), {"reason": "?"})
    assert refused.status_code == 400 and 'id="report-error"' in refused.content.decode()


def test_withdrawn_and_closed_amendments_keep_their_discussion_readable(
    client, opened, amendment, editor
):
    comment_post(target=amendment, by=make_citizen(), text="Avant le retrait")
    amendment_withdraw(amendment=amendment, by=amendment.author)
    client.force_login(make_citizen("sam", "Sam"))
    response = client.post(thread(opened, "comment/"), {"comment": "Après le retrait"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Cet amendement a été retiré" in html and "Après le retrait" in html
    assert "Avant le retrait" in html
    assert Comment.objects.count() == 1

    services.iteration_close(iteration=opened, by=editor)
    amendment = Amendment.objects.get(pk=amendment.pk)
    with pytest.raises(CommentRefused, match="terminée"):
        comment_post(target=amendment, by=make_citizen("max", "Max"), text="Trop tard")


def test_only_paragraphs_and_amendments_are_targets(opened, amendment):
    with pytest.raises(CommentRefused) as refused:
        comment_post(target=opened, by=make_citizen(), text="Sur la page")
    assert refused.value.status == 400
    assert not Comment.objects.exists()


def test_followers_of_an_amendment_are_told(
    client, opened, amendment, django_capture_on_commit_callbacks
):
    from charte.discussions.notifications import read_unfollow_token

    author = amendment.author
    ThreadFollow.objects.create(user=author, target=amendment)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(target=amendment, by=make_citizen(), text="Une question")
    deliver_notifications()
    (message,) = mail.outbox
    assert message.to == [author.email]
    assert message.subject == "1 nouveau commentaire sur l’amendement n° 1"
    assert f"http://testserver{thread(opened)}#c" in message.body
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").split("/")[-1]
    assert read_unfollow_token(token) == (author.pk, Amendment, amendment.pk)
    client.get(
        message.extra_headers["List-Unsubscribe"].strip("<>").replace("http://testserver", "")
    )
    assert not ThreadFollow.objects.filter(user=author, **follow_fields(amendment)).exists()

    client.force_login(author)
    client.post(thread(opened, "follow/"))
    assert ThreadFollow.objects.filter(user=author, **follow_fields(amendment)).exists()


def test_a_comment_by_someone_else_ends_corrections(client, opened, amendment):
    comment_post(target=amendment, by=amendment.author, text="Je précise ma pensée")
    client.force_login(amendment.author)
    assert "Corriger la rédaction" in client.get(thread(opened)).content.decode()
    comment_post(target=amendment, by=make_citizen(), text="Une objection")
    assert "Corriger la rédaction" not in client.get(thread(opened)).content.decode()


def test_the_moderation_queue_links_to_the_amendment(client, opened, amendment):
    from charte.moderation.services import comment_report

    comment = comment_post(target=amendment, by=make_citizen(), text="Propos douteux")
    comment_report(comment=comment, by=make_citizen("sam", "Sam"), reason="insult")
    moderator = factories.UserFactory(username="modo", role=roles.MODERATORS)
    client.force_login(moderator)
    html = client.get("/admin/charte/moderation/").content.decode()
    assert f'href="{amendment.get_url()}#c{comment.pk}"' in html
    assert "Amendement n° 1" in html


def test_the_list_sorts_by_discussion(client, opened, paragraph, amendment):
    other = amendment_propose(
        paragraph=paragraph, by=make_citizen("b", "B"), kind="delete", rationale="Inutile"
    )
    for n in range(2):
        comment_post(target=other, by=make_citizen(f"c{n}", f"C{n}"), text=f"Avis {n}")
    html = client.get(f"{opened.url}amendments/?sort=discussed").content.decode()
    assert html.index(f"Amendement n° {other.number}") < html.index("Amendement n° 1")
    assert "2 commentaires" in html
