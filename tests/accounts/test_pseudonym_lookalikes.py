"""Look-alike pseudonyms: NFKC, the TR39 confusables skeleton and invisible characters are
checked before the reserved names and the uniqueness of pseudonyms."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories
from tests.accounts.test_accounts import citizen, signup_data

pytestmark = pytest.mark.django_db

User = get_user_model()


def signup(client, pseudonym):
    response = client.post(reverse("account_signup"), signup_data(pseudonym=pseudonym))
    return response, response.content.decode()


@pytest.mark.parametrize(
    "pseudonym",
    [
        "Le M\u0430ire",  # Cyrillic а
        "L\u0435 Maire",  # Cyrillic е
        "\uff2c\uff45 Maire",  # full-width letters
        "Le Ma\u0131re",  # dotless ı
        "Мodérateur",  # Cyrillic М
    ],
)
def test_a_lookalike_of_a_reserved_name_is_refused(client, pseudonym, in_english):
    response, html = signup(client, pseudonym)
    assert response.status_code == 200
    assert "mistaken for the authority" in html
    assert not User.objects.filter(email="lea@example.org").exists()


def test_a_lookalike_of_a_reserved_name_is_refused_in_french(client):
    response, html = signup(client, "Le M\u0430ire")
    assert "pourrait être confondu avec la collectivité" in html
    assert not User.objects.filter(email="lea@example.org").exists()


@pytest.mark.parametrize(
    "pseudonym",
    [
        "C\u0430mille des Tilleuls",  # Cyrillic а
        "Camille des Ti11euls",  # digits one for l
        "CAMILLE DES TlLLEULS",  # l for I, once case-folded
        "\uff23amille des Tilleuls",  # full-width C
    ],
)
def test_a_lookalike_copy_of_another_pseudonym_is_refused(client, pseudonym, in_english):
    factories.UserFactory(username="camille", pseudonym="Camille des Tilleuls")
    response, html = signup(client, pseudonym)
    assert response.status_code == 200
    assert "already taken" in html
    assert not User.objects.filter(email="lea@example.org").exists()


def test_a_lookalike_copy_is_refused_on_the_profile_too(client):
    factories.UserFactory(username="camille", pseudonym="Camille des Tilleuls")
    user = citizen(client, pseudonym="Léa")
    response = client.post(
        reverse("account_profile"),
        {
            "pseudonym": "C\u0430mille des Tilleuls",
            "author_type": "resident",
            "territory": "",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 200
    assert "Ce pseudonyme est déjà pris" in response.content.decode()
    user.refresh_from_db()
    assert user.pseudonym == "Léa"


@pytest.mark.parametrize(
    "pseudonym",
    [
        "Camille\u200b des Tilleuls",  # zero-width space
        "Léa\u200d du Port",  # zero-width joiner
        "\u202eLéa du Port",  # right-to-left override
        "Léa du Port\u2066",  # left-to-right isolate
        "Léa\u00ad du Port",  # soft hyphen (format character)
    ],
)
def test_invisible_and_direction_characters_are_refused(client, pseudonym, in_english):
    response, html = signup(client, pseudonym)
    assert response.status_code == 200
    assert "invisible or text-direction characters" in html
    assert not User.objects.filter(email="lea@example.org").exists()


def test_invisible_characters_are_refused_in_french(client):
    response, html = signup(client, "L\u200béa du Port")
    assert response.status_code == 200
    assert "caractères invisibles ou de sens d’écriture" in html
    assert not User.objects.filter(email="lea@example.org").exists()


def test_the_pseudonym_is_stored_in_nfkc(client):
    response, _ = signup(client, "\uff2c\u00e9a du Port")  # full-width L, precomposed é
    assert response.status_code == 302
    assert User.objects.get(email="lea@example.org").pseudonym == "Léa du Port"


def test_an_ordinary_accented_pseudonym_is_still_accepted(client):
    factories.UserFactory(username="camille", pseudonym="Camille des Tilleuls")
    response, _ = signup(client, "Élodie des Tilleuls")
    assert response.status_code == 302
    assert User.objects.get(email="lea@example.org").pseudonym == "Élodie des Tilleuls"
