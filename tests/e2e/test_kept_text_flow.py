"""A resident writes in the discussion panel of the iteration page, is signed out in another tab
meanwhile, sends: the panel says the text is kept, and signing in again leads to the paragraph's
page with the text back in the form, not sent."""

import pytest
from django.db import connections

from charte.models import Comment, Paragraph
from tests.e2e.demo import sign_in_as_camille

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPED = "Des bancs « à l’ombre »,\npas seulement l’été."


@pytest.fixture
def demo(live_server, demo_v2):
    third = Paragraph.objects.filter(iteration=demo_v2).order_by("position")[2]
    return {
        "base": live_server.url,
        "iteration": demo_v2.url,
        "paragraph": f"{demo_v2.url}p/{third.key}/",
    }


def sign_out_elsewhere(page, base):
    """What signing out in another tab does: the sign-out form posted with the browser's own
    cookies (its session and CSRF token), while this page stays as it is. (A second tab
    closed at once after its sign-out could leave Chromium waiting for ever.)"""
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    response = page.context.request.post(
        f"{base}/accounts/logout/",
        form={"csrfmiddlewaretoken": cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/logout/"},
        max_redirects=0,
    )
    assert response.status == 302, response.text()[:500]


def test_text_sent_from_the_panel_after_signing_out_elsewhere_comes_back(demo, page):
    base, iteration, paragraph = demo["base"], demo["iteration"], demo["paragraph"]
    page.goto(f"{base}/accounts/login/?next={iteration}")
    sign_in_as_camille(page)
    page.wait_for_url(base + iteration)
    page.locator(f'a.charter-paragraph__comments[href^="{paragraph}"]').click()
    panel = page.locator("#discussion-panel")
    panel.locator("#comment-new").fill(TYPED)

    sign_out_elsewhere(page, base)

    panel.get_by_role("button", name="Publier mon commentaire").click()
    notice = panel.locator(".notice--kept")
    notice.wait_for()
    assert panel.locator("#typed-text").input_value() == TYPED  # still before their eyes
    notice.get_by_role("link", name="Se connecter").click()
    sign_in_as_camille(page)
    page.wait_for_url(f"{base}{paragraph}#kept-text")
    assert page.locator("#comment-new").input_value() == TYPED
    assert page.locator("#kept-text").is_visible()
    sent = Comment.objects.filter(comment=TYPED).exists()
    connections.close_all()  # opened in Playwright's context: close it before teardown
    assert not sent
