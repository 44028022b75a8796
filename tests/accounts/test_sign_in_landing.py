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


def test_staff_land_in_the_admin_unless_they_asked_for_a_page(client, charter, editor):
    """Residents keep landing on their account page; a ``next`` is still followed."""
    assert sign_in(client, editor) == reverse("wagtailadmin_home")
    client.logout()
    colleague = factories.editor("colleague")  # a code is used once: another account
    assert sign_in(client, colleague, next_url=charter.url) == charter.url
    client.logout()
    resident = factories.UserFactory(username="resident")
    assert sign_in(client, resident) == reverse("account_profile")
