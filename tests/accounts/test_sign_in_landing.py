"""Where each account lands after signing in: staff in the admin, residents on their page."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client, user, next_url=None):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    data = {"login": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(url, data)
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert response.status_code == 302
    return response["Location"]


def test_a_team_member_lands_in_the_admin(client):
    assert sign_in(client, factories.editor()) == reverse("wagtailadmin_home")


def test_a_team_member_who_asked_for_a_page_lands_on_it(client, charter, editor):
    assert sign_in(client, editor, next_url=charter.url) == charter.url


def test_a_resident_keeps_landing_on_their_account(client):
    resident = factories.UserFactory(username="resident")
    assert sign_in(client, resident) == reverse("account_profile")
