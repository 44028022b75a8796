"""The team writes a charter's list of territories in Wagtail's page editor (an InlinePanel);
profiles that typed a listed name before are linked to it."""

import pytest
from django.urls import reverse

from charte.models import CharterPage, Territory
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_slug import EMPTY_COMMENTS

pytestmark = pytest.mark.django_db


def territories_form(*names):
    data = {
        "territories-TOTAL_FORMS": str(len(names)),
        "territories-INITIAL_FORMS": "0",
        "territories-MIN_NUM_FORMS": "0",
        "territories-MAX_NUM_FORMS": "1000",
    }
    for index, name in enumerate(names):
        data.update(
            {
                f"territories-{index}-name": name,
                f"territories-{index}-kind": "neighbourhood",
                f"territories-{index}-ORDER": str(index + 1),
                f"territories-{index}-id": "",
                f"territories-{index}-DELETE": "",
            }
        )
    return data


def test_the_team_lists_the_territories_in_the_charter_editor(client, charter, editor):
    legacy = make_citizen("ancien", "Ancien")
    legacy.territory = "LE PORT"
    legacy.save()
    client.force_login(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[charter.pk])
    html = client.get(edit).content.decode()
    assert "Territoires proposés aux habitants" in html
    data = {
        "title": charter.title,
        "slug": charter.slug,
        "territory": "Saint-Test",
        "timeline-count": "0",
        "contact_name": "",
        "contact_email": "",
        "contact_details": "",
        **EMPTY_COMMENTS,
        **territories_form("Centre-bourg", "Le Port"),
        "action-publish": "action-publish",
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    charter = CharterPage.objects.get(pk=charter.pk)
    assert [(t.name, t.get_kind_display()) for t in charter.territories.all()] == [
        ("Centre-bourg", "Quartier"),
        ("Le Port", "Quartier"),
    ]
    legacy.refresh_from_db()
    assert legacy.listed_territory == Territory.objects.get(name="Le Port")
    assert legacy.territory == "LE PORT"  # what they typed is kept
