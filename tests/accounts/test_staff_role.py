"""Who must use the second factor: whoever holds a permission, in any of the four ways one can
be held (their own, a group's Django permission, a group's page permission, a group's
collection permission), whether the account is read by a request or by anything else."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from charte.accounts.backends import signed_in_account
from charte.core.rules import STAFF_ROLE_ATTRIBUTE, is_staff_account
from tests import factories

pytestmark = pytest.mark.django_db


def give(user, way):
    group = Group.objects.create(name="Relecture")
    user.groups.add(group)  # a group by itself makes nobody staff
    if way == "own":
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    elif way == "group":
        group.permissions.add(Permission.objects.get(codename="access_admin"))
    elif way == "page":
        GroupPagePermission.objects.create(
            group=group,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(codename="change_page"),
        )
    elif way == "collection":
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(codename="add_image"),
        )


@pytest.mark.parametrize(
    "way, staff",
    [("own", True), ("group", True), ("page", True), ("collection", True), ("none", False)],
)
def test_each_way_of_holding_a_permission_makes_a_staff_account(way, staff):
    user = factories.UserFactory(username="camille")
    give(user, way)
    # Read by a request, with its role.
    assert getattr(signed_in_account(user.pk), STAFF_ROLE_ATTRIBUTE) is staff
    # Read by anything else: asked once.
    assert is_staff_account(get_user_model().objects.get(pk=user.pk)) is staff


def test_an_unknown_account_is_nobody(db):
    assert signed_in_account(123456) is None
