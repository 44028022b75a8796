"""The staff groups exist, do what their role needs, and none of them manages users."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from charte.core import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_three_roles_exist_and_wagtail_defaults_are_gone():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLES) <= names
    assert "Editors" not in names


def test_no_group_may_manage_users_or_groups():
    user_model = factories.UserFactory._meta.model
    forbidden = Permission.objects.filter(
        content_type__app_label__in=[user_model._meta.app_label, "auth"],
        content_type__model__in=[user_model._meta.model_name, "group", "permission"],
    )
    for group in Group.objects.all():
        assert not group.permissions.filter(pk__in=forbidden).exists(), group.name
    moderator = factories.UserFactory(username="m", role=roles.MODERATORS)
    assert not moderator.has_perm("wagtailusers.change_user")
    assert not any(
        moderator.has_perm(f"{user_model._meta.app_label}.{action}_{user_model._meta.model_name}")
        for action in ("add", "change", "delete", "view")
    )


def test_only_the_communication_team_publishes_pages(iteration):
    team = factories.UserFactory(username="t", role=roles.COMMUNICATION_TEAM)
    assert iteration.permissions_for_user(team).can_publish()
    for role in (roles.MODERATORS, roles.COUNCIL_MEMBERS):
        user = factories.UserFactory(username=role[:5], role=role)
        assert not iteration.permissions_for_user(user).can_publish()
        assert not iteration.permissions_for_user(user).can_edit()
    assert GroupPagePermission.objects.filter(group__name=roles.COMMUNICATION_TEAM).exists()


def test_team_and_moderators_reach_the_admin_but_not_the_council():
    assert factories.UserFactory(username="a", role=roles.COMMUNICATION_TEAM).has_perm(
        "wagtailadmin.access_admin"
    )
    assert factories.UserFactory(username="b", role=roles.MODERATORS).has_perm(
        "wagtailadmin.access_admin"
    )
    assert not factories.UserFactory(username="c", role=roles.COUNCIL_MEMBERS).has_perm(
        "wagtailadmin.access_admin"
    )
