"""The pages of a text's history, in a real browser: the comparison of the demo's two
versions (folded unchanged paragraphs that open, changes marked in words, no axe-core
violation), a paragraph's history, the synthesis of the first consultation, and the council's
review space, where a council member signs in and writes a note."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe

from charte.core import roles
from charte.models import CharterIterationPage
from tests import factories
from tests.e2e.test_accessibility import demo  # noqa: F401  (the fixture)
from tests.worker import work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_violations(page, url):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{url}\n{results.generate_report()}"


def test_the_comparison_page_on_a_phone(demo, page):  # noqa: F811
    url = f"{demo['charter']}compare/1/2/"
    response = page.goto(demo["base"] + url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Version 2 comparée à Version 1"
    assert page.locator("article.change").count() > 3
    # Changes are told in words, not by colour alone.
    marker = page.locator(".diff ins .visually-hidden").first.text_content()
    assert marker.startswith("[texte ajouté")
    assert page.locator(".change .provenance a").count() > 0  # the amendments behind them
    folded = page.locator("details.comparison__unchanged").first
    assert not folded.locator(".change").first.is_visible()
    folded.locator("summary").click()
    assert folded.locator(".change").first.is_visible()
    no_violations(page, url)

    # The form of the charter page leads to the same permanent address.
    page.goto(demo["base"] + demo["charter"])
    page.select_option("#compare-from", "2")
    page.select_option("#compare-to", "1")
    page.get_by_role("button", name="Comparer").click()
    assert page.url == demo["base"] + url


def test_history_and_synthesis_pages_have_no_axe_violations(demo, page):  # noqa: F811
    v2 = demo["v2"]
    key = v2.paragraphs.order_by("position").first().key
    first = CharterIterationPage.objects.get(number=1, locale__language_code="fr", state="closed")
    for url in (
        f"{v2.url}p/{key}/history/",
        f"{demo['charter']}compare/1/2/?all=1",
        f"{demo['v2_en'].get_parent().url}compare/1/2/",
        f"{first.url}synthesis/",
    ):
        assert page.goto(demo["base"] + url).status == 200, url
        no_violations(page, url)
    # The synthesis's five charts, and the evaluation's « amendments by answer ».
    assert page.locator("svg.chart__bars").count() == 6


def test_a_council_member_reviews_the_text_and_writes_a_note(demo, page):  # noqa: F811
    member = factories.UserFactory(username="elue", role=roles.COUNCIL_MEMBERS)
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    base = demo["base"]
    page.goto(f"{base}{demo['charter']}review/")  # sends to the sign-in, then the second factor
    page.fill("#id_login", member.email)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{demo['charter']}review/")
    assert page.locator("h1").inner_text().startswith("Relecture du conseil")
    assert page.locator(".review-paragraph").count() > 30
    no_violations(page, "review")

    note = page.locator(".review-paragraph textarea").first
    note.fill("À vérifier avec le service juridique.")
    page.locator(".review-paragraph button[type=submit]").first.click()
    page.wait_for_load_state()
    assert (
        page.locator(".review-notes li")
        .first.inner_text()
        .endswith("À vérifier avec le service juridique.")
    )
    # The pack is built in the background: a page says so, then that it is ready, and the
    # link to download it takes the focus.
    page.get_by_role("link", name="Télécharger le dossier de relecture (PDF)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Votre document est en préparation"
    no_violations(page, "document being prepared")
    work()
    status = page.locator("[data-document-pending] [role=status]")
    status.filter(has_text="Votre document est prêt.").wait_for()
    link = page.locator("[data-document-link]")
    assert link.evaluate("element => element === document.activeElement")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith("-review.pdf")
