"""The communication team runs the lifecycle from the Wagtail admin; the text stays frozen."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from charte.core import roles
from charte.models import CharterIterationPage, IterationState, Paragraph
from charte.texts import services
from tests import factories
from tests.admin_forms import iteration_edit_data, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_editor_can_save_the_draft_text(editor_client, iteration):
    body = copy.deepcopy(list(iteration.body.raw_data))
    body[0]["value"]["articles"][0]["value"]["paragraphs"][0]["value"] = "Nouveau texte."
    response = editor_client.post(edit_url(iteration), iteration_edit_data(iteration, body=body))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert factories.body_texts(page)[0][1] == "Nouveau texte."


def test_editing_the_frozen_text_is_refused_with_a_clear_message(editor_client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    revisions = iteration.revisions.count()
    body = copy.deepcopy(list(iteration.body.raw_data))
    body[0]["value"]["articles"][0]["value"]["paragraphs"][0]["value"] = "Texte changé."
    response = editor_client.post(edit_url(iteration), iteration_edit_data(iteration, body=body))
    assert response.status_code == 200
    html = response.content.decode()
    assert "frozen since" in html or "figé depuis" in html
    assert "Start a new iteration" in html or "nouvelle itération" in html
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert factories.body_texts(page) == factories.body_texts(iteration)
    assert page.revisions.count() == revisions
    assert Paragraph.objects.get(iteration=page, position=1).text.startswith("Alinéa 1")


def test_title_and_summary_of_a_frozen_iteration_stay_editable(editor_client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    data = iteration_edit_data(page, title="Version 1 – projet", summary="Présentation revue.")
    response = editor_client.post(edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.title == "Version 1 – projet" and page.summary == "Présentation revue."
    assert page.state == IterationState.CONSULTATION


def test_the_window_of_an_ended_consultation_cannot_move(editor_client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    later = local(page.closes_at + datetime.timedelta(days=10))
    response = editor_client.post(edit_url(page), iteration_edit_data(page, closes_at=later))
    assert response.status_code == 200
    assert "window can no longer be changed" in response.content.decode() or (
        "ne peut plus" in response.content.decode()
    )


def test_open_action_from_the_admin(editor_client, iteration, editor):
    url = reverse("charte_iteration_open", args=[iteration.pk])
    assert editor_client.get(url).status_code == 200
    closes = timezone.now() + datetime.timedelta(days=15)
    response = editor_client.post(url, {"opens_at": "", "closes_at": local(closes)})
    assert response.status_code == 302
    iteration.refresh_from_db()
    assert iteration.state == IterationState.CONSULTATION
    assert Paragraph.objects.filter(iteration=iteration).count() == 6


def test_open_action_reports_refusals_in_the_form(editor_client, iteration):
    url = reverse("charte_iteration_open", args=[iteration.pk])
    past = local(timezone.now() - datetime.timedelta(days=1))
    response = editor_client.post(url, {"opens_at": "", "closes_at": past})
    assert response.status_code == 200
    assert "already passed" in response.content.decode() or "passée" in response.content.decode()
    iteration.refresh_from_db()
    assert iteration.state == IterationState.DRAFT


def test_close_start_next_and_adopt_from_the_admin(editor_client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    close = reverse("charte_iteration_close", args=[iteration.pk])
    assert editor_client.post(close).status_code == 302
    start = reverse("charte_start_next_iteration", args=[charter.pk])
    response = editor_client.post(start)
    v2 = CharterIterationPage.objects.get(number=2)
    assert response.status_code == 302 and response["Location"] == edit_url(v2)
    adopt = reverse("charte_iteration_adopt", args=[iteration.pk])
    response = editor_client.post(
        adopt,
        {
            "session_date": timezone.localdate().isoformat(),
            "deliberation_reference": "DEL-1",
            "votes_for": "20",
            "votes_against": "3",
            "abstentions": "1",
        },
    )
    # v1 is no longer the latest iteration: refused, with the reason shown.
    assert response.status_code == 200
    assert (
        "latest iteration" in response.content.decode() or "dernière" in response.content.decode()
    )


def test_lifecycle_buttons_appear_in_the_page_header(editor_client, iteration):
    html = editor_client.get(edit_url(iteration)).content.decode()
    assert reverse("charte_iteration_open", args=[iteration.pk]) in html


@pytest.mark.parametrize("role", [roles.MODERATORS, roles.COUNCIL_MEMBERS, None])
def test_only_the_team_runs_the_lifecycle(client, iteration, role):
    user = factories.UserFactory(username="someone", role=role)
    client.force_login(user)
    for name in ("charte_iteration_open", "charte_iteration_close", "charte_iteration_adopt"):
        response = client.post(reverse(name, args=[iteration.pk]))
        # Moderators have the admin but not the lifecycle: back to the admin's home; the others
        # have no admin at all: to their profile, with the reason.
        expected = "/admin/" if role == roles.MODERATORS else "/accounts/profile/"
        assert (response.status_code, response.get("Location")) == (302, expected)
    iteration.refresh_from_db()
    assert iteration.state == IterationState.DRAFT


def test_frozen_iterations_cannot_be_deleted(editor_client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    url = reverse("wagtailadmin_pages:delete", args=[iteration.pk])
    editor_client.post(url)
    assert CharterIterationPage.objects.filter(pk=iteration.pk).exists()


def test_iterations_are_not_copied(editor_client, iteration):
    url = reverse("wagtailadmin_pages:copy", args=[iteration.pk])
    editor_client.get(url)
    assert CharterIterationPage.objects.count() == 1


def test_adoption_is_offered_only_on_the_latest_iteration(
    editor_client, charter, iteration, editor
):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    adopt_v1 = reverse("charte_iteration_adopt", args=[iteration.pk])
    assert adopt_v1 in editor_client.get(edit_url(iteration)).content.decode()
    v2 = services.iteration_start_next(charter=charter, by=editor)
    assert adopt_v1 not in editor_client.get(edit_url(iteration)).content.decode()
    assert (
        reverse("charte_iteration_adopt", args=[v2.pk])
        in editor_client.get(edit_url(v2)).content.decode()
    )


def test_addresses_of_an_opened_text_cannot_change(editor_client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    response = editor_client.post(edit_url(page), iteration_edit_data(page, slug="autre-adresse"))
    assert response.status_code == 200
    assert "cannot change any more" in response.content.decode() or (
        "ne peut plus changer" in response.content.decode()
    )
    page.refresh_from_db()
    assert page.slug == iteration.slug

    charter_page = type(charter).objects.get(pk=charter.pk)
    charter_page.slug = "nouvelle-charte"
    with pytest.raises(ValidationError):
        charter_page.full_clean()


def test_bulk_deletion_spares_frozen_iterations(editor_client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = editor_client.post(f"{url}?id={iteration.pk}", {})
    assert response.status_code == 302
    assert CharterIterationPage.objects.filter(pk=iteration.pk).exists()
    assert Paragraph.objects.filter(iteration=iteration).count() == 6


def test_a_charter_with_an_opened_text_is_not_moved(editor_client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    other = factories.make_charter(title="Autre", slug="autre", user=editor)
    url = reverse("wagtailadmin_pages:move_confirm", args=[iteration.pk, other.pk])
    editor_client.post(url)
    iteration.refresh_from_db()
    assert iteration.get_parent().pk == charter.pk
