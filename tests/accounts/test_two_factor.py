"""Staff accounts (editors, moderators, council members) must use two-factor authentication."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from charte.core import roles
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", roles.ROLES)
def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, role):
    user = factories.UserFactory(username="staff", role=role, role__without_2fa=True)
    client.force_login(user)
    for url in ("/admin/", "/", "/en/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # The set-up page first asks for the password again (allauth: a session opened long ago).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert "/accounts/reauthenticate/?next=" in response["Location"]


def test_citizens_are_not_asked_for_a_second_factor(client):
    client.force_login(factories.UserFactory(username="citizen"))
    assert client.get("/").status_code == 200


def test_admin_sign_in_goes_through_the_site_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/" in response["Location"]


def test_editor_signs_in_with_password_then_code(client):
    editor = factories.editor()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"),
        {"login": editor.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert client.get("/admin/").status_code == 200


def signed_in_with(client, code):
    editor = factories.editor()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    client.post(
        reverse("account_login"),
        {"login": editor.email, "password": "correct horse battery staple"},
    )
    client.post(reverse("mfa_authenticate"), {"code": code})
    return client.session.get("_auth_user_id") == str(editor.pk)


def test_the_code_of_the_previous_step_is_accepted(client):
    """A code typed just as the phone shows the next one, or from a phone whose clock is a
    little behind."""
    assert signed_in_with(client, factories.totp_code(steps_ago=1))


def test_an_older_code_is_refused(client):
    assert not signed_in_with(client, factories.totp_code(steps_ago=2))
