"""Indexing tasks given up after their last try (the dead letters) are counted where the team
looks: on the Wagtail dashboard, in ``check_search_index`` and on ``/ready/``."""

import io

import pytest
from django.core.management import call_command
from wagtail.users.models import UserProfile

from search.indexing import MAX_ATTEMPTS, refresh_task
from tests.search.es_stub import closed_port_url
from tests.worker import work

# The worker closes its database connections when done: each test commits for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def given_up(corpus, settings):
    """The engine is down and a refresh reaches its last try: the worker gives it up."""
    engine_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = closed_port_url()
    comment = corpus["comments"]["elu"]
    refresh_task.enqueue("comment", comment.pk, MAX_ATTEMPTS - 1)  # tried again once more
    refresh_task.enqueue("comment", comment.pk, MAX_ATTEMPTS)  # the last try
    work()
    settings.ELASTICSEARCH_URL = engine_url  # the engine is back
    return comment


def test_a_task_still_tried_again_is_not_counted(corpus, settings, client):
    settings.ELASTICSEARCH_URL = closed_port_url()
    refresh_task.enqueue("comment", corpus["comments"]["elu"].pk, 1)
    work()
    assert client.get("/ready/").json()["parts"]["search"]["dead_letters"] == 0


def test_the_dashboard_tells_the_team_what_was_given_up(given_up, client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'id="search-dead-letters-title"' in html
    assert "1 update of the search index was given up after repeated failures" in html


def test_ready_and_check_count_them(given_up, client, settings):
    assert client.get("/ready/").json()["parts"]["search"]["dead_letters"] == 1
    out = io.StringIO()
    call_command("check_search_index", stdout=out)
    assert "1 indexing tasks were given up" in out.getvalue()


def test_the_dashboard_says_nothing_when_nothing_was_given_up(corpus, client, editor):
    client.force_login(editor)
    assert "search-dead-letters" not in client.get("/admin/").content.decode()
