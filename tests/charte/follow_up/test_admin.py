"""The team records the follow-up in Wagtail's admin: commitments under the adopted charter's
articles, their dated updates (told once to their followers), indicators with their values,
the consultations' questionnaires. Others get no menu entry and a 403."""

import datetime

import pytest
from django.core import mail

from charte.core import roles
from charte.discussions.services import follow_start
from charte.follow_up import services as follow_up
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    Questionnaire,
    QuestionnaireResponse,
)
from charte.models import Service
from tests import factories
from tests.charte.follow_up.conftest import resident
from tests.charte.workshops.test_admin import in_english, row_of
from tests.worker import work

pytestmark = pytest.mark.django_db

COMMITMENTS = "/admin/follow-up/commitments/"
UPDATES = "/admin/follow-up/updates/"
INDICATORS = "/admin/follow-up/indicators/"
QUESTIONNAIRES = "/admin/follow-up/questionnaires/"


@pytest.fixture
def team():
    return factories.UserFactory(username="com", role=roles.COMMUNICATION_TEAM)


def text_of(response) -> str:
    return response.content.decode()


def commitment_data(adopted, **overrides):
    charter = adopted.get_parent()
    data = {
        "charter": charter.pk,
        "article_number": f"{charter.pk}:2",
        "title": "Publier le calendrier des conseils de quartier",
        "title_en": "",
        "description": "Chaque janvier, sur le site.",
        "description_en": "",
        "service": "",
        "starts_on": "2027-01-04",
        "due_on": "2027-01-31",
        "status": "planned",
        "status_reason": "",
        "status_reason_en": "",
        "progress": "0",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def update_data(**overrides):
    data = {
        "published_on": "2027-02-01",
        "text": "Le calendrier 2027 est en ligne.",
        "text_en": "The 2027 calendar is online.",
        "status": "",
        "status_reason": "",
        "progress": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


# -- Who ---------------------------------------------------------------------------------------


def test_the_team_finds_the_follow_up_in_its_menu(client, team, adopted):
    client.force_login(team)
    home = text_of(client.get("/admin/"))
    assert "Suivi des engagements" in home
    assert client.get(COMMITMENTS).status_code == 200
    in_english(team)
    assert "Follow-up of commitments" in text_of(client.get("/admin/"))


@pytest.mark.parametrize("role", [roles.FACILITATORS, roles.MODERATORS])
def test_others_have_no_menu_entry_and_a_403(client, commitment, role):
    client.force_login(factories.UserFactory(username="autre", role=role))
    assert "Suivi des engagements" not in text_of(client.get("/admin/"))
    addresses = (
        COMMITMENTS,
        COMMITMENTS + "new/",
        f"{COMMITMENTS}edit/{commitment.pk}/",
        f"{COMMITMENTS}delete/{commitment.pk}/",
        f"{UPDATES}new/?commitment={commitment.pk}",
        INDICATORS,
        QUESTIONNAIRES,
    )
    for address in addresses:
        assert client.get(address).status_code == 403, address
    response = client.post(COMMITMENTS + "new/", commitment_data(commitment.iteration))
    assert response.status_code == 403
    assert "l’équipe communication" in text_of(response)
    assert Commitment.objects.count() == 1


def test_council_members_and_residents_have_no_admin_at_all(client, commitment):
    """Without the admin at all, they are sent to their profile, as everywhere in it."""
    for user in (
        factories.UserFactory(username="elu", role=roles.COUNCIL_MEMBERS),
        resident("lea"),
    ):
        client.force_login(user)
        for address in (COMMITMENTS, f"{UPDATES}new/?commitment={commitment.pk}"):
            response = client.get(address)
            assert (response.status_code, response["Location"]) == (302, "/accounts/profile/")
        client.post(COMMITMENTS + "new/", commitment_data(commitment.iteration))
        assert Commitment.objects.count() == 1


# -- Commitments -------------------------------------------------------------------------------


def test_the_team_records_a_commitment_on_the_adopted_version(client, team, adopted):
    Service.objects.create(name="Démocratie locale")
    client.force_login(team)
    form = text_of(client.get(COMMITMENTS + "new/"))
    charter = adopted.get_parent()
    # The articles of the adopted version, grouped by charter, without JavaScript.
    assert '<select name="charter"' in form  # no page chooser: no JavaScript needed
    assert f'<optgroup label="{charter.title}">' in form
    assert f'value="{charter.pk}:1"' in form and f'value="{charter.pk}:2"' in form
    assert "Art. 2 – " in form
    response = client.post(COMMITMENTS + "new/", commitment_data(adopted))
    assert response.status_code == 302, text_of(response)[:3000]
    commitment = Commitment.objects.get()
    assert (commitment.number, commitment.article_number, commitment.iteration_id) == (
        1,
        2,
        adopted.pk,
    )
    assert commitment.created_by == team and commitment.is_published
    assert response["Location"] == f"{COMMITMENTS}edit/{commitment.pk}/"
    page = text_of(client.get(response["Location"]))
    assert "Publier un point d’étape" in page
    assert f'value="{charter.pk}:2" selected' in page
    response = client.post(
        f"{COMMITMENTS}edit/{commitment.pk}/",
        commitment_data(adopted, status="in_progress", progress="30", charter=""),
    )
    assert response.status_code == 302, text_of(response)[:3000]
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress, commitment.charter_id) == (
        "in_progress",
        30,
        charter.pk,
    )


def test_a_charter_without_adopted_version_is_not_offered(client, team, opened):
    client.force_login(team)
    form = text_of(client.get(COMMITMENTS + "new/"))
    assert "Aucune charte n’a encore de version adoptée" in form
    charter = opened.get_parent()
    response = client.post(
        COMMITMENTS + "new/", commitment_data(opened, article_number=f"{charter.pk}:1")
    )
    assert response.status_code == 200
    assert not Commitment.objects.exists()
    assert "Publier le calendrier des conseils de quartier" in text_of(response)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"status": "abandoned"},
            "status_reason",
            "Dites publiquement pourquoi il est reporté ou abandonné.",
        ),
        (
            {"starts_on": "2027-03-01", "due_on": "2027-02-01"},
            "due_on",
            "L’échéance vient après le début.",
        ),
        ({"article_number": "999:1"}, "article_number", "Choisissez un des articles"),
        ({"progress": "120"}, "progress", "100"),
    ],
)
def test_each_refusal_keeps_the_typed_text_and_says_why(
    client, team, adopted, overrides, field, message
):
    client.force_login(team)
    response = client.post(COMMITMENTS + "new/", commitment_data(adopted, **overrides))
    html = text_of(response)
    assert response.status_code == 200
    assert not Commitment.objects.exists()
    assert message in html
    assert "Publier le calendrier des conseils de quartier" in html  # what was typed is kept
    assert "Chaque janvier, sur le site." in html
    # The error summary at the top links to the field at fault.
    assert f'href="#id_{field}"' in html


def test_an_article_of_another_charter_is_refused(client, team, adopted, editor):
    other = factories.make_charter(title="Autre charte", slug="autre")
    client.force_login(team)
    response = client.post(
        COMMITMENTS + "new/", commitment_data(adopted, article_number=f"{other.pk}:1")
    )
    assert response.status_code == 200
    assert not Commitment.objects.exists()


def test_the_english_admin_speaks_english(client, team, adopted):
    in_english(team)
    client.force_login(team)
    form = text_of(client.get(COMMITMENTS + "new/"))
    assert "Where it stands" in form and "What the authority commits to" in form
    response = client.post(COMMITMENTS + "new/", commitment_data(adopted, status="postponed"))
    assert "Say publicly why it is postponed or abandoned." in text_of(response)


def test_a_commitment_with_updates_is_not_deleted(client, team, commitment, adopted, editor):
    follow_up.update_publish(commitment=commitment, text="Lancé.", by=editor)
    client.force_login(team)
    for method in (client.get, client.post):
        response = method(f"{COMMITMENTS}delete/{commitment.pk}/", follow=True)
        assert response.status_code == 200
        assert "ne peut pas être supprimé" in text_of(response)
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    mistake = follow_up.commitment_create(
        charter=adopted.get_parent(),
        article_number=1,
        title="En double",
        description="…",
        by=editor,
    )
    follow_start(target=mistake, by=resident("lea")) if mistake.is_published else None
    assert client.post(f"{COMMITMENTS}delete/{mistake.pk}/").status_code == 302
    assert not Commitment.objects.filter(pk=mistake.pk).exists()


def test_the_listing_filters_and_shows_where_each_stands(client, team, commitment, adopted, editor):
    late = follow_up.commitment_create(
        charter=adopted.get_parent(),
        article_number=2,
        title="Ouvrir une maison des associations",
        description="…",
        status=CommitmentStatus.IN_PROGRESS,
        progress=60,
        due_on=datetime.date(2020, 1, 1),
        by=editor,
    )
    client.force_login(team)
    html = text_of(client.get(COMMITMENTS))
    row = row_of(html, late.title)
    assert "Art. 2" in row and "En cours" in row and "60 %" in row and "En retard" in row
    assert f"{UPDATES}new/?commitment={late.pk}" in html
    assert "En retard" not in row_of(html, commitment.title)
    only_late = text_of(client.get(COMMITMENTS + "?status=in_progress"))
    assert late.title in only_late and commitment.title not in only_late
    article_1 = text_of(client.get(COMMITMENTS + "?article_number=1"))
    assert commitment.title in article_1 and late.title not in article_1
    unpublished = text_of(client.get(COMMITMENTS + "?is_published=false"))
    assert late.title in unpublished and commitment.title not in unpublished
    found = text_of(client.get(COMMITMENTS + "?q=maison"))
    assert late.title in found and commitment.title not in found


def test_the_listing_has_no_query_per_commitment(
    client, team, adopted, editor, django_assert_max_num_queries
):
    charter = adopted.get_parent().specific
    service = Service.objects.create(name="Vie associative")
    Commitment.objects.bulk_create(
        Commitment(
            charter=charter,
            iteration=adopted,
            number=n,
            article_number=1 + n % 2,
            title=f"Engagement {n}",
            description="…",
            service=service,
            due_on=datetime.date(2020, 1, 1),
        )
        for n in range(1, 301)
    )
    client.force_login(team)
    client.get(COMMITMENTS)  # warm the session and the caches
    with django_assert_max_num_queries(30):
        response = client.get(COMMITMENTS + "?p=2")
    assert response.status_code == 200
    assert text_of(response).count("En retard") >= 50


# -- Updates -----------------------------------------------------------------------------------


def test_the_team_publishes_an_update_that_followers_get_once(
    client, team, commitment, django_capture_on_commit_callbacks
):
    lea = resident("lea")
    follow_start(target=commitment, by=lea)
    client.force_login(team)
    add = f"{UPDATES}new/?commitment={commitment.pk}"
    form = text_of(client.get(add))
    assert "1 personne qui suit l’engagement" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, update_data(status="in_progress", progress="40"))
    assert response.status_code == 302, text_of(response)[:3000]
    assert response["Location"] == f"{COMMITMENTS}edit/{commitment.pk}/"
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("in_progress", 40)
    work()
    assert [m.to for m in mail.outbox] == [[lea.email]]
    assert "Le calendrier 2027 est en ligne." in mail.outbox[0].body
    update = CommitmentUpdate.objects.get()
    page = text_of(client.get(f"{COMMITMENTS}edit/{commitment.pk}/"))
    assert f"{UPDATES}edit/{update.pk}/" in page and f"{UPDATES}delete/{update.pk}/" in page
    # A correction: the text changes, nobody is e-mailed again.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{UPDATES}edit/{update.pk}/",
            update_data(text="Le calendrier 2027 est en ligne (corrigé).", progress="40"),
        )
    assert response.status_code == 302, text_of(response)[:3000]
    work()
    update.refresh_from_db()
    assert update.text.endswith("(corrigé).")
    assert len(mail.outbox) == 1
    # Correcting the latest update's progress moves the commitment, and still tells nobody.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{UPDATES}edit/{update.pk}/", update_data(progress="60"))
    assert response.status_code == 302, text_of(response)[:3000]
    work()
    commitment.refresh_from_db()
    assert (commitment.progress, len(mail.outbox)) == (60, 1)
    # Deleting it: back to the commitment, whose timeline is empty again.
    response = client.post(f"{UPDATES}delete/{update.pk}/")
    assert response["Location"] == f"{COMMITMENTS}edit/{commitment.pk}/"
    assert not CommitmentUpdate.objects.exists()
    assert "Aucun point d’étape pour l’instant." in text_of(client.get(response["Location"]))


def test_an_update_that_abandons_needs_its_reason(client, team, commitment):
    client.force_login(team)
    add = f"{UPDATES}new/?commitment={commitment.pk}"
    response = client.post(add, update_data(status="abandoned"))
    html = text_of(response)
    assert response.status_code == 200
    assert "Dites publiquement pourquoi il est reporté ou abandonné." in html
    assert "Le calendrier 2027 est en ligne." in html
    assert not CommitmentUpdate.objects.exists()
    response = client.post(
        add, update_data(status="abandoned", status_reason="Le budget a été réaffecté.")
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.status_reason) == (
        "abandoned",
        "Le budget a été réaffecté.",
    )


def test_an_update_with_a_photo_needs_its_caption(client, team, commitment):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Réunion", file=get_test_image_file())
    client.force_login(team)
    photo = {
        "images-TOTAL_FORMS": "1",
        "images-0-image": str(image.pk),
        "images-0-caption": "",
        "images-0-id": "",
        "images-0-ORDER": "1",
        "images-0-DELETE": "",
    }
    add = f"{UPDATES}new/?commitment={commitment.pk}"
    response = client.post(add, update_data(**photo))
    assert response.status_code == 200
    assert "Décrivez la photo" in text_of(response)
    photo["images-0-caption"] = "Le conseil de quartier du Port réuni"
    response = client.post(add, update_data(**photo))
    assert response.status_code == 302, text_of(response)[:3000]
    assert CommitmentUpdate.objects.get().images.get().caption.endswith("du Port réuni")


def test_an_update_without_its_commitment_is_a_404(client, team, adopted):
    client.force_login(team)
    assert client.get(UPDATES + "new/").status_code == 404
    assert client.get(UPDATES + "new/?commitment=abc").status_code == 404


# -- Indicators --------------------------------------------------------------------------------


def indicator_data(charter, **overrides):
    data = {
        "charter": charter.pk,
        "commitment": "",
        "title": "Conseils de quartier réunis par an",
        "title_en": "Neighbourhood councils held per year",
        "unit": "réunions",
        "unit_en": "meetings",
        "target": "24",
        "target_on": "2028-12-31",
        "is_published": "on",
        "values-TOTAL_FORMS": "2",
        "values-INITIAL_FORMS": "0",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-measured_on": "2026-12-31",
        "values-0-value": "9",
        "values-0-note": "",
        "values-0-id": "",
        "values-0-ORDER": "1",
        "values-0-DELETE": "",
        "values-1-measured_on": "2027-12-31",
        "values-1-value": "17",
        "values-1-note": "Deux quartiers de plus.",
        "values-1-id": "",
        "values-1-ORDER": "2",
        "values-1-DELETE": "",
    }
    data.update(overrides)
    return data


def test_the_team_records_an_indicator_with_its_values(client, team, commitment):
    charter = commitment.charter
    client.force_login(team)
    response = client.post(
        INDICATORS + "new/", indicator_data(charter, commitment=str(commitment.pk))
    )
    assert response.status_code == 302, text_of(response)[:3000]
    indicator = Indicator.objects.get()
    assert indicator.commitment == commitment
    assert [(str(v.measured_on), int(v.value)) for v in indicator.values.all()] == [
        ("2026-12-31", 9),
        ("2027-12-31", 17),
    ]
    listing = text_of(client.get(f"{INDICATORS}?charter={charter.pk}"))
    assert "Conseils de quartier réunis par an" in listing


def test_an_indicator_measures_a_commitment_of_its_own_charter(client, team, commitment):
    other = factories.make_charter(title="Autre charte", slug="autre")
    client.force_login(team)
    response = client.post(
        INDICATORS + "new/", indicator_data(other, commitment=str(commitment.pk))
    )
    assert response.status_code == 200
    assert "Choisissez un engagement de la charte de cet indicateur" in text_of(response)
    assert not Indicator.objects.exists()


# -- Questionnaires ----------------------------------------------------------------------------


def questions_data(questionnaire, count, **overrides):
    questions = list(questionnaire.questions.all())
    data = {
        "is_enabled": "on",
        "introduction": "Dix secondes pour nous dire.",
        "introduction_en": "",
        "closes_at": "",
        "questions-TOTAL_FORMS": str(count),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for n in range(count):
        question = questions[n] if n < len(questions) else None
        data.update(
            {
                f"questions-{n}-id": str(question.pk) if question else "",
                f"questions-{n}-text": question.text if question else f"Question {n}",
                f"questions-{n}-text_en": "",
                f"questions-{n}-kind": "scale",
                f"questions-{n}-ORDER": str(n + 1),
                f"questions-{n}-DELETE": "",
            }
        )
    data.update(overrides)
    return data


def test_the_team_creates_a_questionnaire_with_the_default_questions(client, team, adopted):
    client.force_login(team)
    form = text_of(client.get(QUESTIONNAIRES + "new/"))
    assert adopted.title in form
    response = client.post(QUESTIONNAIRES + "new/", {"iteration": adopted.pk})
    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{QUESTIONNAIRES}edit/{questionnaire.pk}/"
    assert questionnaire.questions.count() == 5
    page = text_of(client.get(response["Location"]))
    assert "Vous êtes-vous senti·e écouté·e" in page
    assert "0 réponse" in page


def test_six_questions_are_refused_and_none_too(client, team, adopted):
    questionnaire = follow_up.questionnaire_for(adopted)
    client.force_login(team)
    edit = f"{QUESTIONNAIRES}edit/{questionnaire.pk}/"
    response = client.post(edit, questions_data(questionnaire, 6))
    assert response.status_code == 200
    assert "5 questions au plus" in text_of(response)
    assert "Question 5" in text_of(response)  # what was typed is kept
    assert questionnaire.questions.count() == 5
    everything_deleted = questions_data(
        questionnaire, 5, **{f"questions-{n}-DELETE": "on" for n in range(5)}
    )
    response = client.post(edit, everything_deleted)
    assert response.status_code == 200
    assert "au moins une question" in text_of(response)
    assert questionnaire.questions.count() == 5
    response = client.post(
        edit, questions_data(questionnaire, 5, **{"questions-4-text": "Un dernier mot ?"})
    )
    assert response.status_code == 302, text_of(response)[:3000]
    assert questionnaire.questions.order_by("sort_order").last().text == "Un dernier mot ?"


def test_a_sent_questionnaires_questions_stay(client, team, adopted):
    from django.utils import timezone

    questionnaire = follow_up.questionnaire_for(adopted)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(sent_at=timezone.now())
    QuestionnaireResponse.objects.create(questionnaire=questionnaire)
    client.force_login(team)
    edit = f"{QUESTIONNAIRES}edit/{questionnaire.pk}/"
    page = text_of(client.get(edit))
    assert "ne peuvent plus être modifiées" in page
    assert "1 réponse" in page
    assert 'name="questions-TOTAL_FORMS"' not in page
    data = questions_data(questionnaire, 5, **{"questions-0-text": "Changée ?"})
    response = client.post(edit, data)
    assert response.status_code == 302, text_of(response)[:3000]
    assert not questionnaire.questions.filter(text="Changée ?").exists()
    questionnaire.refresh_from_db()
    assert questionnaire.introduction == "Dix secondes pour nous dire."


def test_a_versions_questionnaire_opens_from_its_address(client, team, adopted):
    client.force_login(team)
    response = client.get(f"{QUESTIONNAIRES}version/{adopted.pk}/")
    questionnaire = Questionnaire.objects.get(iteration=adopted)
    assert response["Location"] == f"{QUESTIONNAIRES}edit/{questionnaire.pk}/"
    client.get(f"{QUESTIONNAIRES}version/{adopted.pk}/")
    assert Questionnaire.objects.count() == 1


# -- Done when ---------------------------------------------------------------------------------


def test_the_team_records_commitments_and_updates_from_the_admin(
    client, team, adopted, django_capture_on_commit_callbacks
):
    """The issue's « done when »: after adoption, the team records a commitment and its update
    from the admin; a resident following it gets the update by e-mail."""
    client.force_login(team)
    response = client.post(COMMITMENTS + "new/", commitment_data(adopted))
    commitment = Commitment.objects.get()
    lea = resident("lea")
    follow_start(target=commitment, by=lea)
    edit = text_of(client.get(response["Location"]))
    assert "1 personne suit cet engagement" in edit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"{UPDATES}new/?commitment={commitment.pk}",
            update_data(status="done"),
        )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("done", 100)
    work()
    assert [m.to for m in mail.outbox] == [[lea.email]]
    assert "Le calendrier 2027 est en ligne." in text_of(client.get(response["Location"]))


def test_the_adopted_version_links_to_its_commitments_and_questionnaire(client, team, adopted):
    charter = adopted.get_parent()
    client.force_login(team)
    page = text_of(client.get(f"/admin/pages/{adopted.pk}/edit/"))
    assert "Engagements de cette charte" in page
    assert f"{COMMITMENTS}?charter={charter.pk}" in page
    assert f"{QUESTIONNAIRES}version/{adopted.pk}/" in page
    response = client.get(f"{COMMITMENTS}?charter={charter.pk}")
    assert response.status_code == 200
    assert f'<option value="{charter.pk}" selected>' in text_of(response)


def test_the_update_screen_in_english_says_who_is_told(client, team, commitment, editor):
    follow_start(target=commitment, by=resident("anna", "en"))
    follow_start(target=commitment, by=resident("lea"))
    follow_up.update_publish(commitment=commitment, text="Lancé.", by=editor)
    in_english(team)
    client.force_login(team)
    form = text_of(client.get(f"{UPDATES}new/?commitment={commitment.pk}"))
    assert "this update is e-mailed to 2 people who follow the commitment" in form
    update = CommitmentUpdate.objects.get()
    correction = text_of(client.get(f"{UPDATES}edit/{update.pk}/"))
    assert "Correcting this update e-mails nobody again." in correction
    page = text_of(client.get(f"{COMMITMENTS}edit/{commitment.pk}/"))
    assert "2 people follow this commitment" in page and "Timeline of updates" in page


def test_the_indicators_listing_has_no_query_per_indicator(
    client, team, commitment, django_assert_max_num_queries
):
    Indicator.objects.bulk_create(
        Indicator(charter=commitment.charter, commitment=commitment, title=f"Mesure {n}", target=n)
        for n in range(200)
    )
    client.force_login(team)
    client.get(INDICATORS)
    with django_assert_max_num_queries(25):
        response = client.get(INDICATORS)
    assert text_of(response).count("Réunir chaque conseil de quartier") >= 50
