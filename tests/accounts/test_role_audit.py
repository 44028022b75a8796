"""Who may do what is in the audit trail: a change of an account's groups or administrator
flag, and of a group's permissions, made in Wagtail's own user and group editors, is logged
with who made it and when, and read in the « Site history » report."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from charte.core import roles
from tests import factories

pytestmark = pytest.mark.django_db


def role_entries():
    return list(
        ModelLogEntry.objects.filter(action__startswith="charte.roles.").order_by("timestamp")
    )


@pytest.fixture
def root(client):
    user = factories.UserFactory(
        username="root", is_superuser=True, is_staff=True, role=roles.COMMUNICATION_TEAM
    )
    client.force_login(user)
    ModelLogEntry.objects.all().delete()
    return user


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def user_form(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name or "Léa",
        "last_name": user.last_name or "Martin",
        "password1": "",
        "password2": "",
        "is_active": "on",
        "groups": [str(g.pk) for g in user.groups.all()],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_groups_given_and_taken_in_wagtails_user_editor_are_logged(client, root):
    lea = factories.UserFactory(username="lea")
    moderators = Group.objects.get(name=roles.MODERATORS)
    team = Group.objects.get(name=roles.COMMUNICATION_TEAM)

    response = client.post(
        f"/admin/users/edit/{lea.pk}/", user_form(lea, groups=[str(moderators.pk)])
    )
    assert response.status_code == 302
    lea.refresh_from_db()
    response = client.post(
        f"/admin/users/edit/{lea.pk}/",
        user_form(lea, groups=[str(team.pk)], is_superuser="on"),
    )
    assert response.status_code == 302

    entries = role_entries()
    assert [(e.action, e.user, e.object_id) for e in entries] == [
        ("charte.roles.change", root, str(lea.pk)),
        ("charte.roles.change", root, str(lea.pk)),
        ("charte.roles.change", root, str(lea.pk)),
        ("charte.roles.change", root, str(lea.pk)),
    ]
    assert [e.data for e in entries] == [
        {"added": [roles.MODERATORS], "removed": []},
        {"added": [], "removed": [], "administrator": True},
        {"added": [], "removed": [roles.MODERATORS]},
        {"added": [roles.COMMUNICATION_TEAM], "removed": []},
    ]

    prefer(root, "en")
    html = client.get("/admin/reports/site-history/?action=charte.roles.change").content.decode()
    assert "Roles of the account changed (added: Modérateurs)" in html
    assert "Roles of the account changed (made an administrator)" in html


def test_a_permission_given_to_a_group_in_wagtails_group_editor_is_logged(client, root):
    group = Group.objects.create(name="Stagiaires")
    ModelLogEntry.objects.all().delete()
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    data = {"name": "Stagiaires", "permissions": [str(access.pk)]}
    for prefix in ("page", "collection", "document", "image"):
        data.update(
            {
                f"{prefix}_permissions-TOTAL_FORMS": "0",
                f"{prefix}_permissions-INITIAL_FORMS": "0",
                f"{prefix}_permissions-MIN_NUM_FORMS": "0",
                f"{prefix}_permissions-MAX_NUM_FORMS": "1000",
            }
        )
    response = client.post(f"/admin/groups/edit/{group.pk}/", data)
    assert response.status_code == 302

    (entry,) = role_entries()
    assert (entry.action, entry.user, entry.object_id) == (
        "charte.roles.permissions",
        root,
        str(group.pk),
    )
    assert entry.data == {"added": ["wagtailadmin.access_admin"], "removed": []}


def test_the_roles_are_told_in_french_in_the_site_history(client, root):
    lea = factories.UserFactory(username="lea")
    client.post(
        f"/admin/users/edit/{lea.pk}/",
        user_form(lea, groups=[str(Group.objects.get(name=roles.MODERATORS).pk)]),
    )
    prefer(root, "fr")
    html = client.get("/admin/reports/site-history/").content.decode()
    assert "Rôles du compte modifiés (ajouté\u00a0: Modérateurs)" in html
