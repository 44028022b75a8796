"""The JSON API of the discussions answers only for paragraphs the requester may read."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from charte.core import roles
from charte.discussions.services import comment_post, comment_react
from charte.models import Comment, Paragraph
from charte.moderation.services import comment_delete_own, comment_hide
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db


def comments_api(paragraph, suffix=""):
    return f"/api/paragraphs/{paragraph.pk}/comments/{suffix}"


@pytest.fixture
def thread(opened, paragraph):
    """A root, a reply, a hidden and a deleted comment, and a reaction."""
    lea, sam = make_citizen(), make_citizen("sam", "Sam des Quais")
    root = comment_post(paragraph=paragraph, by=lea, text="Des bancs <b>partout</b>")
    reply = comment_post(paragraph=paragraph, by=sam, text="Oui", parent_id=root.pk)
    hidden = comment_post(paragraph=paragraph, by=sam, text="Injure")
    comment_hide(
        comment=hidden,
        by=factories.UserFactory(username="modo", role=roles.MODERATORS),
        reason="Injurieux",
    )
    deleted = comment_post(paragraph=paragraph, by=lea, text="Je retire")
    comment_delete_own(comment=deleted, by=lea)
    comment_react(comment=root, by=sam, reaction="agree")
    return {"root": root, "reply": reply, "hidden": hidden, "deleted": deleted}


def test_a_thread_as_the_paragraph_page_shows_it(client, paragraph, thread):
    response = client.get(comments_api(paragraph))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 4
    by_id = {c["id"]: c for c in data["results"]}
    root = by_id[thread["root"].pk]
    assert root["author"] == "Léa du Port"
    assert root["author_type"] == "resident"
    assert root["text"] == "Des bancs <b>partout</b>"
    assert root["html"] == "Des bancs &lt;b&gt;partout&lt;/b&gt;"
    assert (root["agree"], root["disagree"], root["state"]) == (1, 0, "visible")
    assert root["url"] == f"http://testserver{paragraph.get_url()}#c{root['id']}"
    reply = by_id[thread["reply"].pk]
    assert (reply["parent"], reply["level"], reply["author"]) == (root["id"], 1, "Sam des Quais")
    # Placeholders keep the thread's shape but show neither author nor text.
    hidden = by_id[thread["hidden"].pk]
    assert (hidden["state"], hidden["author"], hidden["text"], hidden["html"]) == (
        "hidden",
        None,
        "",
        "",
    )
    assert hidden["hidden_reason"] == "Injurieux"
    deleted = by_id[thread["deleted"].pk]
    assert (deleted["state"], deleted["author"], deleted["text"]) == ("deleted", None, "")
    assert "email" not in str(data) and "ip_address" not in str(data)


def test_pending_comments_never_appear(client, charter, opened, paragraph):
    charter.premoderation = True
    charter.save()
    comment_post(paragraph=paragraph, by=make_citizen(), text="En attente")
    assert client.get(comments_api(paragraph)).json()["count"] == 0
    assert client.get(comments_api(paragraph, "count/")).json()["count"] == 0


def test_counts_match_the_margin_of_the_iteration_page(client, opened, paragraph, thread):
    count = client.get(comments_api(paragraph, "count/")).json()
    assert count == {"paragraph": paragraph.pk, "key": paragraph.key, "count": 2}
    counts = client.get(f"/api/iterations/{opened.pk}/comments/count/").json()
    assert counts["total"] == 2
    assert counts["paragraphs"][paragraph.key] == 2
    assert len(counts["paragraphs"]) == Paragraph.objects.filter(iteration=opened).count()
    html = client.get(opened.url).content.decode()
    assert html.count('class="charter-paragraph__count">2 commentaires') == 1


def test_a_translation_gives_the_same_counts(client, opened, paragraph, thread, english):
    translated = translate(opened, english)
    counts = client.get(f"/api/iterations/{translated.pk}/comments/count/").json()
    assert counts["iteration"] == translated.pk
    assert counts["paragraphs"][paragraph.key] == 2


def test_xss_payloads_come_back_inert(client, opened, paragraph):
    payload = '<img src=x onerror=alert(1)> voir https://exemple.org/"onmouseover=alert(1)'
    comment_post(paragraph=paragraph, by=make_citizen(), text=payload)
    result = client.get(comments_api(paragraph)).json()["results"][0]
    assert result["text"] == payload
    assert "<img" not in result["html"] and "&lt;img" in result["html"]
    assert 'rel="nofollow ugc noopener"' in result["html"]


@pytest.mark.parametrize("what", ["unpublished", "password", "group", "login"])
def test_nothing_about_a_text_the_requester_may_not_read(client, opened, paragraph, thread, what):
    if what == "unpublished":
        opened.unpublish()
    elif what == "password":
        PageViewRestriction.objects.create(page=opened, restriction_type="password", password="x")
    elif what == "group":
        restriction = PageViewRestriction.objects.create(page=opened, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Comité de relecture"))
    else:
        # A restriction on the charter covers its iterations too.
        PageViewRestriction.objects.create(page=opened.get_parent(), restriction_type="login")
    for address in (
        comments_api(paragraph),
        comments_api(paragraph, "count/"),
        f"/api/iterations/{opened.pk}/comments/count/",
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "Injure" not in response.content.decode()
        assert response.json()["detail"] in ("Aucun alinéa de ce type.", "Aucun texte de ce type.")


def test_readers_let_in_by_the_restriction_see_the_thread(client, opened, paragraph, thread):
    group = Group.objects.create(name="Comité de relecture")
    restriction = PageViewRestriction.objects.create(page=opened, restriction_type="groups")
    restriction.groups.add(group)
    member = make_citizen("membre", "Membre du comité")
    member.groups.add(group)
    client.force_login(member)
    assert client.get(comments_api(paragraph)).json()["count"] == 4
    assert client.get(comments_api(paragraph, "count/")).json()["count"] == 2


def test_a_draft_and_unknown_ids_answer_404(client, iteration):
    assert client.get(f"/api/iterations/{iteration.pk}/comments/count/").status_code == 404
    assert client.get("/api/paragraphs/999999/comments/").status_code == 404
    assert client.get("/api/iterations/999999/comments/count/").status_code == 404
    # A page that is not an iteration is not a target either.
    assert (
        client.get(f"/api/iterations/{iteration.get_parent().pk}/comments/count/").status_code
        == 404
    )


def test_the_api_is_read_only(client, opened, paragraph):
    client.force_login(make_citizen())
    response = client.post(
        comments_api(paragraph), {"comment": "Par l'API"}, content_type="application/json"
    )
    assert response.status_code == 405
    assert not Comment.objects.exists()


def test_a_long_thread_in_pages_and_constant_queries(
    client, opened, paragraph, django_assert_max_num_queries
):
    authors = [make_citizen(f"u{n}", f"Pseudo {n}") for n in range(3)]
    for n in range(250):
        comment_post(paragraph=paragraph, by=authors[n % 3], text=f"Avis {n}")
    client.get(comments_api(paragraph))
    with django_assert_max_num_queries(8):
        first = client.get(comments_api(paragraph)).json()
    assert (first["count"], len(first["results"])) == (250, 100)
    assert first["next"] == f"http://testserver{comments_api(paragraph)}?page=2"
    third = client.get(comments_api(paragraph) + "?page=3").json()
    assert len(third["results"]) == 50 and third["next"] is None
    seen = {c["id"] for c in first["results"]} | {c["id"] for c in third["results"]}
    assert len(seen) == 150
    everything = client.get(comments_api(paragraph) + "?page_size=500").json()
    assert len(everything["results"]) == 250


def test_a_client_hammering_the_api_is_slowed_down(client, opened, paragraph):
    address = comments_api(paragraph, "count/")
    statuses = [client.get(address).status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    refused = client.get(address)
    assert int(refused["Retry-After"]) > 0
    assert "Requête ralentie" in refused.json()["detail"]


def test_an_amendments_discussion_through_the_api(client, opened, paragraph):
    from charte.amendments.services import amendment_propose

    amendment = amendment_propose(
        paragraph=paragraph, by=make_citizen(), kind="delete", rationale="Inutile"
    )
    comment_post(target=amendment, by=make_citizen("sam", "Sam"), text="Je suis d’accord")
    data = client.get(f"/api/amendments/{amendment.pk}/comments/").json()
    assert [c["text"] for c in data["results"]] == ["Je suis d’accord"]
    assert data["results"][0]["url"].startswith(f"http://testserver{amendment.get_url()}#c")
    count = client.get(f"/api/amendments/{amendment.pk}/comments/count/").json()
    assert count == {"amendment": amendment.pk, "number": 1, "count": 1}

    opened.unpublish()
    for address in (
        f"/api/amendments/{amendment.pk}/comments/",
        f"/api/amendments/{amendment.pk}/comments/count/",
    ):
        response = client.get(address)
        assert response.status_code == 404
        assert "d’accord" not in response.content.decode()
