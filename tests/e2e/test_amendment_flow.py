"""On a phone, a resident proposes an amendment with its preview; another supports it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections

from charte.models import Amendment, CharterIterationPage, Paragraph

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "une phrase de passe solide"


def sign_in(page, base, email, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + next_path)


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_propose_preview_send_and_support_on_a_phone(live_server, page, browser):
    base = live_server.url
    call_command("seed_demo", verbosity=0)
    for username in ("camille", "jules"):
        user = get_user_model().objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
    v2 = CharterIterationPage.objects.get(
        number=2, locale__language_code="fr", state="consultation"
    )
    fifth = Paragraph.objects.filter(iteration=v2).order_by("position")[4]
    paragraph_path = f"{v2.url}p/{fifth.key}/"

    sign_in(page, base, "camille@demo.example", paragraph_path)
    page.get_by_role("link", name="Proposer un amendement à cet alinéa").click()
    text = page.get_by_label("Rédaction proposée")
    assert text.input_value() == fifth.text  # starts from the current wording
    text.fill(fifth.text.rstrip(".") + ", y compris dans les quartiers.")
    page.get_by_label("Exposé des motifs (pourquoi ce changement ?)").fill(
        "Les quartiers doivent être cités."
    )
    page.get_by_role("button", name="Prévisualiser mon amendement").click()
    preview = page.locator(".amendment-preview .diff")
    assert "y compris dans les quartiers" in preview.locator("ins").inner_text()
    # The preview takes the focus, so that it is read out at once (not the top of the page).
    assert page.evaluate("document.activeElement.id") == "preview-title"
    no_violations(page)
    # Numbered after the charter's amendments so far, online and from its workshops.
    number = Amendment.objects.filter(charter=v2.get_parent()).count() + 1
    page.get_by_role("button", name="Envoyer mon amendement").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith(f"Amendement n° {number} ")
    assert "En attente de réponse" in page.locator("h1").inner_text()
    amendment_path = page.url.removeprefix(base)
    no_violations(page)

    other = browser.new_context(viewport={"width": 390, "height": 844})
    jules = other.new_page()
    sign_in(jules, base, "jules@demo.example", amendment_path)
    jules.get_by_role("button", name="D’accord", exact=True).click()
    jules.wait_for_url(f"{base}{amendment_path}#supports")
    assert "1 d’accord · 0 réservés · 0 pas d’accord" in jules.locator("#supports").inner_text()
    assert (
        jules.get_by_role("button", name="D’accord", exact=True).get_attribute("aria-pressed")
        == "true"
    )
    jules.goto(f"{base}{v2.url}amendments/")
    no_violations(jules)
    other.close()

    amendment = Amendment.objects.get(charter=v2.get_parent(), number=number)
    supports = list(amendment.supports.values_list("user__username", "value"))
    connections.close_all()
    assert supports == [("jules", "agree")]
