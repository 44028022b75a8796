"""Issue « Running the consultation », done when, on the demo in a real browser: the team's
admin home tells them what to do today with links that lead there; the footer links the four
institutional pages in both languages; a resident picks « Le Port » from the list."""

import re

import pytest
from allauth.account.models import EmailAddress

from charte.core import roles
from charte.models import Amendment, User
from tests import factories
from tests.e2e.demo import load_demo, sign_in_as_camille

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOOTER = {
    "fr": ["Mentions légales", "Données personnelles", "Règles de modération"],
    "en": ["Legal notice", "Privacy notice", "Moderation rules"],
}
ACCESSIBILITY = {"fr": "Accessibilité", "en": "Accessibility"}


@pytest.fixture
def demo_site(live_server):
    load_demo()
    return live_server.url


def test_the_team_is_told_what_to_do_today(demo_site, browser):
    editor = factories.UserFactory(username="equipe", role=roles.COMMUNICATION_TEAM)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{demo_site}/admin/")
    page.fill("#id_login", editor.email)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{demo_site}/admin/")

    dashboard = page.locator("#charte-dashboard-content, #charte-dashboard").first
    assert "Piloter la concertation" in page.content()
    waiting = Amendment.objects.filter(status="submitted", draft_status="").count()
    assert waiting > 0  # the demo's open version has amendments to answer
    link = dashboard.get_by_role("link", name=re.compile(r"attend(ent)? une réponse"))
    assert link.inner_text().startswith(str(waiting))
    link.click()
    page.wait_for_url(re.compile(r"/admin/amendments/\?status=submitted"))
    # The inbox lists them, each with its answer form.
    assert page.locator("main table tbody tr").count() == min(waiting, 50)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_footer_links_the_four_institutional_pages(demo_site, page, language):
    page.goto(f"{demo_site}/" if language == "fr" else f"{demo_site}/en/")
    footer = page.locator("footer")
    for title in [*FOOTER[language], ACCESSIBILITY[language]]:
        link = footer.get_by_role("link", name=re.compile(f"^{title}"))
        address = link.get_attribute("href")
        assert address.startswith("/en/") == (language == "en"), address
        page.goto(demo_site + address)
        assert page.locator("html").get_attribute("lang") == language
        assert title.split()[0].lower() in page.locator("h1").inner_text().lower()
        page.go_back()


def test_a_resident_picks_le_port_from_the_list(demo_site, page):
    """Camille moves from Les Tilleuls to Le Port, picked from the charter's list."""
    page.goto(f"{demo_site}/accounts/login/")
    sign_in_as_camille(page)
    page.goto(f"{demo_site}/accounts/profile/")
    page.select_option("#id_territory_choice", label="Le Port")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    camille = User.objects.get(username="camille")
    assert camille.listed_territory.name == "Le Port"
    assert camille.territory == ""  # nothing typed as « autre »
