"""Page tree rules: each page type goes in one place only."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Page

from charte.models import CharterIterationPage, CharterPage, DebatePage, DebatesIndexPage
from charte.texts import services
from home.models import ContentPage, HomePage
from tests import factories

pytestmark = pytest.mark.django_db


def test_allowed_parents_and_children():
    home = factories.home_page()
    root = Page.objects.get(depth=1)
    assert CharterPage.can_create_at(home)
    assert not CharterPage.can_create_at(root)
    assert not HomePage.can_create_at(root)  # the site already has its home page
    assert HomePage.allowed_subpage_models() == [CharterPage, DebatesIndexPage, ContentPage]
    assert ContentPage.allowed_subpage_models() == [ContentPage]  # institutional pages
    assert CharterPage.allowed_subpage_models() == [CharterIterationPage, DebatePage]
    assert CharterIterationPage.allowed_subpage_models() == []
    assert DebatesIndexPage.allowed_subpage_models() == [DebatePage]
    assert DebatePage.allowed_subpage_models() == []
    assert not CharterIterationPage.can_create_at(home)
    assert not DebatePage.can_create_at(home)  # under a charter, or the debates index


def test_one_debates_index_per_site(editor):
    home = factories.home_page()
    assert DebatesIndexPage.can_create_at(home)
    home.add_child(instance=DebatesIndexPage(title="Débats", slug="debats"))
    assert not DebatesIndexPage.can_create_at(home)


def test_only_the_first_iteration_is_added_by_hand(charter, editor):
    assert CharterIterationPage.can_create_at(charter)
    iteration = factories.make_iteration(charter, user=editor)
    assert not CharterIterationPage.can_create_at(charter)
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)
    assert v2.get_parent().pk == charter.pk and v2.number == 2


def test_admin_refuses_a_page_in_the_wrong_place(client, charter, editor):
    client.force_login(editor)
    home = factories.home_page()
    wrong = reverse("wagtailadmin_pages:add", args=["charte", "charteriterationpage", home.pk])
    response = client.get(wrong)
    assert (response.status_code, response.get("Location")) == (302, "/admin/")
    assert not CharterIterationPage.objects.exists()
    right = reverse("wagtailadmin_pages:add", args=["charte", "charteriterationpage", charter.pk])
    assert client.get(right).status_code == 200


def test_iterations_are_numbered_in_order(charter, editor):
    iteration = factories.make_iteration(charter, user=editor)
    assert iteration.number == 1


def test_500_page_is_self_contained_and_bilingual():
    html = render_to_string("500.html")
    assert '<html lang="fr">' in html and 'lang="en"' in html
    assert "{%" not in html
