"""A French team member reads the admin screens of a version in French: no English string that
the site itself puts there (group and workflow names, lifecycle actions and states)."""

import html as html_lib
import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from charte.amendments.services import amendment_answer, amendment_propose
from charte.models import Paragraph
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

# English that reached the French admin before: stored names shown as they are, and the
# lifecycle's own words.
ENGLISH = [
    "Moderators",
    "approval",
    "Communication team",
    "Council members",
    "Submit to",
    "Open for consultation",
    "Close the consultation",
    "Record the council",
    "Start the next iteration",
    "Amendments to integrate",
    "Consultation open until",
    "In consultation",
    "Superseded",
    "Awaiting an answer",
    "Partially accepted",
]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html_lib.unescape(page).split())


@pytest.fixture
def french_team(client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(editor)
    return client


def test_the_main_admin_screens_of_a_version_are_in_french(french_team, opened, editor):
    row = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    author = make_citizen()
    partial = amendment_propose(
        paragraph=row, by=author, kind="modify", text="Autre rédaction.", rationale="Motif"
    )
    amendment_answer(
        amendment=partial, status="partially_accepted", response="En partie", by=editor
    )
    waiting = amendment_propose(
        paragraph=row, by=make_citizen("sam", "Sam"), kind="delete", rationale="Inutile"
    )
    consultation_edit = french_team.get(reverse("wagtailadmin_pages:edit", args=[opened.pk]))
    close_form = french_team.get(reverse("charte_iteration_close", args=[opened.pk]))
    services.iteration_close(iteration=opened, by=editor)
    draft = services.iteration_start_next(charter=opened.get_parent().specific, by=editor)
    charter = opened.get_parent()

    screens = {
        "listing": reverse("wagtailadmin_explore", args=[charter.pk]),
        "version": reverse("wagtailadmin_explore", args=[draft.pk]),
        "edit draft": reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        "edit closed": reverse("wagtailadmin_pages:edit", args=[opened.pk]),
        "open": reverse("charte_iteration_open", args=[draft.pk]),
        "adopt": reverse("charte_iteration_adopt", args=[draft.pk]),
        "integrate": reverse("charte_iteration_integrate", args=[draft.pk]),
        "inbox": "/admin/amendments/",
        "answer": f"/admin/amendments/edit/{waiting.pk}/",
        "workflows": "/admin/workflows/list/",
    }
    pages = {name: french_team.get(url) for name, url in screens.items()}
    pages["edit in consultation"] = consultation_edit
    pages["close"] = close_form
    found = {}
    for name, response in pages.items():
        if response.status_code != 200:
            continue
        text = visible_text(response.content.decode())
        english = [word for word in ENGLISH if word in text]
        if english:
            found[name] = english
    assert pages["edit draft"].status_code == 200 and pages["inbox"].status_code == 200
    assert found == {}
