"""Two editors acting at the same moment still leave one consultation per charter."""

import threading

import pytest
from django.db import connection, connections

from charte import services
from charte.models import CharterIterationPage, IterationState, Paragraph
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): row locks are what is tested",
)
def test_two_iterations_opened_at_once_leave_one_consultation(editor):
    charter = factories.make_charter(user=editor)
    first = factories.make_iteration(charter, user=editor)
    second = factories.make_iteration(charter, title="Version 2", user=editor)
    barrier = threading.Barrier(2)
    outcomes = []

    def open_it(iteration):
        try:
            barrier.wait()
            services.iteration_open(iteration=iteration, by=editor)
            outcomes.append("opened")
        except services.LifecycleError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_it, args=(it,)) for it in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(o == "opened" for o in outcomes) == [False, True], outcomes
    in_consultation = CharterIterationPage.objects.filter(state=IterationState.CONSULTATION)
    assert in_consultation.count() == 1
    assert Paragraph.objects.values("iteration").distinct().count() == 1
