"""The admin screens the site adds (the team's dashboard on the admin's home, the amendment
inbox and its answer form, the moderation queue, the lifecycle forms: open, close, adopt, next
version, import; the workshops and the facilitators' entry screen) meet the public pages' bar:
no axe-core violation in what they show, checked in a real browser, refused forms included."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from wagtail.models import Site

from charte.core import roles
from charte.models import Amendment, CharterIterationPage, Workshop
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def violations_in_main(page, where):
    """axe-core on the screen's own content: Wagtail's side menu, header and the page editor's
    minimap (an empty scrollable list until the editor's panels are drawn) are Wagtail's."""
    # Once Wagtail's messages have faded in: their colours are checked as they end up.
    page.evaluate(
        "Promise.all([...document.querySelectorAll('.messages, .messages *')]"
        ".flatMap(element => element.getAnimations()).map(animation => animation.finished))"
    )
    results = Axe().run(page, context={"include": [["main"]], "exclude": [[".w-minimap"]]})
    assert results.violations_count == 0, f"{where}\n{results.generate_report()}"


@pytest.fixture
def team(live_server, browser):
    call_command("seed_demo", verbosity=0, stdout=None)
    editor = factories.UserFactory(username="equipe", role=roles.COMMUNICATION_TEAM)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    base = live_server.url
    page.goto(f"{base}/admin/")
    page.fill("#id_login", editor.email)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page, base


def test_the_team_screens_have_no_violation(team):
    page, base = team
    v2 = CharterIterationPage.objects.get(
        number=2, locale__language_code="fr", state="consultation"
    )
    charter = v2.get_parent().specific
    waiting = Amendment.objects.filter(iteration=v2, status="submitted").first()
    site = Site.objects.get(is_default_site=True)
    workshop = Workshop.objects.create(
        charter=charter,
        iteration=v2,
        title="Atelier de vérification",
        starts_at=v2.opens_at,
        place="Maison de quartier",
        participants=12,
    )
    screens = {
        "admin home (the team's dashboard)": "/admin/",
        "amendment inbox": "/admin/amendments/",
        "answer form": f"/admin/amendments/edit/{waiting.pk}/",
        "moderation queue": "/admin/charte/moderation/",
        "close the consultation": f"/admin/charte/iteration/{v2.pk}/close/",
        "adoption": f"/admin/charte/iteration/{v2.pk}/adopt/",
        "next version": f"/admin/charte/charter/{charter.pk}/next-iteration/",
        "import a draft": f"/admin/charte/{charter.pk}/import/",
        "page editor (outline)": f"/admin/pages/{v2.pk}/edit/",
        "group answer": f"/admin/amendments/group/{waiting.paragraph_id}/?with={waiting.pk}",
        "inbox, drafts awaiting validation": "/admin/amendments/?answer_state=draft",
        "services": "/admin/amendment_services/",
        "declared author types": "/admin/charte/author-types/",
        "site identity": f"/admin/settings/charte/siteidentity/{site.pk}/",
        "footer and sign-up links": f"/admin/settings/home/institutionalpages/{site.pk}/",
        "workshops and registers": "/admin/workshops/",
        "new workshop": "/admin/workshops/new/",
        "workshop's form": f"/admin/workshops/edit/{workshop.pk}/",
        "workshops to enter contributions for": "/admin/workshops/enter/",
        "entry screen": f"/admin/workshops/{workshop.pk}/enter/",
    }
    for where, address in screens.items():
        response = page.goto(base + address)
        assert response.status == 200, (where, response.status)
        violations_in_main(page, where)

    # A refused answer (no status, no reason): its errors are shown and hold the bar too.
    page.goto(f"{base}/admin/amendments/edit/{waiting.pk}/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    violations_in_main(page, "refused answer")

    # A note entered, then one refused (an ambiguous reference, no text): the confirmation,
    # the list of the paragraphs to choose from and the error summary hold the bar too.
    entry = f"{base}/admin/workshops/{workshop.pk}/enter/"
    page.goto(entry)
    page.fill("#id_reference", "1.1")
    page.fill("#id_text", "Plus de bancs.")
    with page.expect_navigation():
        page.locator("#entry-form button[type=submit]").click()
    violations_in_main(page, "note entered")
    page.fill("#id_reference", "1")
    with page.expect_navigation():
        page.locator("#entry-form button[type=submit]").click()
    assert page.locator("#entry-errors").count() == 1
    violations_in_main(page, "refused note")
