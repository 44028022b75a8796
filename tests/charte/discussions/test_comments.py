"""Comments on paragraphs: identity from the account, only on open paragraphs, rendered inert."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.html import escape

from charte.discussions.services import CommentRefused, comment_post, comments_for
from charte.models import Comment, Paragraph
from charte.texts import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


@pytest.fixture
def paragraph(opened):
    return Paragraph.objects.filter(iteration=opened).order_by("position")[2]


def make_citizen(username="lea", pseudonym="Léa du Port", verified=True):
    user = factories.UserFactory(username=username, pseudonym=pseudonym)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def url(iteration, paragraph, suffix=""):
    return f"{iteration.url}p/{paragraph.key}/{suffix}"


def test_a_citizen_comments_a_paragraph_under_their_pseudonym(client, opened, paragraph):
    client.force_login(make_citizen())
    response = client.post(
        url(opened, paragraph, "comment/"),
        {"comment": "Il faudrait préciser les délais.", "name": "Le Maire", "email": "x@y.z"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#c{comment.pk}")
    assert (comment.user_name, comment.user_email) == ("Léa du Port", "")
    assert comment.object_pk == str(paragraph.pk) and comment.language == "fr"
    html = client.get(url(opened, paragraph)).content.decode()
    assert "Léa du Port" in html and "Le Maire" not in html
    assert "Il faudrait préciser les délais." in html


def test_replies_nest_up_to_three_levels(client, opened, paragraph):
    author = make_citizen()
    parent = comment_post(paragraph=paragraph, by=author, text="Premier")
    for depth in range(3):
        parent = comment_post(
            paragraph=paragraph, by=author, text=f"Réponse {depth}", parent_id=parent.pk
        )
    assert parent.level == 3
    with pytest.raises(CommentRefused, match="deeper|plus loin"):
        comment_post(paragraph=paragraph, by=author, text="Trop loin", parent_id=parent.pk)
    assert [c.level for c in comments_for(paragraph)] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 403), ("unverified", 403), ("inactive", 403)],
)
def test_who_may_not_comment_gets_the_text_back(client, opened, paragraph, who, status):
    if who != "anonymous":
        user = make_citizen(verified=who != "unverified")
        if who == "inactive":
            user.is_active = False
            user.save()
        client.force_login(user)
    response = client.post(url(opened, paragraph, "comment/"), {"comment": "Mon texte précieux"})
    assert response.status_code == status
    assert "Mon texte précieux" in response.content.decode()
    assert not Comment.objects.exists()


def test_closed_and_adopted_iterations_keep_threads_readable_without_a_form(
    client, opened, paragraph, editor
):
    author = make_citizen()
    comment_post(paragraph=paragraph, by=author, text="Avant la clôture")
    services.iteration_close(iteration=opened, by=editor)
    client.force_login(author)
    page = client.get(url(opened, paragraph)).content.decode()
    assert "Avant la clôture" in page and 'name="comment"' not in page
    response = client.post(url(opened, paragraph, "comment/"), {"comment": "Après"})
    assert response.status_code == 403 and "Après" in response.content.decode()
    services.iteration_adopt(
        iteration=opened,
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-3",
        votes_for=10,
        votes_against=1,
        abstentions=0,
    )
    page = client.get(url(opened, paragraph)).content.decode()
    assert 'name="comment"' not in page and ("adopted" in page or "adoptée" in page)
    assert Comment.objects.count() == 1


def test_window_boundaries(opened, paragraph):
    author = make_citizen()
    end = opened.closes_at
    comment_post(
        paragraph=paragraph,
        by=author,
        text="Juste à temps",
        now=end - datetime.timedelta(seconds=1),
    )
    with pytest.raises(CommentRefused):
        comment_post(paragraph=paragraph, by=author, text="Trop tard", now=end)
    with pytest.raises(CommentRefused):
        comment_post(
            paragraph=paragraph,
            by=author,
            text="Trop tôt",
            now=opened.opens_at - datetime.timedelta(seconds=1),
        )


def test_a_draft_iteration_cannot_be_commented(charter, editor):
    draft = factories.make_iteration(charter, user=editor)
    assert not Paragraph.objects.filter(iteration=draft).exists()  # nothing to target


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "<iframe src=//evil.example></iframe>",
    "{{ request }} {% debug %}",
]


@pytest.mark.parametrize("payload", XSS)
def test_comment_text_is_rendered_inert(client, opened, paragraph, payload):
    comment_post(paragraph=paragraph, by=make_citizen(), text=payload)
    html = client.get(url(opened, paragraph)).content.decode()
    body = html.split('class="comment__text"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "<img" not in body and "<svg" not in body
    assert "<iframe" not in body and 'href="javascript' not in body
    assert escape(payload) in body  # shown as the text it is


def test_links_are_marked_as_user_generated(client, opened, paragraph):
    comment_post(paragraph=paragraph, by=make_citizen(), text="Voir https://exemple.fr/page")
    html = client.get(url(opened, paragraph)).content.decode()
    assert 'href="https://exemple.fr/page" rel="nofollow ugc noopener"' in html


def test_iteration_page_shows_counts_per_paragraph(client, opened, paragraph):
    author = make_citizen()
    comment_post(paragraph=paragraph, by=author, text="Un")
    comment_post(paragraph=paragraph, by=author, text="Deux")
    html = client.get(opened.url).content.decode()
    assert (
        f'href="{url(opened, paragraph)}#discussion-title">'
        '<span class="charter-paragraph__count">2 comment' in html
    )


def test_english_readers_join_the_same_thread(client, opened, paragraph, english):
    from tests.charte.texts.test_public_pages import translate

    comment_post(paragraph=paragraph, by=make_citizen(), text="Un avis en français")
    translated = translate(opened, english)
    client.force_login(make_citizen("sam", "Sam"))
    response = client.post(url(translated, paragraph, "comment/"), {"comment": "An opinion"})
    assert response.status_code == 302
    assert [c.language for c in comments_for(paragraph)] == ["fr", "en"]
    html = client.get(url(translated, paragraph)).content.decode()
    assert "Un avis en français" in html and 'lang="fr"' in html


def test_deleting_an_account_keeps_its_comments_without_personal_details(client, opened, paragraph):
    from charte.accounts.services import account_delete, account_export

    author = make_citizen()
    comment = comment_post(paragraph=paragraph, by=author, text="Je reste", ip="198.51.100.7")
    exported = account_export(user=author)["contributions"]["comments"]
    assert [c["text"] for c in exported] == ["Je reste"]
    assert exported[0]["paragraph"].endswith(f"p/{paragraph.key}/")

    account_delete(user=author)
    comment.refresh_from_db()
    assert (comment.user_name, comment.user_email, comment.ip_address) == ("", "", None)
    html = client.get(url(opened, paragraph)).content.decode()
    assert "Je reste" in html
    assert "compte supprimé" in html or "deleted account" in html
    assert "Léa du Port" not in html


@pytest.mark.parametrize("count", [10, 300])
def test_a_thread_renders_in_a_constant_number_of_queries(
    client, opened, paragraph, count, django_assert_max_num_queries
):
    authors = [make_citizen(f"u{n}", f"Pseudo {n}") for n in range(5)]
    parent = None
    for n in range(count):
        parent_id = parent.pk if parent and n % 3 else None
        parent = comment_post(
            paragraph=paragraph, by=authors[n % 5], text=f"Avis {n}", parent_id=parent_id
        )
    client.force_login(authors[0])
    client.get(url(opened, paragraph))
    # +1 since the language switch looks up the nearest English page (a fixed query)
    with django_assert_max_num_queries(24):
        response = client.get(url(opened, paragraph))
    assert response.content.decode().count('class="comment ') == count


def test_counts_on_the_iteration_page_cost_one_query(
    client, opened, paragraph, django_assert_max_num_queries
):
    author = make_citizen()
    for row in Paragraph.objects.filter(iteration=opened):
        for n in range(3):
            comment_post(paragraph=row, by=author, text=f"Avis {n}")
    client.get(opened.url)
    # +1 since the language switch looks up the nearest English page (a fixed query)
    with django_assert_max_num_queries(17):
        html = client.get(opened.url).content.decode()
    assert html.count("3 commentaires") + html.count("3 comments") == 6


def test_reactions_once_per_person_and_sorting_by_agreement(client, opened, paragraph):
    from charte.discussions.services import comment_react

    lea, sam, max_ = make_citizen(), make_citizen("sam", "Sam"), make_citizen("max", "Max")
    early = comment_post(paragraph=paragraph, by=lea, text="Première idée")
    later = comment_post(paragraph=paragraph, by=sam, text="Deuxième idée")
    reply = comment_post(paragraph=paragraph, by=lea, text="Réponse", parent_id=later.pk)
    with pytest.raises(CommentRefused):
        comment_react(comment=early, by=lea, reaction="agree")  # one's own comment
    assert comment_react(comment=later, by=lea, reaction="agree") is True
    assert comment_react(comment=later, by=max_, reaction="disagree") is True
    assert comment_react(comment=later, by=max_, reaction="agree") is True  # changes its mind
    by_pk = {c.pk: c for c in comments_for(paragraph)}
    assert (by_pk[later.pk].agree_count, by_pk[later.pk].disagree_count) == (2, 0)
    assert comment_react(comment=later, by=max_, reaction="agree") is False  # takes it back
    assert [c.pk for c in comments_for(paragraph, sort="reactions")] == [
        later.pk,
        reply.pk,
        early.pk,
    ]
    client.force_login(max_)
    assert client.post(url(opened, paragraph, f"c/{later.pk}/agree/")).status_code == 302
    html = client.get(url(opened, paragraph) + "?sort=reactions").content.decode()
    assert html.index("Deuxième idée") < html.index("Première idée")


def test_the_time_of_a_comment_is_valid_html(client, opened, paragraph):
    """« <time datetime> » takes at most three digits of a fraction of a second: Django's
    ``date:'c'`` gave six (« 2026-12-03T15:45:25.123456+01:00 »), an HTML error."""
    import re

    comment_post(paragraph=paragraph, by=make_citizen(), text="Un avis")
    html = client.get(url(opened, paragraph)).content.decode()
    times = re.findall(r'<time datetime="([^"]*)"', html)
    assert times
    for value in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value


def test_a_reaction_given_shows_as_pressed_to_its_author_only(
    client, opened, paragraph, django_assert_max_num_queries
):
    """Agree and disagree are toggles: each says whether the reader gave it (aria-pressed),
    read in the same query as the thread."""
    import re

    from charte.discussions.services import comment_react

    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    first = comment_post(paragraph=paragraph, by=lea, text="Première idée")
    second = comment_post(paragraph=paragraph, by=lea, text="Deuxième idée")
    comment_react(comment=first, by=sam, reaction="agree")
    comment_react(comment=second, by=sam, reaction="disagree")

    def pressed(html, comment):
        block = html.split(f'id="c{comment.pk}"', 1)[1].split('<li class="comment ', 1)[0]
        return dict(
            re.findall(r'/c/\d+/(agree|disagree)/"[^>]*>.*?aria-pressed="(true|false)"', block)
        )

    client.force_login(sam)
    html = client.get(url(opened, paragraph)).content.decode()
    assert pressed(html, first) == {"agree": "true", "disagree": "false"}
    assert pressed(html, second) == {"agree": "false", "disagree": "true"}
    with django_assert_max_num_queries(1):
        comments = comments_for(paragraph, viewer=sam)
    assert [c.my_reaction for c in comments] == ["agree", "disagree"]

    client.force_login(make_citizen("max", "Max"))
    html = client.get(url(opened, paragraph)).content.decode()
    assert pressed(html, first) == {"agree": "false", "disagree": "false"}
