"""Abilities come from permissions that Wagtail's group editor grants, not from group names: a
group created in the editor with a permission gives its members that ability, a group without
it does not; the existing groups keep exactly what their name gave them."""

import importlib
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from charte.amendments.services import amendment_propose
from charte.core import roles, rules
from charte.models import Amendment, Argument
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

GROUP_ADD = "wagtailusers_groups:add"
INBOX = "/admin/amendments/"
LABELS = {
    "answer_amendment": "Peut répondre aux amendements",
    "validate_answer": "Peut valider et publier les réponses aux amendements",
    "moderate_contribution": "Peut modérer les commentaires et les arguments",
    "review_text": "Peut ouvrir l’espace de relecture du conseil",
    "enter_workshop_contribution": "Peut saisir ce qui s’est dit en atelier",
}


def permission(perm):
    app_label, codename = perm.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def with_second_factor(user):
    TOTP.activate(user, factories.TOTP_SECRET)
    return user


@pytest.fixture
def administrator(db):
    return with_second_factor(factories.UserFactory(username="admin", is_superuser=True))


def group_from_the_editor(client, administrator, name, perms):
    """Create a group the way an administrator does: Wagtail's group editor, boxes ticked."""
    client.force_login(administrator)
    form = client.get(reverse(GROUP_ADD)).content.decode()
    data = dict(
        re.findall(
            r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*?value="(\d+)"', form
        )
    )
    data.update(name=name, permissions=[permission(perm).pk for perm in perms])
    response = client.post(reverse(GROUP_ADD), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Group.objects.get(name=name)


def member_of(group, username):
    user = with_second_factor(factories.UserFactory(username=username))
    user.groups.add(group)
    return user


def test_the_group_editor_offers_each_ability_in_french(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse(GROUP_ADD)).content.decode()
    for perm in rules.GRANTABLE:
        assert f'value="{permission(perm).pk}"' in html, perm
        assert LABELS[perm.split(".")[1]] in html, perm


def test_the_existing_groups_hold_what_their_name_gave_them():
    expected = {
        roles.COMMUNICATION_TEAM: set(rules.GRANTABLE),
        roles.MODERATORS: {rules.MODERATE_CONTRIBUTION},
        roles.COUNCIL_MEMBERS: {rules.REVIEW_TEXT},
        roles.FACILITATORS: {rules.ENTER_WORKSHOP_CONTRIBUTION},
    }
    for name, perms in expected.items():
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.all()
        }
        assert held & set(rules.GRANTABLE) == perms, name


def test_the_migration_takes_back_exactly_what_it_granted():
    migration = importlib.import_module("charte.migrations.0014_permissions")
    # Migrating back goes through the French names' migration first, which gives the groups
    # their English names again.
    french_names = importlib.import_module("charte.migrations.0021_french_role_names")
    team = Group.objects.get(name=roles.COMMUNICATION_TEAM)
    access_admin = permission(rules.ACCESS_ADMIN)
    validation = importlib.import_module("charte.migrations.0024_answering_at_scale")
    validation.revoke(apps, None)  # migrating back undoes the later grant first
    french_names.to_english(apps, None)
    migration.revoke(apps, None)
    for name in migration.GRANTS:
        held = Group.objects.get(name=name).permissions.filter(
            content_type__app_label="charte", codename__in=migration.PERMISSIONS
        )
        assert not held.exists(), name
    assert access_admin in team.permissions.all()
    migration.grant(apps, None)
    french_names.to_french(apps, None)
    validation.grant(apps, None)
    test_the_existing_groups_hold_what_their_name_gave_them()


@pytest.fixture
def waiting(opened, paragraph):
    return amendment_propose(paragraph=paragraph, by=make_citizen(), kind="delete", rationale="R")


def test_a_new_group_that_may_answer_answers_in_the_inbox(client, administrator, waiting):
    answering = group_from_the_editor(
        client, administrator, "Service juridique", [rules.ACCESS_ADMIN, rules.ANSWER_AMENDMENT]
    )
    lawyer = member_of(answering, "juriste")
    policy = rules.GrantedPermissionPolicy(
        Amendment, permission=rules.ANSWER_AMENDMENT, actions=("change", "view")
    )
    assert lawyer in policy.users_with_any_permission(["change"])
    client.force_login(lawyer)
    assert client.get(INBOX).status_code == 200
    response = client.post(
        f"{INBOX}edit/{waiting.pk}/", {"status": "rejected", "response": "Déjà prévu."}
    )
    assert response.status_code == 302
    # Without the permission to validate, the answer is a draft awaiting validation.
    answered = Amendment.objects.get(pk=waiting.pk)
    assert (answered.status, answered.draft_status) == ("submitted", "rejected")


def test_a_new_group_without_it_does_not_answer(client, administrator, waiting):
    admin_only = group_from_the_editor(client, administrator, "Accueil", [rules.ACCESS_ADMIN])
    receptionist = member_of(admin_only, "accueil")
    policy = rules.GrantedPermissionPolicy(
        Amendment, permission=rules.ANSWER_AMENDMENT, actions=("change", "view")
    )
    assert receptionist not in policy.users_with_any_permission(["change", "view"])
    client.force_login(receptionist)
    for address in (INBOX, f"{INBOX}edit/{waiting.pk}/"):
        response = client.get(address)
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), address
    client.post(f"{INBOX}edit/{waiting.pk}/", {"status": "rejected", "response": "Non."})
    assert Amendment.objects.get(pk=waiting.pk).status == "submitted"


def test_a_new_group_that_may_moderate_opens_the_queue(client, administrator):
    moderating = group_from_the_editor(
        client,
        administrator,
        "Médiateurs",
        [rules.ACCESS_ADMIN, rules.MODERATE_CONTRIBUTION],
    )
    mediator = member_of(moderating, "mediateur")
    others = member_of(
        group_from_the_editor(client, administrator, "Accueil", [rules.ACCESS_ADMIN]), "accueil"
    )
    policy = rules.GrantedPermissionPolicy(
        Argument, permission=rules.MODERATE_CONTRIBUTION, actions=("view",)
    )
    assert mediator in policy.users_with_any_permission(["view"])
    assert others not in policy.users_with_any_permission(["view"])
    assert rules.is_moderator(mediator) and not rules.is_moderator(others)

    client.force_login(mediator)
    assert client.get(reverse("charte_moderation")).status_code == 200
    assert client.get("/admin/arguments/").status_code == 200
    client.force_login(others)
    response = client.get(reverse("charte_moderation"))
    assert (response.status_code, response.get("Location")) == (302, "/admin/")
    response = client.get("/admin/arguments/")
    assert (response.status_code, response.get("Location")) == (302, "/admin/")


def test_a_new_group_that_may_review_opens_the_council_review(client, administrator, opened):
    reviewing = group_from_the_editor(client, administrator, "Commission", [rules.REVIEW_TEXT])
    commissioner = member_of(reviewing, "commissaire")
    others = member_of(group_from_the_editor(client, administrator, "Visiteurs", []), "visiteur")
    review_url = f"{opened.get_parent().url}review/"

    client.force_login(commissioner)
    assert client.get(review_url).status_code == 200
    client.force_login(others)
    assert client.get(review_url).status_code == 403


def test_holding_any_ability_means_a_second_factor(client, administrator):
    """The staff check follows the permissions too: a new reviewing group's members must use
    two-factor authentication, a group with no ability does not make its members staff."""
    reviewing = group_from_the_editor(client, administrator, "Commission", [rules.REVIEW_TEXT])
    without = factories.UserFactory(username="commissaire")
    without.groups.add(reviewing)
    assert rules.is_staff_account(without)
    client.force_login(without)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))

    plain = factories.UserFactory(username="visiteur")
    plain.groups.add(group_from_the_editor(client, administrator, "Visiteurs", []))
    assert not rules.is_staff_account(plain)
    client.force_login(plain)
    assert client.get("/").status_code == 200
