"""The team creates a charter and its first iteration in the admin with a title and a text; the
address (slug) follows the title, without a visit to the « Promotion » tab."""

import pytest
from django.urls import reverse

from charte.models import CharterIterationPage, CharterPage
from tests import factories
from tests.admin_forms import body_form_data

pytestmark = pytest.mark.django_db

EMPTY_COMMENTS = {
    "comments-TOTAL_FORMS": "0",
    "comments-INITIAL_FORMS": "0",
    "comments-MIN_NUM_FORMS": "0",
    "comments-MAX_NUM_FORMS": "1000",
}
NO_TERRITORIES = {
    "territories-TOTAL_FORMS": "0",
    "territories-INITIAL_FORMS": "0",
    "territories-MIN_NUM_FORMS": "0",
    "territories-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=["charte", model, parent.pk])


def test_first_iteration_is_saved_with_only_its_title_and_text(editor_client, charter):
    data = {
        "title": "Version 1 — projet",
        "label": "Projet soumis à la concertation",
        "slug": "",
        "summary": "",
        "opens_at": "",
        "closes_at": "",
        **EMPTY_COMMENTS,
        **body_form_data(factories.body_with(3)),
    }
    response = editor_client.post(add_url("charteriterationpage", charter), data)
    assert response.status_code == 302, errors(response)
    page = CharterIterationPage.objects.child_of(charter).get()
    assert page.slug == "version-1-projet"


def test_the_slug_field_follows_the_title_in_the_iteration_editor(editor_client, charter):
    response = editor_client.get(add_url("charteriterationpage", charter))
    title = response.content.decode().split('id="id_title"')[0].rsplit("<input", 1)[1]
    assert "w-sync" in title


def test_a_charter_is_saved_with_only_its_title(editor_client):
    home = factories.home_page()
    data = {"title": "Charte de la participation", "slug": "", **EMPTY_COMMENTS}
    data.update({"timeline-count": "0", **NO_TERRITORIES})
    response = editor_client.post(add_url("charterpage", home), data)
    assert response.status_code == 302, errors(response)
    assert CharterPage.objects.get(title="Charte de la participation").slug == (
        "charte-de-la-participation"
    )


def errors(response):
    form = response.context["form"] if response.context else None
    return form.errors if form is not None else response.status_code
