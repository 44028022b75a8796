"""An answer is final: a second answer is refused, a correction keeps the initial answer in
public with its reason and tells everyone concerned once; every answer, correction and export
of the inbox is in Wagtail's audit log and its « Site history » report."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from charte.amendments.notifications import notify_correction_task
from charte.amendments.services import (
    AmendmentRefused,
    amendment_answer,
    amendment_answer_correct,
    amendment_propose,
    amendment_support,
)
from charte.models import Amendment, AnswerCorrection
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

INBOX = "/admin/amendments/"


@pytest.fixture
def answered(opened, paragraph, editor):
    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    amendment = amendment_propose(
        paragraph=paragraph, by=lea, kind="delete", rationale="Cet alinéa est redondant."
    )
    amendment_support(amendment=amendment, by=sam, value="agree")
    amendment_answer(amendment=amendment, status="rejected", response="Il reste utile.", by=editor)
    return amendment


def test_a_second_answer_is_refused_and_changes_nothing(
    answered, editor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(AmendmentRefused, match="déjà une réponse"),
    ):
        amendment_answer(
            amendment=answered, status="accepted", response="Finalement oui.", by=editor
        )
    assert callbacks == []  # nobody is e-mailed again
    answered.refresh_from_db()
    assert (answered.status, answered.response) == ("rejected", "Il reste utile.")


def test_a_correction_keeps_the_initial_answer_in_public_and_tells_everyone_once(
    client, answered, editor, django_capture_on_commit_callbacks
):
    first_answered_at = Amendment.objects.get(pk=answered.pk).answered_at
    assert first_answered_at is not None
    with pytest.raises(AmendmentRefused, match="raison de la correction"):
        amendment_answer_correct(
            amendment=answered, by=editor, status="accepted", response="Oui.", reason="  "
        )
    with pytest.raises(AmendmentRefused, match="Seule l’équipe"):
        amendment_answer_correct(
            amendment=answered,
            by=answered.author,
            status="accepted",
            response="Oui.",
            reason="Je change d’avis",
        )
    with django_capture_on_commit_callbacks(execute=True):
        correction = amendment_answer_correct(
            amendment=answered,
            by=editor,
            status="accepted",
            response="Nous supprimons l’alinéa.",
            reason="Erreur de saisie du statut",
        )
    answered.refresh_from_db()
    assert (answered.status, answered.response) == ("accepted", "Nous supprimons l’alinéa.")
    assert (
        correction.previous_status,
        correction.previous_response,
        correction.previous_answered_by,
        correction.previous_answered_at,
        correction.corrected_by,
    ) == ("rejected", "Il reste utile.", editor, first_answered_at, editor)

    (task,) = DBTaskResult.objects.filter(task_path__endswith="notify_correction_task")
    assert notify_correction_task.func(*task.args_kwargs["args"]) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "sam@example.org"]
    message = next(m for m in mail.outbox if m.to == ["lea@example.org"])
    assert "corrigée" in message.subject
    assert "Erreur de saisie du statut" in message.body
    assert "Rejeté" in message.body  # the previous answer

    html = client.get(answered.get_url()).content.decode()
    assert "Réponse corrigée le" in html
    assert "Erreur de saisie du statut" in html
    assert "réponse initiale" in html
    assert "Il reste utile." in html
    assert "Nous supprimons l’alinéa." in html


def test_the_inbox_corrects_an_answer_only_with_a_reason(client, answered, editor):
    client.force_login(editor)
    address = f"{INBOX}edit/{answered.pk}/"
    assert "correction_reason" in client.get(address).content.decode()

    without_reason = client.post(address, {"status": "accepted", "response": "Oui, finalement."})
    assert without_reason.status_code == 200
    answered.refresh_from_db()
    assert answered.status == "rejected"
    assert AnswerCorrection.objects.count() == 0

    corrected = client.post(
        address,
        {
            "status": "accepted",
            "response": "Oui, finalement.",
            "correction_reason": "Le statut choisi était erroné",
        },
    )
    assert corrected.status_code == 302
    answered.refresh_from_db()
    assert answered.status == "accepted"
    assert AnswerCorrection.objects.get().reason == "Le statut choisi était erroné"


def test_the_answer_form_of_an_unanswered_amendment_asks_no_reason(
    client, opened, paragraph, editor
):
    waiting = amendment_propose(
        paragraph=paragraph, by=make_citizen(), kind="delete", rationale="Redondant"
    )
    client.force_login(editor)
    assert "correction_reason" not in client.get(f"{INBOX}edit/{waiting.pk}/").content.decode()


def test_answers_corrections_and_exports_are_in_the_site_history(client, answered, editor):
    amendment_answer_correct(
        amendment=answered, by=editor, status="accepted", response="Oui.", reason="Erreur"
    )
    client.force_login(editor)
    client.get(INBOX + "?export=csv")
    client.get(INBOX + "?export=json")

    entries = ModelLogEntry.objects.exclude(action__startswith="charte.roles.").order_by(
        "timestamp"
    )
    assert [(e.action, e.user, e.object_id) for e in entries] == [
        ("charte.amendment.answer", editor, str(answered.pk)),
        ("charte.amendment.correct_answer", editor, str(answered.pk)),
        ("charte.export", editor, "0"),
        ("charte.export", editor, "0"),
    ]
    assert [e.data["format"] for e in entries[2:]] == ["csv", "json"]

    report = client.get("/admin/reports/site-history/")
    assert report.status_code == 200
    html = report.content.decode()
    assert "Réponse à l’amendement corrigée" in html
    assert "Amendement répondu" in html
    assert "Liste exportée" in html
    assert Amendment.objects.get(pk=answered.pk).status == "accepted"


def test_exports_of_the_arguments_are_in_the_audit_log(client, charter, editor):
    from charte.models import Argument
    from tests import factories

    factories.make_debate(charter, user=editor)
    client.force_login(editor)
    b"".join(client.get("/admin/arguments/?export=xlsx").streaming_content)
    (entry,) = ModelLogEntry.objects.filter(action="charte.export")
    assert (entry.user, entry.data["format"], entry.content_type.model_class()) == (
        editor,
        "xlsx",
        Argument,
    )
