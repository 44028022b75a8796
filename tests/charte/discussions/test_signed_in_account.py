"""The signed-in account is read with its role and whether its address is verified, in one
query, and read again at each request: a permission granted, an address confirmed or an
account deactivated during a session counts from the next page on."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charte.models import Comment
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db


def account_reads(captured):
    """The statements whose main table is the accounts' or the addresses'."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(('SELECT "charte_user"', 'SELECT 1 AS "a" FROM "charte_user"'))
        or 'FROM "account_emailaddress"' in q["sql"].split(" WHERE ")[0]
    ]


def test_a_page_read_by_a_resident_reads_their_account_once(client, opened, paragraph):
    client.force_login(make_citizen())
    client.get(url(opened, paragraph))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(opened, paragraph))
    assert response.status_code == 200
    # The comment form is offered: the address was found verified, without asking again.
    assert 'name="comment"' in response.content.decode()
    assert len(account_reads(captured)) == 1


def test_a_permission_granted_during_a_session_asks_the_second_factor_on_the_next_page(client):
    user = make_citizen()
    client.force_login(user)
    assert client.get("/").status_code == 200
    group = Group.objects.create(name="Relecture")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_address_confirmed_during_a_session_lets_its_owner_comment_at_once(
    client, opened, paragraph
):
    user = make_citizen(verified=False)
    client.force_login(user)
    refused = client.post(url(opened, paragraph, "comment/"), {"comment": "Mon avis"})
    assert refused.status_code == 403
    assert "Confirmez votre adresse électronique pour commenter." in refused.content.decode()
    assert not Comment.objects.exists()
    EmailAddress.objects.filter(user=user).update(verified=True)
    response = client.post(url(opened, paragraph, "comment/"), {"comment": "Mon avis"})
    assert response.status_code == 302
    assert Comment.objects.get().comment == "Mon avis"


def test_an_account_deactivated_during_a_session_is_signed_out(client):
    user = factories.UserFactory(username="lea")
    client.force_login(user)
    assert client.get(reverse("account_profile")).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    "former",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_opened_before_the_upgrade_stays_signed_in(client, former):
    """The upgrade moves the open sessions to the site's backends (migration 0034): nobody is
    signed out by it, and going back restores the former paths."""
    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = make_citizen()
    client.force_login(user)
    session = SessionStore(session_key=client.cookies["sessionid"].value)
    session[BACKEND_SESSION_KEY] = former
    session.save()
    # With the former path, Django would sign the session out.
    assert client.get(reverse("account_profile")).status_code == 302
    session = SessionStore(session_key=client.cookies["sessionid"].value)
    session[BACKEND_SESSION_KEY] = former
    session.save()
    migration = importlib.import_module("charte.migrations.0034_session_backends")
    migration.forwards(apps, None)
    response = client.get(reverse("account_profile"))
    assert response.status_code == 200
    assert response.context["user"].pk == user.pk
    migration.backwards(apps, None)
    assert SessionStore(session_key=client.cookies["sessionid"].value)[BACKEND_SESSION_KEY] == (
        former
    )
