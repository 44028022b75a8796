"""A resident on a phone, in a real browser: reads the demo debate as two tabs, adds an
argument against, supports one for, comments another; no axe-core violation on the way."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from charte.models import Argument, ArgumentSupport, Comment, DebatePage
from tests.charte.discussions.test_comments import make_citizen
from tests.e2e.test_accessibility import demo  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_violations(page, where):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{where}\n{results.generate_report()}"


def test_argue_support_and_comment_on_a_phone(demo, page):  # noqa: F811
    resident = make_citizen("ines", "Inès de La Garenne")
    debate = DebatePage.objects.get(locale__language_code="fr")
    base = demo["base"]
    page.goto(f"{base}/accounts/login/?next={debate.url}")
    page.fill("#id_login", resident.email)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{debate.url}")
    assert page.locator("h1").inner_text() == debate.question

    # On a phone the two columns are two tabs.
    tabs = page.get_by_role("tab")
    assert tabs.count() == 2
    assert page.locator("#side-for").is_visible() and not page.locator("#side-against").is_visible()
    tabs.nth(1).click()
    assert page.locator("#side-against").is_visible() and not page.locator("#side-for").is_visible()
    tabs.nth(1).press("ArrowLeft")
    assert page.locator("#side-for").is_visible()
    no_violations(page, "debate")

    # An argument against.
    page.locator("#argue").get_by_label("Contre").check()
    page.fill("#argue-title-field", "Des réunions trop tardives")
    page.fill("#argue-text", "À 20 h, les lycéens qui prennent le car ne peuvent pas venir.")
    page.get_by_role("button", name="Publier mon argument").click()
    page.wait_for_load_state()
    mine = Argument.objects.get(author=resident)
    assert page.url == f"{base}{mine.get_url()}" and mine.side == "against"
    assert "Votre argument est publié." in page.locator(".messages").inner_text()
    no_violations(page, "argument")

    # Support an argument for, from its column.
    page.goto(f"{base}{debate.url}")
    first_for = page.locator("#side-for .argument").first
    first_for.get_by_role("button", name="Soutenir").click()
    page.wait_for_load_state()
    supported = ArgumentSupport.objects.get(user=resident).argument
    assert supported.side == "for"
    button = page.locator(f"#argument-{supported.pk} button.support")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator("#side-for").is_visible()  # back on the tab of the argument

    # Comment another argument.
    other = Argument.objects.filter(side="against").exclude(author=resident).first()
    page.goto(f"{base}{other.get_url()}")
    page.fill("#comment-new", "Et le samedi matin ?")
    page.get_by_role("button", name="Publier mon commentaire").click()
    page.wait_for_load_state()
    assert Comment.objects.filter(user=resident, object_pk=str(other.pk)).exists()
    assert "Et le samedi matin ?" in page.locator(".comments").inner_text()
    no_violations(page, "argument discussion")
