"""A confirmation shows where the action was: reporting a comment far down a thread comes back
with « Thank you » beside that comment, in view and spoken, not at the top of the page."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from charte.discussions.services import comment_post
from charte.models import Paragraph
from tests.e2e.demo import sign_in_as_camille

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_report_is_confirmed_beside_the_comment(live_server, page, demo_v2):
    v2 = demo_v2
    paragraph = Paragraph.objects.filter(iteration=v2).order_by("position")[4]
    jules = get_user_model().objects.get(username="jules")
    comments = [
        comment_post(paragraph=paragraph, by=jules, text=f"Avis numéro {n} " + "blabla " * 60)
        for n in range(12)
    ]
    last = comments[-1]
    connections.close_all()
    base = live_server.url
    thread = f"{base}{v2.url}p/{paragraph.key}/"
    page.goto(f"{base}/accounts/login/?next={v2.url}p/{paragraph.key}/")
    sign_in_as_camille(page)
    page.wait_for_url(thread)
    page.goto(f"{thread}?report={last.pk}#c{last.pk}")
    page.select_option(f"#reason-{last.pk}", index=1)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_url(f"{thread}#c{last.pk}")
    message = page.locator(".messages")
    message.wait_for()
    page.wait_for_timeout(500)  # the confirmation is put back, then brought into view
    assert "les modérateurs" in message.inner_text()
    # Beside the comment reported, in view, and spoken once the page has loaded.
    assert page.evaluate(f"document.querySelector('#c{last.pk} .messages') !== null")
    box = message.bounding_box()
    assert -1 < box["y"] < page.viewport_size["height"]  # at the top of the window
    announced = page.locator("body > [role=status].visually-hidden")
    assert "les modérateurs" in announced.inner_text()
