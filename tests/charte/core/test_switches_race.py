"""A limit per person holds when one person posts several times at once (a double click,
several tabs): the count runs inside the transaction that writes, under a lock."""

import time

import pytest
from django.db import OperationalError

from charte.amendments.services import AmendmentRefused, amendment_propose
from charte.models import Amendment, CharterIterationPage, Paragraph
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def patiently(action, tries=200):
    """SQLite's shared in-memory test database answers « table is locked » instead of waiting
    for a writer: try again, as a waiting database would."""
    for _attempt in range(tries):
        try:
            return action()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.02)
    raise AssertionError("still locked")


def test_simultaneous_posts_never_exceed_the_limit(editor):
    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    CharterIterationPage.objects.filter(pk=iteration.pk).update(amendments_limit=2)
    lea = make_citizen()
    rows = list(Paragraph.objects.filter(iteration=iteration))

    def post(n):
        def once():
            try:
                return amendment_propose(
                    paragraph=Paragraph.objects.get(pk=rows[n % len(rows)].pk),
                    by=lea,
                    kind="delete",
                    rationale=f"Motif {n}",
                )
            except AmendmentRefused as refusal:
                return refusal.message

        return patiently(once)

    outcomes = run_at_once(4, post)
    written = [o for o in outcomes if isinstance(o, Amendment)]
    refused = [o for o in outcomes if not isinstance(o, Amendment)]
    assert len(written) == 2, outcomes
    assert (
        refused
        == [
            "Vous avez déposé 2 amendements sur 2 pour cette version. Vous ne pouvez pas en "
            "ajouter d’autres."
        ]
        * 2
    )
    assert Amendment.objects.filter(author=lea).count() == 2
