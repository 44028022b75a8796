"""Two editors acting at the same moment still leave one consultation per charter."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from charte.models import CharterIterationPage, IterationState, Paragraph
from charte.texts import services
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


def run_at_once(count, action):
    """Run ``action(n)`` in ``count`` threads released together; return what each returned."""
    barrier = threading.Barrier(count)
    outcomes = []

    def run(n):
        try:
            barrier.wait()
            outcomes.append(action(n))
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_twenty_simultaneous_supports_from_one_citizen_leave_one_row(editor):
    from charte.amendments.services import amendment_propose, amendment_support
    from charte.models import AmendmentSupport
    from tests.charte.discussions.test_comments import make_citizen

    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).first()
    amendment = amendment_propose(
        paragraph=paragraph, by=make_citizen(), kind="delete", rationale="Inutile"
    )
    sam = make_citizen("sam", "Sam")
    values = ["agree", "mixed", "disagree"]
    address = f"{iteration.url}amendments/{amendment.number}/support/"
    clients = []
    for _n in range(20):
        client = Client()
        client.force_login(sam)
        clients.append(client)
    # Twenty requests from one citizen (a double click, several tabs) at the same moment.
    outcomes = run_at_once(
        20, lambda n: clients[n].post(address, {"value": values[n % 3]}).status_code
    )
    assert outcomes == [302] * 20, outcomes
    assert AmendmentSupport.objects.filter(amendment=amendment, user=sam).count() == 1
    # And through the service directly, too.
    outcomes = run_at_once(
        20, lambda n: amendment_support(amendment=amendment, by=sam, value=values[n % 3])
    )
    assert all(isinstance(o, AmendmentSupport) for o in outcomes), outcomes
    assert AmendmentSupport.objects.filter(amendment=amendment, user=sam).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_simultaneous_proposals_get_distinct_numbers(editor):
    from charte.amendments.services import amendment_propose
    from charte.models import Amendment
    from tests.charte.discussions.test_comments import make_citizen

    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).first()
    authors = [make_citizen(f"a{n}", f"Auteur {n}") for n in range(10)]
    outcomes = run_at_once(
        10,
        lambda n: amendment_propose(
            paragraph=paragraph, by=authors[n], kind="delete", rationale=f"Motif {n}"
        ),
    )
    assert all(isinstance(o, Amendment) for o in outcomes), outcomes
    assert sorted(Amendment.objects.values_list("number", flat=True)) == list(range(1, 11))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_simultaneous_supports_and_positions_in_a_debate_leave_one_row_each(editor):
    from charte.debates.services import argument_post, argument_support, position_state
    from charte.models import ArgumentSupport, DebatePosition
    from tests.charte.discussions.test_comments import make_citizen

    charter = factories.make_charter(user=editor)
    debate = factories.make_debate(charter, user=editor)
    argument = argument_post(
        debate=debate, by=make_citizen(), side="for", title="Un siège", text="Un siège réservé."
    )
    sam = make_citizen("sam", "Sam")
    clients = []
    for _n in range(20):
        client = Client()
        client.force_login(sam)
        clients.append(client)
    address = f"{debate.url}a/{argument.pk}/support/"
    outcomes = run_at_once(20, lambda n: clients[n].post(address).status_code)
    assert outcomes == [302] * 20, outcomes
    assert ArgumentSupport.objects.filter(argument=argument, user=sam).count() == 1
    outcomes = run_at_once(20, lambda n: argument_support(argument=argument, by=sam))
    assert outcomes == [True] * 20, outcomes
    assert ArgumentSupport.objects.filter(argument=argument).count() == 1

    values = ["agree", "mixed", "disagree"]
    outcomes = run_at_once(
        20, lambda n: position_state(debate=debate, by=sam, value=values[n % 3]).value
    )
    assert all(value in values for value in outcomes), outcomes
    assert DebatePosition.objects.filter(debate=debate, user=sam).count() == 1
