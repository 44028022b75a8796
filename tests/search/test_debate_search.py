"""Debate arguments and their discussions are found through the same index, under their
charter and debate, and disappear when hidden or when the debate is no longer public."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from charte.core import roles
from charte.debates.services import argument_hide, argument_post
from charte.discussions.services import comment_post
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.worker import work

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def debate(charter, editor):
    return factories.make_debate(charter, user=editor)


def found(client, text, **filters):
    return client.get("/api/search/", {"q": text, **filters}).json()


@pytest.mark.french_analysis
def test_arguments_and_their_comments_are_searched_and_filtered(client, debate, charter):
    argument = argument_post(
        debate=debate,
        by=make_citizen(),
        side="against",
        title="Des horaires impossibles",
        text="Les réunions en semaine excluent les lycéens internes.",
    )
    comment_post(target=argument, by=make_citizen("marc", "Marc"), text="Les lycéens d’abord.")
    work()
    data = found(client, "lyceens")
    kinds = {hit["kind"] for hit in data["results"]}
    assert kinds == {"argument", "comment"}
    hit = next(hit for hit in data["results"] if hit["kind"] == "argument")
    assert hit["url"].endswith(argument.get_url()) and hit["title"].startswith("Argument contre")
    facets = {f["name"]: f for f in data["facets"]}
    assert {v["value"]: v["count"] for v in facets["charter_id"]["values"]} == {charter.pk: 2}
    assert [v["label"] for v in facets["iteration_id"]["values"]] == [debate.title]
    assert found(client, "lyceens", kind="argument")["total"] == 1
    assert found(client, "conseils de quartier", kind="debate")["total"] == 1  # the question


@pytest.mark.french_analysis
def test_a_hidden_argument_and_a_private_debate_leave_the_results(client, debate):
    argument = argument_post(
        debate=debate, by=make_citizen(), side="for", title="Un siège", text="Un siège réservé."
    )
    work()
    assert found(client, "siege")["total"] == 1
    comment_post(target=argument, by=make_citizen("zoe", "Zoé"), text="Pourquoi pas un strapontin.")
    work()
    assert found(client, "strapontin")["total"] == 1
    moderator = factories.UserFactory(username="mod", role=roles.MODERATORS)
    argument_hide(argument=argument, by=moderator, reason="Doublon")
    work()
    assert found(client, "siege")["total"] == 0
    # Its discussion goes with it: the entries of its comments name the argument.
    assert found(client, "strapontin")["total"] == 0

    other = argument_post(
        debate=debate, by=make_citizen("marc", "Marc"), side="for", title="Un vote", text="Voter."
    )
    work()
    assert found(client, "voter")["total"] == 1
    PageViewRestriction.objects.create(page=debate, restriction_type="login")
    assert found(client, "voter")["total"] == 0  # at once, before any reindexing
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    assert found(client, "voter")["total"] == 0
    assert other.pk
