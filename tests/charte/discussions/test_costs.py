"""What a discussion costs: a comment posted through the page in a bounded number of queries
and written once, its text rendered when written (not at every view), the margin counts read
from one stored count per paragraph that every write keeps exact."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from charte.core import roles
from charte.discussions.models import DiscussionCount, inert_html
from charte.discussions.services import comment_counts_by_origin, comment_post
from charte.models import Comment, Paragraph
from charte.moderation.services import comment_delete_own, comment_hide, comment_restore
from charte.texts import services
from tests import factories
from tests.bulk import write_comments
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


@pytest.fixture
def rows(opened):
    return list(Paragraph.objects.filter(iteration=opened).order_by("position"))


def statements(captured):
    """The statements a request sent, without the savepoints that the test's own transaction
    turns the view's transaction into (outside a test it is BEGIN and COMMIT)."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


def test_posting_a_comment_through_the_page_costs_at_most_twelve_queries(client, opened, rows):
    """Twelve here; in production, two more rows queue the search refresh and the followers'
    notices, so a post costs fifteen on PostgreSQL (bench/load.py counts them). The site, its
    home page and the view restrictions are kept until the page tree changes."""
    author = make_citizen()
    comment_post(paragraph=rows[2], by=author, text="Un premier avis")
    client.force_login(author)
    client.get(url(opened, rows[2]))
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url(opened, rows[2], "comment/"), {"comment": "Un avis de plus", "submission": "a"}
        )
    assert response.status_code == 302
    assert Comment.objects.filter(comment="Un avis de plus").count() == 1
    # On PostgreSQL, one more: the lock that makes two comments posted at once both counted
    # (tests/charte/discussions/test_count_concurrency.py).
    budget = 12 + (connection.vendor == "postgresql")
    assert len(statements(captured)) <= budget, statements(captured)
    # Following the discussion at the same time: one statement more.
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url(opened, rows[2], "comment/"),
            {"comment": "Et je suis la suite", "submission": "b", "follow": "on"},
        )
    assert response.status_code == 302
    assert len(statements(captured)) <= budget + 1, statements(captured)


def test_a_comment_or_a_reply_is_written_and_announced_once(opened, rows):
    saved = []

    def receiver(sender, instance, created, **kwargs):
        saved.append((instance.pk, created))

    post_save.connect(receiver, sender=Comment, dispatch_uid="test-saved-once")
    try:
        author = make_citizen()
        root = comment_post(paragraph=rows[0], by=author, text="Un")
        reply = comment_post(paragraph=rows[0], by=author, text="Deux", parent_id=root.pk)
        second = comment_post(paragraph=rows[0], by=author, text="Trois", parent_id=root.pk)
        deeper = comment_post(paragraph=rows[0], by=author, text="Quatre", parent_id=reply.pk)
    finally:
        post_save.disconnect(dispatch_uid="test-saved-once", sender=Comment)
    assert saved == [(root.pk, True), (reply.pk, True), (second.pk, True), (deeper.pk, True)]
    stored = {c.pk: c for c in Comment.objects.all()}
    assert (stored[root.pk].thread_id, stored[root.pk].parent_id) == (root.pk, root.pk)
    assert [stored[c.pk].level for c in (root, reply, deeper, second)] == [0, 1, 2, 1]
    # Thread order: the deeper reply comes under the reply it answers, before the second one.
    in_order = sorted(stored.values(), key=lambda c: (c.thread_id, c.order))
    assert [c.comment for c in in_order] == ["Un", "Deux", "Quatre", "Trois"]
    assert stored[root.pk].nested_count == 3


def test_the_text_as_shown_is_stored_and_follows_every_write(client, opened, rows):
    author = make_citizen()
    comment = comment_post(
        paragraph=rows[1], by=author, text="<b>Voir</b> https://exemple.fr/a\net après"
    )
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.text_html == (
        '&lt;b&gt;Voir&lt;/b&gt; <a href="https://exemple.fr/a" rel="nofollow ugc noopener">'
        "https://exemple.fr/a</a><br>et après"
    )
    # An edit that saves only the text writes the HTML with it.
    stored.comment = "Corrigé : https://exemple.fr/b"
    stored.save(update_fields=["comment"])
    assert Comment.objects.get(pk=comment.pk).text_html == inert_html(
        "Corrigé : https://exemple.fr/b"
    )
    html = client.get(url(opened, rows[1])).content.decode()
    assert 'href="https://exemple.fr/b" rel="nofollow ugc noopener"' in html
    assert "exemple.fr/a" not in html
    # Deleted by its author: no text, no HTML left.
    comment_delete_own(comment=Comment.objects.get(pk=comment.pk), by=author)
    assert Comment.objects.filter(pk=comment.pk).values_list("comment", "text_html").get() == (
        "",
        "",
    )


def test_comments_written_straight_into_the_tables_are_shown_and_filled_in(client, opened, rows):
    author = make_citizen()
    kind = ContentType.objects.get_for_model(Paragraph).pk
    when = timezone.now() - datetime.timedelta(hours=1)
    write_comments(
        (pk, kind, rows[3].pk, author.pk, "Léa du Port", f"Lien {pk} : https://exemple.fr/{pk}")
        + (when, True)
        for pk in (9001, 9002)
    )
    html = client.get(url(opened, rows[3])).content.decode()
    assert 'href="https://exemple.fr/9001" rel="nofollow ugc noopener"' in html
    migration = importlib.import_module("charte.migrations.0033_comment_html")
    migration.fill_text_html(apps, None)
    assert dict(Comment.objects.values_list("pk", "text_html")) == {
        pk: inert_html(f"Lien {pk} : https://exemple.fr/{pk}") for pk in (9001, 9002)
    }


def test_the_margin_counts_follow_every_write(opened, rows, charter):
    author = make_citizen()
    moderator = factories.UserFactory(username="modo", pseudonym="Modo", role=roles.MODERATORS)
    first = comment_post(paragraph=rows[0], by=author, text="Un")
    comment_post(paragraph=rows[0], by=author, text="Deux", parent_id=first.pk)
    comment_post(paragraph=rows[1], by=author, text="Ailleurs")
    workshop = factories.make_workshop(charter)
    comment_post(paragraph=rows[1], by=author, text="En atelier", workshop=workshop)
    register = factories.make_workshop(charter, kind="register", title="Registre de la mairie")
    comment_post(paragraph=rows[1], by=author, text="Au registre", workshop=register)
    ids = [row.pk for row in rows]
    counts = comment_counts_by_origin(ids)
    assert counts == {
        rows[0].pk: {"total": 2, "workshop": 0, "register": 0},
        rows[1].pk: {"total": 3, "workshop": 1, "register": 1},
    }

    comment_hide(comment=first, by=moderator, reason="Hors sujet")
    assert comment_counts_by_origin(ids)[rows[0].pk]["total"] == 1
    comment_restore(comment=Comment.objects.get(pk=first.pk), by=moderator)
    assert comment_counts_by_origin(ids)[rows[0].pk]["total"] == 2
    comment_delete_own(comment=Comment.objects.get(pk=first.pk), by=author)
    assert comment_counts_by_origin(ids)[rows[0].pk]["total"] == 1
    Comment.objects.get(comment="Deux").delete()
    assert rows[0].pk not in comment_counts_by_origin(ids)  # no visible comment left
    # Asked for some paragraphs: only those.
    assert list(comment_counts_by_origin([rows[1].pk])) == [rows[1].pk]


def test_the_margin_counts_read_one_row_per_paragraph(opened, rows, django_assert_num_queries):
    author = make_citizen()
    kind = ContentType.objects.get_for_model(Paragraph).pk
    when = timezone.now() - datetime.timedelta(hours=1)
    write_comments(
        (pk, kind, rows[pk % len(rows)].pk, author.pk, "Léa", f"Avis {pk}", when, pk % 7 != 0)
        for pk in range(1, 701)
    )
    DiscussionCount.recount_all()
    expected = {}
    for pk in range(1, 701):
        if pk % 7:
            expected[rows[pk % len(rows)].pk] = expected.get(rows[pk % len(rows)].pk, 0) + 1
    with django_assert_num_queries(1):
        counts = comment_counts_by_origin([row.pk for row in rows])
    assert {pk: entry["total"] for pk, entry in counts.items()} == expected
    with CaptureQueriesContext(connection) as captured:
        comment_counts_by_origin([row.pk for row in rows])
    assert "django_comments" not in captured.captured_queries[0]["sql"]
