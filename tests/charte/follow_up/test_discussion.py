"""A commitment is discussed like any other target: the same services, pre-moderation,
moderation, « download my data » and retention of IP addresses, and nothing is said about an
unpublished one."""

import datetime

import pytest
from django.utils import timezone

from charte.discussions.services import (
    CommentRefused,
    comment_post,
    erase_closed_ip_addresses,
    export_comments,
)
from charte.follow_up import services as follow_up
from charte.models import Comment
from charte.moderation.services import comment_hide, moderation_queue
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


def test_residents_comment_a_published_commitment(commitment):
    lea = make_citizen()
    comment = comment_post(target=commitment, by=lea, text="Quand aura lieu la première réunion ?")
    assert comment.is_public
    assert comment.content_object == commitment
    (row,) = export_comments(lea)
    assert row["commitment"] == commitment.get_url()


def test_an_unpublished_commitment_cannot_be_commented(adopted, editor):
    draft = follow_up.commitment_create(
        charter=adopted.get_parent(),
        article_number=2,
        title="En préparation",
        description="…",
        by=editor,
    )
    with pytest.raises(CommentRefused) as refusal:
        comment_post(target=draft, by=make_citizen(), text="Bonjour")
    assert refusal.value.message == "Cet engagement n’est pas publié."
    assert not Comment.objects.exists()


def test_the_charters_pre_moderation_and_the_moderators_apply(commitment, editor):
    charter = commitment.charter.specific
    charter.premoderation = True
    charter.save_revision().publish()
    comment = comment_post(target=commitment, by=make_citizen(), text="À valider.")
    assert not comment.is_public
    assert list(moderation_queue()) == [comment]

    charter.premoderation = False
    charter.save_revision().publish()
    commitment.refresh_from_db()
    shown = comment_post(target=commitment, by=make_citizen("marc", "Marc"), text="Des insultes.")
    comment_hide(comment=shown, by=editor, reason="Propos injurieux.")
    shown.refresh_from_db()
    assert shown.hidden_at is not None


def test_ip_addresses_of_a_discussion_that_stays_open_are_erased_with_age(commitment):
    lea = make_citizen()
    old = comment_post(
        target=commitment,
        by=lea,
        text="Il y a longtemps.",
        ip="192.0.2.1",
        now=timezone.now() - datetime.timedelta(days=400),
    )
    recent = comment_post(target=commitment, by=lea, text="Hier.", ip="192.0.2.2")
    assert erase_closed_ip_addresses(days_after_close=365) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, recent.ip_address) == (None, "192.0.2.2")


def test_a_commitment_answers_the_contract_in_both_languages(commitment):
    from django.utils import translation

    from charte.core import targets

    commitment.title_en = "Meet every neighbourhood council four times a year"
    commitment.save()
    expected = {
        "fr": (
            "l’engagement «\u00a0Réunir chaque conseil de quartier quatre fois par an\u00a0»",
            "Aucun commentaire sur cet engagement pour l’instant.",
        ),
        "en": (
            "the commitment « Meet every neighbourhood council four times a year »",
            "No comment on this commitment yet.",
        ),
    }
    for language, (title, empty) in expected.items():
        with translation.override(language):
            assert commitment.discussion_title() == title
            assert commitment.discussion_words()["empty"] == empty
    assert commitment.discussion_closed_reason() is None
    route, argument = commitment.discussion_route()
    page = commitment.discussion_page()
    assert page.url + page.reverse_subpage(route, args=[argument]) == commitment.get_url()
    assert commitment.discussion_form_address(page, "follow") == commitment.get_url() + "follow/"
    assert commitment.discussion_article() == 1
    found = targets.target_of(targets.target_type(commitment).pk, str(commitment.pk))
    assert found == commitment
