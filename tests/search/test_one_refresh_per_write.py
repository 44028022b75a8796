"""One write, one search refresh: what a transaction changes is queued once, on commit."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from charte.discussions.services import comment_post
from charte.models import Comment, Paragraph
from charte.texts import services
from search import indexing
from tests.charte.discussions.test_comments import make_citizen

# The refresh is queued when the transaction commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def search_tasks():
    return list(
        DBTaskResult.objects.filter(task_path__startswith="search.indexing.").order_by(
            "enqueued_at"
        )
    )


@pytest.fixture
def paragraph(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    DBTaskResult.objects.all().delete()
    return Paragraph.objects.filter(iteration=iteration).order_by("position").first()


def test_posting_a_comment_queues_one_refresh_for_it(paragraph):
    lea = make_citizen()
    DBTaskResult.objects.all().delete()

    comment = comment_post(paragraph=paragraph, by=lea, text="Un arrêt de bus de plus, svp.")

    tasks = search_tasks()
    assert [(t.task_path, t.args_kwargs["args"][:2]) for t in tasks] == [
        ("search.indexing.refresh_task", ["comment", comment.pk])
    ]
    assert tasks[0].queue_name == "search"


def test_a_reply_queues_one_refresh_too(paragraph):
    lea, tom = make_citizen(), make_citizen("tom", "Tom")
    first = comment_post(paragraph=paragraph, by=lea, text="Plus de bancs.")
    DBTaskResult.objects.all().delete()

    reply = comment_post(paragraph=paragraph, by=tom, text="Oui, à l’ombre.", parent_id=first.pk)

    assert [t.args_kwargs["args"][:2] for t in search_tasks()] == [["comment", reply.pk]]


def test_two_posts_in_two_transactions_queue_one_refresh_each(paragraph):
    lea = make_citizen()
    DBTaskResult.objects.all().delete()
    one = comment_post(paragraph=paragraph, by=lea, text="Premier avis.")
    two = comment_post(paragraph=paragraph, by=lea, text="Second avis.")

    assert sorted(t.args_kwargs["args"][:2] for t in search_tasks()) == [
        ["comment", one.pk],
        ["comment", two.pk],
    ]


def test_what_a_rolled_back_transaction_scheduled_is_not_queued_later(paragraph):
    lea = make_citizen()
    DBTaskResult.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        indexing.schedule("comment", 987654)
        raise RuntimeError("the write failed")
    kept = comment_post(paragraph=paragraph, by=lea, text="Celui-ci reste.")

    assert [t.args_kwargs["args"][:2] for t in search_tasks()] == [["comment", kept.pk]]
    assert Comment.objects.filter(pk=987654).count() == 0


def test_many_writes_in_one_transaction_are_one_batch(paragraph):
    lea = make_citizen()
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        posted = [
            comment_post(paragraph=paragraph, by=lea, text=f"Avis numéro {n}.") for n in range(3)
        ]

    tasks = search_tasks()
    assert [t.task_path for t in tasks] == ["search.indexing.refresh_batch_task"]
    assert tasks[0].args_kwargs["args"][0] == {"comment": [c.pk for c in posted]}


@transaction.atomic
def _write(pk, *, fail=False):
    # One decorated function: each call is its own transaction, with the same ``atomic``.
    indexing.schedule("comment", pk)
    if fail:
        raise RuntimeError("the write failed")


def test_a_failed_call_leaves_nothing_for_the_next_call_of_the_same_function():
    DBTaskResult.objects.all().delete()
    with pytest.raises(RuntimeError):
        _write(111, fail=True)
    _write(222)

    assert [t.args_kwargs["args"][:2] for t in search_tasks()] == [["comment", 222]]
