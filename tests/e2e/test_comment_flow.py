"""A citizen on a phone comments paragraph 3 of the demo's open version, then replies."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections

from charte.models import Comment, Paragraph

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(live_server, demo_v2):
    v2 = demo_v2
    third = Paragraph.objects.filter(iteration=v2).order_by("position")[2]
    return {
        "base": live_server.url,
        "paragraph": f"{v2.url}p/{third.key}/",
        "pk": third.pk,
        "seeded": list(Comment.objects.values_list("pk", flat=True)),  # the demo's own
    }


def test_comment_and_reply_from_a_phone(demo, page):
    base = demo["base"]
    page.goto(base + demo["paragraph"])
    page.get_by_role("link", name="Se connecter").last.click()
    page.fill("#id_login", "camille@demo.example")
    page.fill("#id_password", "une phrase de passe solide")
    page.click("main button[type=submit]")
    page.wait_for_url(base + demo["paragraph"])

    page.fill("#comment-new", "Il faudrait des ateliers le samedi matin.")
    page.get_by_role("button", name="Publier mon commentaire").click()
    comment = page.locator(".comment").first
    assert "Il faudrait des ateliers le samedi matin." in comment.inner_text()
    assert "Camille des Tilleuls" in comment.inner_text()

    comment.get_by_role("link", name="Répondre").click()
    comment = page.locator(".comment").first
    comment.locator("textarea").fill("Et le mercredi après-midi pour les familles.")
    comment.get_by_role("button", name="Envoyer ma réponse").click()
    assert page.locator(".comment--level-1").inner_text().count("mercredi") == 1

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    texts = list(
        Comment.objects.exclude(pk__in=demo["seeded"])
        .order_by("pk")
        .values_list("comment", "level")
    )
    connections.close_all()  # opened in Playwright's context: close it before teardown
    assert texts == [
        ("Il faudrait des ateliers le samedi matin.", 0),
        ("Et le mercredi après-midi pour les familles.", 1),
    ]


def sign_in(page, base, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_login", "camille@demo.example")
    page.fill("#id_password", "une phrase de passe solide")
    page.click("main button[type=submit]")
    page.wait_for_url(base + next_path)


def test_the_discussion_opens_in_place_on_the_iteration_page(demo, page):
    base, paragraph = demo["base"], demo["paragraph"]
    iteration = paragraph.split("p/")[0]
    sign_in(page, base, iteration)
    page.evaluate("window.notReloaded = true")

    link = page.locator(f'a.charter-paragraph__comments[href^="{paragraph}"]')
    assert link.get_attribute("aria-expanded") == "false"
    link.click()
    panel = page.locator("#discussion-panel")
    heading = panel.get_by_role("heading", level=4)
    assert heading.inner_text().startswith("Discussion (")
    assert link.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "discussion-title"

    panel.locator("#comment-new").fill("Des bancs à l’ombre, devant la mairie.")
    panel.get_by_role("button", name="Publier mon commentaire").click()
    comment = panel.locator(".comment").filter(has_text="Des bancs à l’ombre")
    assert "Camille des Tilleuls" in comment.inner_text()
    assert link.locator(".charter-paragraph__count").inner_text() == "1 commentaire"

    comment.get_by_role("link", name="Répondre").click()
    panel.locator(".comment textarea").fill("Et un point d’eau.")
    panel.get_by_role("button", name="Envoyer ma réponse").click()
    assert "Et un point d’eau." in panel.locator(".comment--level-1").inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert page.url == base + iteration

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # Closing gives the focus back to the link; text typed and not sent survives closing.
    panel.locator("#comment-new").fill("Un brouillon à ne pas perdre")
    panel.get_by_role("button", name="Fermer la discussion").click()
    assert page.locator("#discussion-panel").count() == 0
    assert link.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('charter-paragraph__comments')")
    link.click()
    assert page.locator("#comment-new").input_value() == "Un brouillon à ne pas perdre"

    texts = list(
        Comment.objects.exclude(pk__in=demo["seeded"])
        .order_by("pk")
        .values_list("comment", "level")
    )
    connections.close_all()
    assert texts == [("Des bancs à l’ombre, devant la mairie.", 0), ("Et un point d’eau.", 1)]
