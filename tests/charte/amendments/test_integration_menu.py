"""« Amendements à intégrer » is in the admin menu and on the draft's header, not only behind
the redirect after starting the next iteration."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from charte.core import roles
from tests import factories
from tests.charte.amendments.test_amendment_integration import (
    propose_and_answer,
    rows,  # noqa: F401
    start_next,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/charte/integrate/"


def admin_menu(client) -> str:
    html = client.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)[1]
    return json.dumps(json.loads(props), ensure_ascii=False)


def team(client, editor, language):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    client.force_login(editor)
    return client


def test_the_menu_leads_to_the_draft_and_its_amendments(client, opened, rows, editor):  # noqa: F811
    propose_and_answer(rows[0], editor, status="partially_accepted", kind="modify", text="Autre.")
    draft = start_next(opened, editor)
    team(client, editor, "fr")
    menu = admin_menu(client)
    assert INDEX in menu and "Amendements à intégrer" in menu

    listing = client.get(INDEX).content.decode()
    integrate = reverse("charte_iteration_integrate", args=[draft.pk])
    assert integrate in listing
    assert "<td>1</td>" in listing

    header = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert integrate in header


def test_with_no_version_being_prepared_the_screen_says_so_in_english(client, opened, editor):
    team(client, editor, "en")
    html = client.get(INDEX).content.decode()
    assert "No version is being prepared" in html


def test_moderators_do_not_get_the_screen(client, opened):
    moderator = factories.UserFactory(username="moderator", role=roles.MODERATORS)
    client.force_login(moderator)
    assert INDEX not in admin_menu(client)
    assert client.get(INDEX).status_code == 302
