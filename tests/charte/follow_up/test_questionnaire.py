"""The questionnaire of a consultation: sent once to its participants when it closes, in their
language, with a signed link; answered once per account, anonymously; its results on the
synthesis (free text for the team only)."""

import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from charte.amendments.services import amendment_propose, amendment_support
from charte.discussions.services import comment_post
from charte.follow_up import questionnaire as questionnaires
from charte.follow_up.models import (
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireParticipation,
    QuestionnaireResponse,
)
from charte.follow_up.services import questionnaire_for
from charte.models import Paragraph
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.follow_up.test_evaluation import in_english
from tests.documents import fetch_document
from tests.worker import work

pytestmark = pytest.mark.django_db

SUBJECT = "Cinq minutes pour nous dire comment s’est passée la concertation"


def resident(username, language="fr"):
    """A resident with a pseudonym and a verified address, reading in ``language``."""
    user = make_citizen(username, username.title())
    user.preferred_language = language
    user.save()
    return user


def invitations():
    return [message for message in mail.outbox if "questionnaire" in message.body]


def link_of(message) -> str:
    return re.search(r"http://testserver(\S+/questionnaire/\?t=\S+)", message.body).group(1)


@pytest.fixture
def participants(opened):
    """Léa commented, Anna (English) proposed an amendment, Tom took a position; Zoé, who
    commented too, never verified her address; Max, who commented, closed his account."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    lea, anna, tom = resident("lea"), resident("anna", "en"), resident("tom")
    zoe = make_citizen("zoe", "Zoé")
    gone = resident("max")
    comment_post(paragraph=rows[0], by=lea, text="Très bien.")
    comment_post(paragraph=rows[1], by=zoe, text="Moi aussi.")
    EmailAddress.objects.filter(user=zoe).update(verified=False)  # changed it since
    comment_post(paragraph=rows[2], by=gone, text="Au revoir.")
    gone.is_active = False
    gone.save()
    amendment = amendment_propose(
        paragraph=rows[3], by=anna, kind="modify", text="Autrement.", rationale="Mieux."
    )
    amendment_support(amendment=amendment, by=tom, value="agree")
    return {"lea": lea, "anna": anna, "tom": tom, "zoe": zoe, "max": gone}


@pytest.fixture
def sent(opened, editor, participants, django_capture_on_commit_callbacks):
    """The consultation closed; the worker sent the invitations."""
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_close(iteration=opened, by=editor)
    work()
    return Questionnaire.objects.get(iteration=opened)


def test_closing_invites_each_participant_once_in_their_language(opened, sent, participants):
    by_address = {message.to[0]: message for message in invitations()}
    lea, anna, tom = participants["lea"], participants["anna"], participants["tom"]
    # Not the unverified address, nor the closed account.
    assert set(by_address) == {lea.email, anna.email, tom.email}
    french, english = by_address[lea.email], by_address[anna.email]
    assert french.subject.startswith(SUBJECT)
    assert "anonymement" in french.body and "Répondez jusqu’au" in french.body
    assert english.subject.startswith("Five minutes to tell us how the consultation")
    assert link_of(french).startswith(f"{opened.url}questionnaire/?t=")
    assert sent.sent_at is not None
    assert sent.questions.count() == 5  # the default questions, created on close
    assert set(
        QuestionnaireParticipation.objects.filter(invited_at__isnull=False).values_list(
            "user__username", flat=True
        )
    ) == {"lea", "anna", "tom"}

    # A batch run again (a retry, a second worker): nobody is invited twice.
    mail.outbox.clear()
    assert questionnaires.invite_participants(opened.pk) == (0, None)
    assert invitations() == []


def test_participants_are_invited_in_batches(
    opened, editor, participants, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(questionnaires, "BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_close(iteration=opened, by=editor)
    work()
    assert len(invitations()) == 3
    assert QuestionnaireParticipation.objects.filter(invited_at__isnull=False).count() == 3


def test_a_disabled_questionnaire_is_not_sent(
    opened, editor, participants, django_capture_on_commit_callbacks, client
):
    questionnaire = questionnaire_for(opened)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_close(iteration=opened, by=editor)
    work()
    assert invitations() == []
    assert not QuestionnaireParticipation.objects.exists()
    client.force_login(participants["lea"])
    response = client.get(f"{opened.url}questionnaire/")
    assert response.status_code == 404
    assert "Aucun questionnaire n’a été envoyé" in response.content.decode()


def answers_of(questionnaire):
    questions = list(questionnaire.questions.order_by("sort_order"))
    return questions


def test_a_participant_answers_once_from_the_link_without_signing_in(client, opened, sent):
    message = next(m for m in invitations() if m.to[0].startswith("lea"))
    address = link_of(message)
    page = client.get(address)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Vous êtes-vous senti·e écouté·e" in html
    assert 'type="radio"' in html and "<textarea" in html
    assert "Vos réponses sont anonymes" in html and "ni vous les rendre avec vos données" in html

    listened, clear, understood, again, word = answers_of(sent)
    token = address.split("?t=")[1]
    # Nothing chosen: refused, the page says why.
    empty = client.post(address, {"t": token})
    assert empty.status_code == 400
    assert "Répondez à au moins une question." in empty.content.decode()
    assert not QuestionnaireResponse.objects.exists()
    # A choice that does not exist: refused, the text typed and the other choice kept.
    wrong = client.post(
        address,
        {"t": token, f"q{listened.pk}": "9", f"q{again.pk}": "2", f"q{word.pk}": "Merci !"},
    )
    assert wrong.status_code == 400
    wrong_html = wrong.content.decode()
    assert "Merci !</textarea>" in wrong_html
    assert re.search(rf'name="q{again.pk}" value="2"[^>]*checked', wrong_html)

    done = client.post(
        address,
        {"t": token, f"q{listened.pk}": "4", f"q{again.pk}": "2", f"q{word.pk}": "Merci !"},
    )
    assert done.status_code == 302
    response = QuestionnaireResponse.objects.get()
    assert sorted(
        (answer.question_id, answer.choice, answer.text) for answer in response.answers.all()
    ) == sorted([(listened.pk, 4, ""), (again.pk, 2, ""), (word.pk, None, "Merci !")])
    # Anonymous: nothing ties the response to the account, only that it answered.
    assert {field.name for field in QuestionnaireResponse._meta.concrete_fields} == {
        "id",
        "questionnaire",
    }
    assert QuestionnaireParticipation.objects.get(user__username="lea").answered

    again_page = client.get(done["Location"])
    assert again_page.status_code == 200
    assert "Vous avez déjà répondu, merci." in again_page.content.decode()
    # A second tab sends the form again: still one response.
    twice = client.post(address, {"t": token, f"q{listened.pk}": "1"})
    assert "Vous avez déjà répondu, merci." in twice.content.decode()
    assert QuestionnaireResponse.objects.count() == 1


def test_the_service_refuses_a_second_answer(sent, participants):
    listened = sent.questions.order_by("sort_order").first()
    questionnaires.questionnaire_answer(
        questionnaire=sent, user_pk=participants["tom"].pk, answers={listened.pk: 3}
    )
    with pytest.raises(questionnaires.QuestionnaireRefused) as refusal:
        questionnaires.questionnaire_answer(
            questionnaire=sent, user_pk=participants["tom"].pk, answers={listened.pk: 1}
        )
    assert str(refusal.value.message) == "Vous avez déjà répondu, merci."
    assert QuestionnaireAnswer.objects.count() == 1


def test_the_questionnaire_in_english(client, opened, sent, english, participants):
    address = in_english(opened, english)
    client.force_login(participants["anna"])
    html = client.get(f"{address}questionnaire/").content.decode()
    assert "How did the consultation go?" in html
    assert "Did you feel listened to?" in html and "Completely" in html
    assert "Your answers are anonymous" in html


def test_a_forged_link_an_outsider_and_a_closed_questionnaire_get_a_clear_page(
    client, opened, sent, participants
):
    address = f"{opened.url}questionnaire/"
    forged = client.get(f"{address}?t=bonjour")
    assert forged.status_code == 403
    assert "Ce lien n’est pas valide" in forged.content.decode()

    # A link of another questionnaire does not open this one.
    other = Questionnaire(pk=sent.pk + 1000)
    stolen = client.get(f"{address}?t={questionnaires.token_for(other, participants['lea'].pk)}")
    assert stolen.status_code == 403

    nobody = client.get(address)
    assert nobody.status_code == 403
    assert "ouvrez le lien de votre courriel d’invitation, ou connectez-vous" in (
        nobody.content.decode()
    )

    client.force_login(participants["zoe"])  # commented, but no verified address: not invited
    outsider = client.get(address)
    assert outsider.status_code == 403
    assert "celui-ci n’a pas été invité" in outsider.content.decode()

    Questionnaire.objects.filter(pk=sent.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(participants["lea"])
    closed = client.get(address)
    assert closed.status_code == 410
    assert "Ce questionnaire est clos" in closed.content.decode()


def test_the_results_appear_in_the_synthesis_free_text_for_the_team_only(
    client, opened, sent, participants, editor
):
    listened, clear, understood, again, word = answers_of(sent)
    for person, choice in (("lea", 4), ("anna", 3)):
        questionnaires.questionnaire_answer(
            questionnaire=sent,
            user_pk=participants[person].pk,
            answers={listened.pk: choice, again.pk: 2, word.pk: f"Un mot de {person}"},
        )
    results = questionnaires.results(opened)
    assert (results.invited, results.respondents) == (3, 2)
    assert [(bar.label, bar.value) for bar in results.questions[0].bars] == [
        ("Pas du tout", 0),
        ("Plutôt pas", 0),
        ("Plutôt oui", 1),
        ("Tout à fait", 1),
    ]
    assert results.questions[4].texts == []  # not read unless asked for the team

    html = client.get(f"{opened.url}synthesis/").content.decode()
    assert "2 participants ont répondu, sur 3 invités" in html
    assert "Vous êtes-vous senti·e écouté·e" in html
    assert "Un mot de lea" not in html
    assert "Les réponses libres sont lues par l’équipe seulement." in html

    client.force_login(editor)
    team = client.get(f"{opened.url}synthesis/").content.decode()
    assert "Un mot de lea" in team and "Un mot de anna" in team
    assert "montrées à l’équipe seulement, jamais publiées" in team


def test_without_answers_the_synthesis_says_so(client, opened, sent):
    html = client.get(f"{opened.url}synthesis/").content.decode()
    assert "3 participants ont été invités à répondre ; personne n’a encore répondu." in (
        html.replace("\u202f", " ").replace("\u00a0", " ")
    )


def test_a_consultation_without_participants_invites_nobody_and_says_so(
    client, opened, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_close(iteration=opened, by=editor)
    work()
    assert invitations() == []
    html = client.get(f"{opened.url}synthesis/").content.decode()
    assert "Personne n’a pu être invité à répondre" in html
    assert "Plutôt oui" not in html  # no empty chart


def test_the_results_are_in_the_synthesis_pdf_without_the_free_text(
    client, opened, sent, participants
):
    listened, clear, understood, again, word = answers_of(sent)
    questionnaires.questionnaire_answer(
        questionnaire=sent,
        user_pk=participants["lea"].pk,
        answers={listened.pk: 4, word.pk: "Un mot privé"},
    )
    response = fetch_document(client, f"{opened.url}synthesis/pdf/")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "1 participant a répondu, sur 3 invités." in text
    assert "Vous êtes-vous senti·e écouté·e" in text and "Tout à fait" in text
    assert "Un mot privé" not in text


def test_a_consultation_closed_by_the_clock_sends_it_too(
    opened, participants, django_capture_on_commit_callbacks
):
    later = opened.consultation_ends_at() + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_ended_consultations(now=later) == [opened]
    work()
    assert len(invitations()) == 3
