"""Recording commitments under the adopted charter and publishing their updates: numbered per
charter, refused with a reason when the rules say no, and each update told once to the
commitment's followers, in their language, through the queue."""

import pytest
from django.core import mail
from django.utils import timezone

from charte.discussions.services import follow_start
from charte.follow_up import services as follow_up
from charte.follow_up.models import CommitmentStatus, CommitmentUpdate
from tests.charte.follow_up.conftest import resident
from tests.worker import work

pytestmark = pytest.mark.django_db


def test_commitments_are_numbered_per_charter_on_the_adopted_version(commitment, adopted, editor):
    second = follow_up.commitment_create(
        charter=adopted.get_parent(),
        article_number=2,
        title="Un budget participatif associatif",
        description="50 000 € par an.",
        by=editor,
    )
    assert (commitment.number, second.number) == (1, 2)
    assert second.iteration_id == adopted.pk
    assert not second.is_published
    assert commitment.get_url() == f"{adopted.get_parent().url}follow-up/1/"


def test_a_charter_without_adopted_version_has_no_commitments(opened, editor):
    with pytest.raises(follow_up.FollowUpRefused) as refusal:
        follow_up.commitment_create(
            charter=opened.get_parent(),
            article_number=1,
            title="Trop tôt",
            description="…",
            by=editor,
        )
    assert refusal.value.field == "charter"
    assert "n’a pas de version adoptée" in refusal.value.message


def test_an_unknown_article_and_a_missing_reason_are_refused_together(adopted, editor):
    with pytest.raises(follow_up.FollowUpRefused) as refusal:
        follow_up.commitment_create(
            charter=adopted.get_parent(),
            article_number=99,
            title="Hors texte",
            description="…",
            status=CommitmentStatus.ABANDONED,
            by=editor,
        )
    assert refusal.value.by_field.keys() == {"article_number", "status_reason"}
    assert "pas d’article 99" in refusal.value.by_field["article_number"]


def test_an_update_moves_the_commitment_and_is_told_once_to_its_followers(
    commitment, editor, django_capture_on_commit_callbacks
):
    lea, anna = resident("lea"), resident("anna", "en")
    for person in (lea, anna):
        follow_start(target=commitment, by=person)
    with django_capture_on_commit_callbacks(execute=True):
        update = follow_up.update_publish(
            commitment=commitment,
            text="Le calendrier 2027 est en ligne.",
            text_en="The 2027 calendar is online.",
            status=CommitmentStatus.IN_PROGRESS,
            progress=40,
            by=editor,
        )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 40)
    assert mail.outbox == []  # queued for the worker
    work()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {lea.email, anna.email}
    french, english = by_address[lea.email], by_address[anna.email]
    assert french.subject == (
        "Du nouveau sur l’engagement "
        "«\u00a0Réunir chaque conseil de quartier quatre fois par an\u00a0»"
    )
    assert "Le calendrier 2027 est en ligne." in french.body
    assert "http://testserver" + commitment.get_url() in french.body
    assert "The 2027 calendar is online." in english.body
    stop = french.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop in french.body

    # Run again (a second worker, a retry): nobody is told twice.
    assert follow_up.notify_update_followers(update.pk) == (0, None)
    assert CommitmentUpdate.objects.get(pk=update.pk).notified_at is not None


def test_postponing_needs_a_public_reason(commitment, editor):
    with pytest.raises(follow_up.FollowUpRefused) as refusal:
        follow_up.update_publish(
            commitment=commitment,
            text="Reporté.",
            status=CommitmentStatus.POSTPONED,
            by=editor,
        )
    assert refusal.value.field == "status"
    update = follow_up.update_publish(
        commitment=commitment,
        text="Reporté à 2028.",
        status=CommitmentStatus.POSTPONED,
        status_reason="Le budget 2027 n’a pas été voté à temps.",
        published_on=timezone.localdate(),
        by=editor,
    )
    commitment.refresh_from_db()
    assert commitment.status == "postponed"
    assert commitment.status_reason.startswith("Le budget 2027")
    assert update.author == editor


def test_done_means_one_hundred_percent(commitment, editor):
    follow_up.update_publish(
        commitment=commitment, text="Fait.", status=CommitmentStatus.DONE, by=editor
    )
    commitment.refresh_from_db()
    assert commitment.progress == 100


def test_a_questionnaire_starts_with_the_default_questions(adopted):
    questionnaire = follow_up.questionnaire_for(adopted)
    assert questionnaire.iteration_id == adopted.pk
    texts = list(questionnaire.questions.values_list("text", flat=True))
    assert texts[0] == "Vous êtes-vous senti·e écouté·e\u202f?"
    assert len(texts) == 5
    assert follow_up.questionnaire_for(adopted).pk == questionnaire.pk
