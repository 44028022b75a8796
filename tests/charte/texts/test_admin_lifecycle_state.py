"""The team sees where each version stands in the admin, and is offered only what is allowed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from charte.models import CharterIterationPage
from charte.texts import services
from tests import factories

pytestmark = pytest.mark.django_db


def admin_client(client, user, language="fr"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def explore(client, page):
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_listing_tells_a_draft_from_a_consultation_in_french(client, charter, editor):
    draft = factories.make_iteration(charter, user=editor)
    html = explore(admin_client(client, editor), charter)
    assert "Brouillon" in html
    services.iteration_open(iteration=draft, by=editor)
    html = explore(client, charter)
    assert "Consultation ouverte jusqu’au" in html
    assert ">Brouillon<" not in html


def test_the_listing_says_scheduled_and_closed_in_english(client, charter, editor):
    now = timezone.now()
    iteration = factories.make_iteration(
        charter,
        user=editor,
        opens_at=now + datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=30),
    )
    services.iteration_open(iteration=iteration, by=editor)
    html = explore(admin_client(client, editor, "en"), charter)
    assert "Scheduled: opens on" in html
    assert "Consultation open until" not in html
    services.iteration_open  # noqa: B018 - the same page, later:
    CharterIterationPage.objects.filter(pk=iteration.pk).update(opens_at=now)
    services.iteration_close(iteration=iteration, by=editor)
    html = explore(client, charter)
    assert "Consultation closed" in html
    assert ">Live<" not in html


def test_the_edit_header_and_the_explorer_header_show_the_state(client, charter, editor):
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    admin_client(client, editor, "en")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[iteration.pk]))
    assert "charte-lifecycle-status" in edit.content.decode()
    assert "Consultation open until" in edit.content.decode()
    html = explore(client, iteration)
    assert "charte-lifecycle-status" in html


def test_a_frozen_version_offers_no_delete_move_or_copy(client, charter, editor):
    iteration = factories.make_iteration(charter, user=editor)
    admin_client(client, editor, "en")
    edit_url = reverse("wagtailadmin_pages:edit", args=[iteration.pk])
    delete_url = reverse("wagtailadmin_pages:delete", args=[iteration.pk])
    move_url = reverse("wagtailadmin_pages:move", args=[iteration.pk])
    copy_url = reverse("wagtailadmin_pages:copy", args=[iteration.pk])
    charter_delete = reverse("wagtailadmin_pages:delete", args=[charter.pk])
    charter_move = reverse("wagtailadmin_pages:move", args=[charter.pk])
    draft_html = client.get(edit_url).content.decode() + explore(client, charter)
    assert delete_url in draft_html  # a draft that was never opened may still be deleted

    services.iteration_open(iteration=iteration, by=editor)
    html = client.get(edit_url).content.decode() + explore(client, charter)
    for url in (delete_url, move_url, copy_url):
        assert url not in html
    assert reverse("wagtailadmin_pages:unpublish", args=[iteration.pk]) in html
    parent_html = explore(client, factories.home_page())
    assert charter_delete not in parent_html
    assert charter_move not in parent_html
