"""The demo's adopted charter: the 2024 « Charte de la vie associative », two consulted versions
taken to the council's adoption with the lifecycle's services, a dozen commitments in every
state with dated updates, two indicators, the questionnaires' anonymous answers; in French and
English; written once; reachable from the home page."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from charte.demo.adopted import adopted_charter, demo_adopted, read
from charte.demo.load import DATA, DemoDataError, load_accounts
from charte.demo.seed import accounts_ensure
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    QuestionnaireAnswer,
    QuestionnaireParticipation,
    QuestionnaireResponse,
)
from charte.models import Amendment, CharterIterationPage, Comment, IterationState

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(english, django_capture_on_commit_callbacks):
    accounts_ensure(accounts=load_accounts(), debug=False)
    editor = get_user_model().objects.get(username="editrice")
    # wagtail-localize publishes a translation once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_adopted(editor=editor) is True
    return adopted_charter()


def test_the_charter_is_adopted_through_two_consulted_versions_in_2024(seeded):
    v1, v2 = CharterIterationPage.objects.child_of(seeded).order_by("number")
    assert (v1.state, v2.state) == (IterationState.SUPERSEDED, IterationState.ADOPTED)
    assert v1.opens_at.date() == datetime.date(2024, 2, 5)
    assert v2.frozen_at.year == 2024
    assert v2.adoption.session_date == datetime.date(2024, 10, 14)
    # The first consultation's accepted amendments shape the adopted text; all are answered.
    assert list(Amendment.objects.filter(iteration=v1).values_list("status", flat=True)) == [
        "accepted",
        "accepted",
        "rejected",
    ]
    assert Amendment.objects.filter(iteration=v1, integrated_into=v2).count() == 2
    assert not Amendment.objects.filter(status="submitted").exists()
    assert all(
        a.answered_at.year == 2024 and a.answered_at > a.created_at for a in Amendment.objects.all()
    )
    assert Comment.objects.count() == 3


def test_a_dozen_commitments_in_every_state_with_updates_and_indicators(seeded):
    commitments = Commitment.objects.filter(charter=seeded)
    assert commitments.count() == 12
    assert all(c.is_published for c in commitments)
    assert set(commitments.values_list("status", flat=True)) == set(CommitmentStatus.values)
    for commitment in commitments.filter(status__in=("postponed", "abandoned")):
        assert commitment.status_reason and commitment.status_reason_en
    assert all(c.progress == 100 for c in commitments.filter(status="done"))
    assert commitments.exclude(title_en="").count() >= 5
    updates = CommitmentUpdate.objects.filter(commitment__charter=seeded)
    assert updates.count() >= 15
    assert {update.published_on.year for update in updates} == {2025}
    assert sorted(Indicator.objects.filter(charter=seeded).values_list("title", flat=True)) == [
        "Nombre de conseils de quartier réunis par an",
        "Subventions versées aux associations",
    ]
    assert all(i.values.count() == 3 for i in Indicator.objects.all())


def test_the_questionnaires_hold_anonymous_answers_once_per_account(seeded):
    assert QuestionnaireResponse.objects.count() == 5
    assert QuestionnaireParticipation.objects.filter(answered=True).count() == 5
    assert QuestionnaireAnswer.objects.filter(choice__isnull=False).count() == 20
    assert QuestionnaireAnswer.objects.exclude(text="").count() == 3


def test_its_pages_answer_in_french_and_english(client, seeded):
    v2 = CharterIterationPage.objects.child_of(seeded).get(number=2)
    assert client.get(seeded.url).status_code == 200
    assert client.get(v2.url).status_code == 200
    english = seeded.get_translations().get()
    assert english.live and english.url.startswith("/en/")
    assert english.title == "Charter of community life"
    en_v2 = v2.get_translations().get()
    html = client.get(en_v2.url).content.decode()
    assert "The criteria for awarding grants and the amounts paid" in html


@pytest.mark.parametrize(
    ("address", "section", "link"),
    [
        ("/", "Chartes adoptées", "Suivre ses engagements"),
        ("/en/", "Adopted charters", "Follow its commitments"),
    ],
)
def test_the_home_page_lists_it_with_a_link_to_its_follow_up(
    client, seeded, address, section, link
):
    html = client.get(address).content.decode()
    assert section in html
    page = seeded if address == "/" else seeded.get_translations().get()
    assert f'<a href="{page.url}follow-up/">{link}</a>' in html


def test_it_is_written_once(seeded):
    editor = get_user_model().objects.get(username="editrice")
    before = (Commitment.objects.count(), CharterIterationPage.objects.count())
    assert demo_adopted(editor=editor) is False
    assert (Commitment.objects.count(), CharterIterationPage.objects.count()) == before


def test_a_malformed_file_names_the_key(tmp_path):
    text = (DATA / "associations.toml").read_text()
    (tmp_path / "associations.toml").write_text(
        text.replace('status = "postponed"\nreason = ', 'status = "postponed"\nraison = ', 1)
    )
    with pytest.raises(DemoDataError, match=r"commitments\[2\]"):
        read(tmp_path)
    assert read()["commitments"][2]["status"] == "postponed"
