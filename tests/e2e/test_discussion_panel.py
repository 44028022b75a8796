"""The discussion panel of the iteration page, by keyboard: reacting or replying in it keeps the
comment being written; a refused comment gives the focus back to its box."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from charte.discussions.services import comment_post
from charte.models import Paragraph
from tests.e2e.demo import sign_in_as_camille

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WRITING = "Des bancs à l’ombre, et des fontaines."


def test_the_panel_keeps_what_is_being_written_and_the_focus_where_it_belongs(
    live_server, page, demo_v2
):
    paragraph = Paragraph.objects.filter(iteration=demo_v2).order_by("position")[3]
    jules = get_user_model().objects.get(username="jules")
    other = comment_post(paragraph=paragraph, by=jules, text="Plus d’arbres dans la cour.")
    connections.close_all()
    base = live_server.url
    page.goto(f"{base}/accounts/login/?next={demo_v2.url}")
    sign_in_as_camille(page)
    page.wait_for_url(base + demo_v2.url)
    page.locator(f'a.charter-paragraph__comments[href^="{demo_v2.url}p/{paragraph.key}/"]').click()
    panel = page.locator("#discussion-panel")
    box = panel.locator("#comment-new")
    box.fill(WRITING)

    # Agreeing with another comment reloads the panel: the text stays, the toggle is pressed.
    agree = panel.locator(f"#c{other.pk}").get_by_role("button", name="D’accord (0)", exact=True)
    agree.press("Enter")
    pressed = panel.locator(f"#c{other.pk}").get_by_role("button", name="D’accord (1)", exact=True)
    pressed.wait_for()
    assert pressed.get_attribute("aria-pressed") == "true"
    assert box.input_value() == WRITING

    # Opening a reply form reloads it too: the text stays in its own box.
    panel.locator(f"#c{other.pk}").get_by_role("link", name="Répondre").press("Enter")
    panel.locator(f"#comment-{other.pk}").wait_for()
    assert box.input_value() == WRITING

    # A refused comment (an empty reply) gives the focus back to the box, not the heading.
    panel.locator(f"#comment-{other.pk}").fill(" ")
    panel.get_by_role("button", name="Envoyer ma réponse").press("Enter")
    panel.locator(f"#comment-error-{other.pk}").wait_for()
    assert page.evaluate("document.activeElement.id") == f"comment-{other.pk}"
    assert box.input_value() == WRITING
