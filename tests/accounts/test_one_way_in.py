"""One way in: every sign-in goes through the site's own (verified e-mail, rate limits, second
factor); staff confirm every session with their second factor, whichever permission makes them
staff; a resident who opens the admin is told why, once, instead of going round in circles."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from charte.core import roles
from charte.texts import services
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def citizen(verified=True):
    user = factories.UserFactory(username="lea")
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def staff_editor():
    user = factories.editor()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("who", ["editor", "verified citizen", "unverified citizen"])
def test_a_password_posted_to_wagtails_own_sign_in_signs_nobody_in(client, prefix, who):
    user = {
        "editor": staff_editor,
        "verified citizen": lambda: citizen(verified=True),
        "unverified citizen": lambda: citizen(verified=False),
    }[who]()
    for login in (user.username, user.email):
        response = client.post(
            f"{prefix}/_util/login/?next=/", {"username": login, "password": PASSWORD}
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code == 302
        assert response["Location"].startswith(f"{prefix}/accounts/login/")
        assert "next=/" in response["Location"]


def test_a_restricted_page_sends_to_the_sites_sign_in(client, iteration):
    PageViewRestriction.objects.create(page=iteration, restriction_type="login")
    response = client.get(iteration.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={iteration.url}" in response["Location"]


def test_an_unverified_account_is_not_signed_in_by_the_sites_sign_in(client):
    user = citizen(verified=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def reauthentication_step(response, next_url):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert "next=" + next_url.replace("/", "%2F") in response["Location"]


@pytest.mark.password_only
def test_a_staff_session_without_its_second_factor_is_sent_to_it(client):
    editor = staff_editor()
    client.force_login(editor)  # a session opened by the password alone
    for url in ("/admin/", "/admin/pages/", "/"):
        reauthentication_step(client.get(url), url)
    response = client.get(reverse("mfa_reauthenticate") + "?next=/admin/")
    assert response.status_code == 200
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/", {"code": factories.totp_code()}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.password_only
def test_the_council_review_needs_the_second_factor_of_this_session(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    review_url = f"{iteration.get_parent().url}review/"
    member = factories.UserFactory(username="sophie", role=roles.COUNCIL_MEMBERS)
    client.force_login(member)
    reauthentication_step(client.get(review_url), review_url)
    assert "Council" not in client.get(review_url).content.decode()
    client.post(reverse("mfa_reauthenticate"), {"code": factories.totp_code()})
    assert client.get(review_url).status_code == 200


@pytest.mark.password_only
def test_a_wrong_code_does_not_let_a_staff_session_in(client):
    client.force_login(staff_editor())
    client.post(reverse("mfa_reauthenticate"), {"code": "000000"})
    reauthentication_step(client.get("/admin/"), "/admin/")


@pytest.mark.password_only
@pytest.mark.parametrize(
    "perm",
    [
        ("wagtailadmin", "access_admin"),
        ("wagtail_localize", "submit_translation"),
    ],
)
def test_any_group_with_a_permission_needs_the_second_factor(client, perm):
    """A group made in the admin, under any name, holding a single permission."""
    group = Group.objects.create(name="Stagiaires")
    group.permissions.add(Permission.objects.get(content_type__app_label=perm[0], codename=perm[1]))
    user = factories.UserFactory(username="stagiaire")
    user.groups.add(group)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))

    TOTP.activate(user, factories.TOTP_SECRET)
    reauthentication_step(client.get("/"), "/")
    client.post(reverse("mfa_reauthenticate"), {"code": factories.totp_code()})
    assert client.get("/").status_code == 200


def test_a_resident_who_opens_the_admin_is_told_why_once(client):
    client.force_login(citizen())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_profile")
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "Vous n’avez pas accès à l’administration." in response.content.decode()


def test_a_resident_who_opens_the_english_admin_reads_why_in_english(client, in_english):
    client.force_login(citizen())
    client.cookies["django_language"] = "en"
    response = client.get("/admin/pages/", follow=True)
    assert len(response.redirect_chain) == 1
    assert response.status_code == 200
    assert "You do not have access to the administration." in response.content.decode()


@pytest.mark.password_only
# allauth announces the new authenticator once the transaction commits
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_staff_who_just_enrolled_their_second_factor_are_not_asked_for_it_again(client):
    """Setting up the authenticator app means typing a code from it: that is this session's
    second factor; the new editor goes straight on to where they were going."""
    editor = factories.UserFactory(
        username="nouvelle", role=roles.COMMUNICATION_TEAM, role__without_2fa=True
    )
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": editor.email, "password": PASSWORD}, follow=False
    )
    assert client.session["_auth_user_id"] == str(editor.pk)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    activate_url = response["Location"]
    assert client.get(activate_url).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(activate_url, {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "mfa_reauthenticate" not in response.get("Location", "")


@pytest.mark.parametrize("login", ["username", "email"])
def test_a_password_posted_to_the_admins_sign_in_signs_nobody_in(client, login):
    editor = staff_editor()
    response = client.post(
        "/admin/login/?next=/admin/pages/",
        {"username": getattr(editor, login), "password": PASSWORD},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"


def test_the_admins_forgotten_password_is_the_sites(client, mailoutbox):
    """Wagtail's own reset form had no limit and its e-mail, holding the link, was kept: its
    addresses lead to the site's reset (in French, like every address outside /en/), and
    posting to them sends nothing."""
    reset = "/accounts/password/reset/"
    editor = staff_editor()
    for url in ("/admin/password_reset/", "/admin/password_reset/confirm/MQ/abc-123/"):
        response = client.post(url, {"email": editor.email})
        assert response.status_code == 302
        assert response["Location"] == reset
    assert DBTaskResult.objects.count() == 0
    assert mailoutbox == []
    assert client.get(reset).status_code == 200


def test_staff_change_their_address_on_the_site_where_it_is_verified(client):
    """The admin's account settings no longer edit the e-mail (an address changed there was
    never verified, and signing in by it failed): staff change it on the site."""
    editor = staff_editor()
    client.force_login(editor)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="name_email-email"' not in page.content.decode()
    client.post("/admin/account/", {"name_email-email": "autre@example.org"})
    editor.refresh_from_db()
    assert editor.email != "autre@example.org"
