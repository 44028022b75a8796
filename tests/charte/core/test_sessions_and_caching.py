"""Personal data in transit and at rest in sessions: signed-in pages are never cached by a
shared cache, and a staff session ends after an idle period."""

import time

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def resident(client):
    user = factories.UserFactory(username="lea", pseudonym="Léa")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", ["account_profile", "account_data"])
def test_signed_in_pages_are_private_and_not_stored(client, name):
    resident(client)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_home_page_of_a_signed_in_reader_is_private(client, iteration):
    resident(client)
    response = client.get(iteration.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_pages_are_not_marked_private(client, iteration):
    response = client.get(iteration.url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def staff_session(client, idle_seconds):
    editor = factories.editor()
    client.force_login(editor)
    session = client.session
    session["_staff_last_activity"] = time.time() - idle_seconds
    session.save()
    return editor


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_idle_staff_session_is_signed_out(client, settings, language):
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    staff_session(client, idle_seconds=1801)
    prefix = "/en" if language == "en" else ""
    response = client.get(f"{prefix}/accounts/profile/", follow=True)
    assert "_auth_user_id" not in client.session
    message = {
        "fr": "Vous avez été déconnecté après une période d’inactivité",
        "en": "You were signed out after a period of inactivity",
    }[language]
    assert message in response.content.decode()


def test_an_active_staff_session_stays_signed_in(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    staff_session(client, idle_seconds=600)
    client.get("/accounts/profile/")
    assert "_auth_user_id" in client.session


def test_a_resident_is_not_signed_out_by_the_staff_timeout(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    resident(client)
    session = client.session
    session["_staff_last_activity"] = time.time() - 7200
    session.save()
    client.get(reverse("account_profile"))
    assert "_auth_user_id" in client.session


def test_api_answers_to_a_signed_in_reader_are_private(client, opened, paragraph):
    resident(client)
    response = client.get(f"/api/paragraphs/{paragraph.pk}/comments/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
