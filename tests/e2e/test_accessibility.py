"""The demo's pages, opened in a real browser, have no axe-core accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from charte.models import CharterIterationPage, Paragraph
from tests.worker import work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(live_server):
    """The demo, loaded before the browser starts; its addresses, read from the database."""
    call_command("seed_demo", verbosity=0, stdout=None)
    work()  # the background worker: e-mails and the search index, as `make run` starts it
    # The charter in consultation (the demo's other charter was adopted in 2024).
    source = CharterIterationPage.objects.get(number=2, state="consultation")
    iterations = CharterIterationPage.objects.filter(translation_key=source.translation_key)
    return {
        "base": live_server.url,
        "v2": iterations.get(locale__language_code="fr"),
        "v2_en": iterations.get(locale__language_code="en"),
        "charter": iterations.get(locale__language_code="fr").get_parent().url,
        "v1_paragraph": Paragraph.objects.filter(iteration__number=1, iteration__state="closed")
        .first()
        .get_url(),
    }


def violations(page):
    results = Axe().run(page)
    return results.violations_count, results.generate_report()


def test_demo_iteration_page_has_no_axe_violations(demo, page):
    iteration = demo["v2"]
    console_errors = []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    response = page.goto(demo["base"] + iteration.url)
    assert response.status == 200
    assert page.locator("h1").inner_text().startswith(iteration.title)
    assert page.locator(".charter-paragraph").count() > 30
    count, report = violations(page)
    assert count == 0, report
    assert console_errors == []  # nothing blocked by the Content Security Policy


def test_other_pages_have_no_axe_violations(demo, page):
    v1_paragraph = demo["v1_paragraph"]
    pages = (demo["v2_en"].url, "/en/", "/", demo["charter"], v1_paragraph, "/nowhere/")
    institutional = (
        "/accessibilite/",
        "/en/accessibility/",
        "/plan-du-site/",
        "/en/site-map/",
        "/mentions-legales/",
        "/en/legal-notice/",
        "/donnees-personnelles/",
        "/en/moderation-rules/",
    )
    for url in (
        *pages,
        "/accounts/login/",
        "/accounts/signup/",
        "/en/accounts/signup/",
        *institutional,
    ):
        page.goto(demo["base"] + url)
        count, report = violations(page)
        assert count == 0, f"{url}\n{report}"


def test_skip_link_and_paragraph_anchor_with_the_keyboard(demo, page):
    page.goto(demo["base"] + demo["v2"].url)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    link = page.locator(".charter-paragraph__link").first
    href = link.get_attribute("href")
    link.click()
    assert page.url.endswith(href)
    assert page.locator("h1").inner_text().startswith("Article 1")


def test_search_on_a_phone_with_facets(demo, page):
    page.goto(demo["base"] + "/")
    page.get_by_role("searchbox", name="Rechercher dans toutes les contributions").fill(
        "participation des jeunes"
    )
    page.get_by_role("search").first.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/recherche/?q=participation+des+jeunes")
    results = page.locator(".search-hit")
    assert results.count() >= 3
    assert page.locator(".search-hit mark").count() > 0
    count, report = violations(page)
    assert count == 0, report
    page.locator(".search-facets").get_by_role("link", name="Commentaires").click()
    assert page.locator(".search-hit").count() >= 1
    assert all(
        "Commentaire sur" in title for title in page.locator(".search-hit h3").all_inner_texts()
    )
    page.locator(".search-hit h3 a").first.click()
    assert "#c" in page.url and page.locator("h1").inner_text().startswith("Article")
    page.goto(demo["base"] + "/en/search/?q=participation")
    count, report = violations(page)
    assert count == 0, report


def test_workshop_pages_have_no_axe_violations(demo, page):
    """The workshops' list and page, and a discussion and an amendment list showing what a
    workshop said (badges, signatures linked to the workshop, the origin filter)."""
    import datetime

    from django.utils import timezone

    from charte.core import roles
    from charte.models import Workshop
    from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter
    from tests import factories

    v2 = demo["v2"]
    facilitator = factories.UserFactory(username="anim-axe", role=roles.FACILITATORS)
    workshop = Workshop.objects.create(
        charter=v2.get_parent().specific,
        iteration=v2,
        title="Atelier du Port (axe)",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        place="Maison de quartier du Port",
        participants=18,
        facilitated_by="Service démocratie locale",
        report="Trois tables, dix-huit habitants.",
    )
    workshop.facilitators.add(facilitator)
    row = Paragraph.objects.filter(iteration=v2).order_by("position").first()
    workshop_comment_enter(workshop=workshop, paragraph=row, text="Des bancs.", by=facilitator)
    workshop_amendment_enter(
        workshop=workshop, paragraph=row, kind="delete", rationale="Inutile.", by=facilitator
    )
    charter = demo["charter"]
    for url in (
        f"{charter}workshops/",
        workshop.get_url(),
        f"{v2.url}amendments/?origin=workshop",
        row.get_url(),
        f"{demo['v2_en'].get_parent().url}workshops/{workshop.pk}/",
    ):
        response = page.goto(demo["base"] + url)
        assert response.status == 200, url
        count, report = violations(page)
        assert count == 0, f"{url}\n{report}"
