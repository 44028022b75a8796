"""The index follows every change of what an entry shows, with no rebuild: each write path
(a version opened or adopted, a moderation decision, an account deleted, a page renamed,
translated or made private) queues the refresh of the entries concerned, in a few batched
tasks, and the worker brings the index in line."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from charte.accounts.services import account_delete
from charte.core import roles
from charte.debates.services import argument_hide, argument_post
from charte.discussions.services import comment_post
from charte.models import CharterPage, DebatePage, Paragraph
from charte.moderation.services import comment_hide, comment_restore
from charte.texts import services
from search.engines import get_engine
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_public_pages import translate
from tests.search.conftest import queued_refreshes, run_search_tasks

pytestmark = pytest.mark.django_db


def found(client, text, **filters):
    return client.get("/api/search/", {"q": text, **filters}).json()


def search_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__startswith="search.indexing.")


@pytest.fixture
def indexed(iteration):
    """Nothing queued yet, an index that matches the database."""
    call_command("rebuild_search_index", verbosity=0, stdout=None, stderr=None)
    search_tasks().delete()
    return iteration


def test_opening_a_version_makes_its_text_searchable_in_one_task(
    client, indexed, editor, django_capture_on_commit_callbacks
):
    iteration = indexed
    assert found(client, "Alinéa")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(iteration=iteration, by=editor)
    rows = set(Paragraph.objects.filter(iteration=iteration).values_list("pk", flat=True))
    assert len(rows) == 6
    assert {pk for kind, pk in queued_refreshes() if kind == "paragraph"} == rows
    assert search_tasks().count() == 1  # six paragraphs and the page: one task
    run_search_tasks()
    data = found(client, "Alinéa", kind="paragraph")
    assert data["total"] == 6
    call_command("check_search_index", verbosity=0, stdout=None)


def test_a_large_version_is_refreshed_by_a_few_tasks(
    client, charter, editor, django_capture_on_commit_callbacks
):
    iteration = factories.make_iteration(charter, factories.body_with(1200), user=editor)
    search_tasks().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(iteration=iteration, by=editor)
    assert len({pk for kind, pk in queued_refreshes() if kind == "paragraph"}) == 1200
    assert search_tasks().count() == 5  # at most 250 objects a task
    run_search_tasks()
    assert found(client, "Alinéa 1199", kind="paragraph")["total"] >= 1
    assert found(client, "Alinéa")["total"] == 1200


def test_adopting_a_version_never_opened_makes_its_text_searchable(
    client, indexed, editor, django_capture_on_commit_callbacks
):
    iteration = indexed
    now = timezone.now()
    services.iteration_open(
        iteration=iteration,
        by=editor,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(hours=1),
        now=now - datetime.timedelta(days=2),
    )
    services.iteration_close(iteration=iteration, by=editor)
    charter = iteration.get_parent().specific
    draft = factories.make_iteration(
        charter,
        factories.body_with(2, prefix="Rédaction adoptée"),
        title="Version 2",
        user=editor,
        opens_at=None,
        closes_at=None,
    )
    run_search_tasks()
    assert found(client, "adoptée", kind="paragraph")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_adopt(
            iteration=draft,
            by=editor,
            session_date=timezone.localdate(),
            deliberation_reference="DEL-1",
            votes_for=10,
            votes_against=1,
            abstentions=0,
        )
    run_search_tasks()
    assert found(client, "adoptée", kind="paragraph")["total"] == 2


def test_moderation_hides_restores_and_approves_in_the_index(
    client, opened, django_capture_on_commit_callbacks
):
    row = Paragraph.objects.filter(iteration=opened).first()
    moderator = factories.UserFactory(username="mod", role=roles.MODERATORS)
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_post(paragraph=row, by=make_citizen(), text="Des navettes gratuites")
    run_search_tasks()
    assert found(client, "navettes")["total"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(comment=comment, by=moderator, reason="Doublon")
    run_search_tasks()
    assert found(client, "navettes")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        comment_restore(comment=comment, by=moderator)
    run_search_tasks()
    assert found(client, "navettes")["total"] == 1
    # A comment awaiting approval is found once approved.
    comment.is_public = False
    with django_capture_on_commit_callbacks(execute=True):
        comment.save(update_fields=["is_public"])
    run_search_tasks()
    assert found(client, "navettes")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        comment_restore(comment=comment, by=moderator)
    run_search_tasks()
    assert found(client, "navettes")["total"] == 1


def test_a_deleted_account_loses_its_author_type_in_every_entry(
    client, opened, django_capture_on_commit_callbacks
):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    assoc = make_citizen("asso", "Association du Port")
    assoc.author_type = "association"
    assoc.author_type_confirmed_at = timezone.now()  # confirmed by the team: counted as such
    assoc.save()
    with django_capture_on_commit_callbacks(execute=True):
        for row in rows[:3]:
            comment_post(paragraph=row, by=assoc, text="Les quais du port, la nuit.")
    run_search_tasks()
    assert found(client, "quais", author_type="association")["total"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=assoc)
    assert search_tasks().count() == 1  # its three comments in one task
    run_search_tasks()
    assert found(client, "quais", author_type="association")["total"] == 0
    data = found(client, "quais")
    assert data["total"] == 3
    assert {hit["author_type"] for hit in data["results"]} == {None}


def test_an_association_counts_as_one_in_the_search_once_the_team_confirms_it(
    client, opened, editor, django_capture_on_commit_callbacks
):
    from charte.accounts.services import author_type_confirm

    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    assoc = make_citizen("asso", "Association du Port")
    assoc.author_type = "association"
    assoc.save()
    with django_capture_on_commit_callbacks(execute=True):
        for row in rows[:2]:
            comment_post(paragraph=row, by=assoc, text="Les quais du port, la nuit.")
    run_search_tasks()
    assert found(client, "quais", author_type="association")["total"] == 0
    data = found(client, "quais", author_type="association_declared")
    assert data["total"] == 2
    facet = next(f for f in data["facets"] if f["name"] == "author_type")
    assert [(v["label"], v["count"]) for v in facet["values"]] == [
        ("Association (déclaration non confirmée)", 2)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        author_type_confirm(user=assoc, by=editor)
    run_search_tasks()
    assert found(client, "quais", author_type="association")["total"] == 2
    assert found(client, "quais", author_type="association_declared")["total"] == 0


def test_a_renamed_charter_is_shown_under_its_new_title_everywhere(
    client, opened, editor, django_capture_on_commit_callbacks
):
    row = Paragraph.objects.filter(iteration=opened).first()
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(paragraph=row, by=make_citizen(), text="Un mot sur les quais.")
    run_search_tasks()
    charter = CharterPage.objects.get(pk=opened.get_parent().pk)
    charter.title = "Charte de la participation"
    with django_capture_on_commit_callbacks(execute=True):
        charter.save_revision(user=editor).publish(user=editor)
    run_search_tasks()
    for text, kind, count in (("Alinéa", "paragraph", 6), ("quais", "comment", 1)):
        hits = found(client, text, kind=kind)["results"]
        assert len(hits) == count
        assert {hit["charter"] for hit in hits} == {"Charte de la participation"}
    assert found(client, "participation", kind="charter")["total"] == 1
    call_command("check_search_index", verbosity=0, stdout=None)


def test_a_renamed_debate_is_shown_in_its_arguments_and_their_comments(
    client, charter, editor, django_capture_on_commit_callbacks
):
    debate = factories.make_debate(charter, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        argument = argument_post(
            debate=debate, by=make_citizen(), side="for", title="Un siège", text="Un siège réservé."
        )
        comment_post(target=argument, by=make_citizen("zoe", "Zoé"), text="Un strapontin.")
    run_search_tasks()
    debate = DebatePage.objects.get(pk=debate.pk)
    debate.title = "Les jeunes au conseil"
    with django_capture_on_commit_callbacks(execute=True):
        debate.save_revision(user=editor).publish(user=editor)
    run_search_tasks()
    for text, kind in (("siège", "argument"), ("strapontin", "comment")):
        (hit,) = found(client, text, kind=kind)["results"]
        assert hit["iteration"] == "Les jeunes au conseil"
    moderator = factories.UserFactory(username="mod", role=roles.MODERATORS)
    with django_capture_on_commit_callbacks(execute=True):
        argument_hide(argument=argument, by=moderator, reason="Doublon")
    run_search_tasks()
    assert found(client, "siège")["total"] == 0
    assert found(client, "strapontin")["total"] == 0


def test_a_translation_published_then_unpublished(
    client, opened, editor, english, django_capture_on_commit_callbacks
):
    run_search_tasks()
    assert found(client, "English", language="en")["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        translated = translate(opened, english)
    run_search_tasks()
    assert found(client, "English", kind="paragraph", language="en")["total"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        translated.unpublish(user=editor)
    run_search_tasks()
    assert found(client, "English", kind="paragraph", language="en")["total"] == 0
    call_command("check_search_index", verbosity=0, stdout=None)


def test_a_view_restriction_removes_then_restores_the_entries_under_a_page(
    client, opened, django_capture_on_commit_callbacks
):
    call_command("rebuild_search_index", verbosity=0, stdout=None, stderr=None)
    charter = opened.get_parent()

    def under():  # the kinds of the entries held under the charter, whichever the engine
        return Counter(e["kind"] for e in get_engine().stored() if e["charter_id"] == charter.pk)

    assert under()["paragraph"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=charter, restriction_type=PageViewRestriction.LOGIN
        )
    run_search_tasks()
    assert under() == Counter()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    run_search_tasks()
    assert under()["paragraph"] == 6
    assert found(client, "Alinéa", kind="paragraph")["total"] == 6


def test_the_batched_task_comes_back_later_while_the_engine_fails(settings, opened):
    from search.indexing import refresh_batch_task
    from tests.search.es_stub import closed_port_url

    rows = list(Paragraph.objects.filter(iteration=opened).values_list("pk", flat=True))
    search_tasks().delete()
    settings.ELASTICSEARCH_URL = closed_port_url()
    refresh_batch_task.call({"paragraph": rows})
    (again,) = search_tasks()
    assert again.args_kwargs["args"] == [{"paragraph": rows}, 2]
    assert again.run_after > timezone.now()
