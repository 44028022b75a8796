"""Two comments written at the same moment on one paragraph are both counted in its margin."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from charte.discussions.services import comment_counts, comment_post
from charte.models import Paragraph
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): concurrent transactions are what is tested",
)
def test_two_comments_posted_at_once_are_both_counted(editor):
    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).order_by("position").first()
    lea, sam = make_citizen(), make_citizen("sam", "Sam des Quais")
    first_counted = threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                comment_post(paragraph=paragraph, by=lea, text="Le premier avis")
                first_counted.set()
                time.sleep(0.5)  # the second one is written meanwhile, then waits
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    def second():
        try:
            first_counted.wait(5)
            comment_post(paragraph=paragraph, by=sam, text="Le second avis")
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert comment_counts([paragraph.pk]) == {paragraph.pk: 2}
