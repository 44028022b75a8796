"""One contract for every discussion target: comments, follows, notifications, moderation and
search ask the target, never its type; follows and decisions need no column per kind."""

import pytest
from django.core import signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from charte.amendments.services import amendment_propose
from charte.core import targets
from charte.debates.services import argument_hide, argument_post
from charte.discussions.notifications import UNFOLLOW_SALT, read_unfollow_token
from charte.discussions.services import comment_post, follow_fields, follow_start
from charte.models import (
    Amendment,
    Argument,
    CharterPage,
    ModerationAction,
    ModerationDecision,
    Paragraph,
    ThreadFollow,
)
from charte.moderation.services import comment_hide
from tests import factories
from tests.charte.discussions.test_comments import make_citizen


@pytest.fixture
def everything(opened, paragraph, charter, editor):
    """One target of each kind, open for contributions."""
    amendment = amendment_propose(
        paragraph=paragraph,
        by=make_citizen("autrice", "Autrice"),
        kind="modify",
        text="Une autre rédaction.",
        rationale="Plus clair.",
    )
    debate = factories.make_debate(charter, user=editor)
    argument = argument_post(
        debate=debate, by=make_citizen("marc", "Marc"), side="for", title="Oui", text="Car."
    )
    return {"paragraph": paragraph, "amendment": amendment, "argument": argument}


def test_every_kind_of_target_is_found_by_its_contract_alone():
    kinds = [model.discussion_kind for model in targets.target_models()]
    assert sorted(kinds) == ["amendment", "argument", "commitment", "paragraph"]
    assert targets.target_named("amendment") is Amendment
    assert targets.target_model(targets.target_type(Paragraph).pk) is Paragraph
    assert targets.target_model(targets.target_type(CharterPage).pk) is None


def test_each_target_answers_the_contract_in_both_languages(everything):
    expected = {
        "fr": {
            "paragraph": "l’article 1, alinéa 1",
            "amendment": "l’amendement n° 1",
            "argument": "l’argument «\u00a0Oui\u00a0»",
        },
        "en": {
            "paragraph": "article 1, paragraph 1",
            "amendment": "amendment no. 1",
            "argument": "the argument « Oui »",
        },
    }
    empties = {
        "fr": {
            "paragraph": "Aucun commentaire sur cet alinéa pour l’instant.",
            "amendment": "Aucun commentaire sur cet amendement pour l’instant.",
            "argument": "Aucun commentaire sur cet argument pour l’instant.",
        },
        "en": {
            "paragraph": "No comment on this paragraph yet.",
            "amendment": "No comment on this amendment yet.",
            "argument": "No comment on this argument yet.",
        },
    }
    for language, titles in expected.items():
        with translation.override(language):
            for kind, target in everything.items():
                assert target.discussion_title() == titles[kind]
                assert target.discussion_words()["empty"] == empties[language][kind]
                assert target.discussion_closed_reason() is None
                assert target.discussion_premoderated() is False
                assert target.discussion_address() == target.get_url()
                route, argument = target.discussion_route()
                page = target.discussion_page()
                assert page.url + page.reverse_subpage(route, args=[argument]) == (target.get_url())
                assert target.discussion_form_address(page, "follow").startswith(page.url)
                found = targets.target_of(targets.target_type(target).pk, str(target.pk))
                assert found == target


def test_a_comment_on_each_kind_is_followed_and_found_back(everything):
    reader = make_citizen("lea", "Léa")
    for target in everything.values():
        comment = comment_post(target=target, by=reader, text="Mon avis.", follow=True)
        assert targets.target_of(comment.content_type_id, comment.object_pk) == target
        assert ThreadFollow.objects.filter(user=reader, **follow_fields(target)).exists()
    assert ThreadFollow.objects.filter(user=reader).count() == 3
    # Following twice leaves one row.
    assert follow_start(target=everything["paragraph"], by=reader) is False


def test_what_cannot_be_discussed_cannot_be_followed(charter):
    reader = make_citizen("lea", "Léa")
    with pytest.raises(ValueError, match="Not a discussion target"):
        ThreadFollow.objects.create(user=reader, target=charter)
    assert not ThreadFollow.objects.exists()


def test_links_sent_before_the_change_still_stop_following(client, everything):
    reader = make_citizen("lea", "Léa")
    for key, kind in (("p", "paragraph"), ("a", "amendment"), ("g", "argument")):
        target = everything[kind]
        follow_start(target=target, by=reader)
        legacy = signing.dumps({"u": reader.pk, key: target.pk}, salt=UNFOLLOW_SALT)
        assert read_unfollow_token(legacy) == (reader.pk, type(target), target.pk)
        assert client.get(reverse("thread_unfollow", args=[legacy])).status_code == 200
        assert not ThreadFollow.objects.filter(user=reader, **follow_fields(target)).exists()


def test_decisions_name_what_they_concern(everything, editor):
    reader = make_citizen("lea", "Léa")
    comment = comment_post(target=everything["paragraph"], by=reader, text="Mon avis.")
    comment_hide(comment=comment, by=editor, reason="Hors sujet")
    argument_hide(argument=everything["argument"], by=editor, reason="Injurieux")
    on_comment = ModerationDecision.objects.get(reason="Hors sujet")
    on_argument = ModerationDecision.objects.get(reason="Injurieux")
    assert (on_comment.item, on_comment.action) == (comment, ModerationAction.HIDE)
    assert (on_argument.item, on_argument.action) == (everything["argument"], "hide")
    assert isinstance(on_argument.item, Argument)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_every_follow_and_decision(charter, editor):
    from charte.texts import services

    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).first()
    everything = {
        "paragraph": paragraph,
        "amendment": amendment_propose(
            paragraph=paragraph, by=make_citizen("a", "A"), kind="delete", rationale="Inutile."
        ),
        "argument": argument_post(
            debate=factories.make_debate(charter, user=editor),
            by=make_citizen("b", "B"),
            side="against",
            title="Non",
            text="Car.",
        ),
    }
    reader = make_citizen("lea", "Léa")
    for target in everything.values():
        follow_start(target=target, by=reader)
    comment = comment_post(target=paragraph, by=reader, text="Mon avis.")
    comment_hide(comment=comment, by=editor, reason="Hors sujet")
    argument_hide(argument=everything["argument"], by=editor, reason="Injurieux")

    executor = MigrationExecutor(connection)
    executor.migrate([("charte", "0012_debates")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT paragraph_id, amendment_id, argument_id FROM charte_threadfollow "
            "WHERE user_id = %s ORDER BY id",
            [reader.pk],
        )
        assert cursor.fetchall() == [
            (paragraph.pk, None, None),
            (None, everything["amendment"].pk, None),
            (None, None, everything["argument"].pk),
        ]
        cursor.execute(
            "SELECT comment_id, argument_id FROM charte_moderationdecision "
            "WHERE reason IN ('Hors sujet', 'Injurieux') ORDER BY reason"
        )
        assert cursor.fetchall() == [(comment.pk, None), (None, everything["argument"].pk)]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("charte"))
    follows = ThreadFollow.objects.filter(user=reader).order_by("pk")
    assert [follow.target for follow in follows] == list(everything.values())
    assert ModerationDecision.objects.get(reason="Hors sujet").item == comment
    assert ModerationDecision.objects.get(reason="Injurieux").item == everything["argument"]
