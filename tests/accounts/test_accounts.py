"""Citizen accounts: sign-up with a verified e-mail and a pseudonym, profile, data, deletion."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()


def signup_data(**overrides):
    data = {
        "email": "lea@example.org",
        "password1": "une phrase de passe solide",
        "password2": "une phrase de passe solide",
        "pseudonym": "Léa du Port",
        "author_type": "association",
        "territory": "Le Port",
        "preferred_language": "fr",
        "accept_rules": "on",
    }
    data.update(overrides)
    return data


def test_signup_asks_for_a_pseudonym_and_verifies_the_email(client):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="lea@example.org")
    assert (user.pseudonym, user.author_type, user.territory) == (
        "Léa du Port",
        "association",
        "Le Port",
    )
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith("https://")  # absolute https links in e-mails

    # Not verified yet: signing in is refused and sends the person to verification.
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "lea@example.org", "password": "une phrase de passe solide"},
    )
    assert "_auth_user_id" not in client.session

    response = client.post(link.split("testserver")[-1].replace("https://", ""), follow=True)
    assert EmailAddress.objects.get(user=user).verified
    # Signed in by the confirmation; the messages name the person by their pseudonym only.
    html = response.content.decode()
    assert "Connexion avec Léa du Port réussie." in html


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("", "required"),
        ("Le Maire", "mistaken for the authority"),
        ("MODÉRATEUR", "mistaken for the authority"),
        ("camille DES tilleuls", "already taken"),
    ],
)
def test_refused_pseudonyms_keep_what_was_typed(client, pseudonym, message, in_english):
    factories.UserFactory(username="camille", pseudonym="Camille des Tilleuls")
    response = client.post(
        reverse("account_signup"),
        signup_data(pseudonym=pseudonym, territory="Quartier du Port"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="lea@example.org"' in html and 'value="Quartier du Port"' in html
    assert not User.objects.filter(email="lea@example.org").exists()


def citizen(client, **fields):
    user = factories.UserFactory(username="lea", email="lea@example.org", **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return user


def test_profile_page_edits_the_pseudonym(client):
    user = citizen(client, pseudonym="Léa")
    response = client.post(
        reverse("account_profile"),
        {
            "pseudonym": "Léa du Port",
            "author_type": "resident",
            "territory": "",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.pseudonym == "Léa du Port" and user.preferred_language == "en"
    assert "Léa du Port" in client.get("/").content.decode()  # shown in the header


def test_download_my_data(client):
    citizen(client, pseudonym="Léa", territory="Le Port")
    response = client.get(reverse("account_data"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["pseudonym"] == "Léa"
    assert data["account"]["email_addresses"] == [
        {"email": "lea@example.org", "verified": True, "primary": True}
    ]
    assert "contributions" in data


def test_delete_my_account_erases_personal_details(client):
    user = citizen(client, pseudonym="Léa", first_name="Léa", last_name="Martin")
    response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active

    response = client.post(reverse("account_delete"), {"password": "correct horse battery staple"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and user.deleted_at is not None
    assert (user.email, user.first_name, user.last_name, user.pseudonym) == ("", "", "", None)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not user.has_usable_password()
    assert str(user.display_name) in ("deleted account", "compte supprimé")
    assert "_auth_user_id" not in client.session
    # The e-mail address can be used again for a new account.
    assert client.post(reverse("account_signup"), signup_data()).status_code == 302


def test_account_pages_need_a_signed_in_user(client, db):
    for name in ("account_profile", "account_data", "account_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
