"""The follow-up's « done when », in a phone-sized browser.

A resident whose amendment on article 2 was accepted before the adoption opens the follow-up
page on a phone, sees the commitment of the article they amended marked as such, opens it, sees
where it came from (their amendment), follows it; the team publishes an update and, once the
queue has run, the resident has the e-mail with the update's text and the link to it. Both
pages have no axe-core violation.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from charte.amendments.models import Service
from charte.amendments.services import amendment_answer, amendment_propose
from charte.follow_up import services as follow_up
from charte.follow_up.models import CommitmentStatus
from charte.models import Paragraph
from charte.texts import services
from tests import factories
from tests.charte.review.test_adoption import adopt
from tests.worker import work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "une phrase de passe solide"


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def adopted_with_my_amendment(live_server):
    """A charter whose first version was consulted (Léa's amendment on article 2, accepted)
    and adopted; two published commitments, on articles 1 and 2."""
    editor = factories.editor()
    charter = factories.make_charter(title="Charte de la vie associative", user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    lea = factories.UserFactory(
        username="lea", email="lea@example.org", pseudonym="Léa du Port", preferred_language="fr"
    )
    lea.set_password(PASSWORD)
    lea.save()
    EmailAddress.objects.create(user=lea, email=lea.email, verified=True, primary=True)
    article_2 = Paragraph.objects.filter(iteration=iteration, article_number=2).first()
    amendment = amendment_propose(
        paragraph=article_2,
        by=lea,
        kind="modify",
        text="Un budget participatif réservé aux associations de quartier.",
        rationale="Les petites associations n’ont pas de budget.",
    )
    amendment_answer(
        amendment=amendment,
        status="accepted",
        response="Retenu : le budget est inscrit dans l’article 2.",
        by=editor,
    )
    services.iteration_close(iteration=iteration, by=editor)
    adopt(iteration, editor)
    follow_up.commitment_create(
        charter=charter,
        article_number=1,
        title="Un calendrier public des conseils de quartier",
        description="Publié chaque janvier.",
        is_published=True,
        by=editor,
    )
    budget = follow_up.commitment_create(
        charter=charter,
        article_number=2,
        title="Un budget participatif associatif",
        description="50 000 € par an, votés par les associations.",
        service=Service.objects.create(name="Vie associative"),
        status=CommitmentStatus.IN_PROGRESS,
        progress=20,
        is_published=True,
        by=editor,
    )
    return {"charter": charter, "amendment": amendment, "budget": budget, "editor": editor}


def test_a_resident_follows_the_commitment_of_the_article_they_amended(
    live_server, page, adopted_with_my_amendment
):
    base = live_server.url
    charter = adopted_with_my_amendment["charter"]
    budget = adopted_with_my_amendment["budget"]
    amendment = adopted_with_my_amendment["amendment"]
    follow_up_path = charter.route_url("follow_up")

    page.goto(f"{base}/accounts/login/?next={follow_up_path}")
    page.fill("#id_login", "lea@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + follow_up_path)

    # The follow-up page: her article's commitment marked, on a phone.
    assert page.locator("h1").inner_text() == "Suivi des engagements"
    assert "Vous avez proposé des amendements sur l’article 2." in page.locator("main").inner_text()
    card = page.locator(f"#commitment-{budget.number}")
    assert "Vous avez amendé cet article" in card.inner_text()
    assert "20 % réalisé" in card.inner_text()
    other = page.locator(".commitment-card").filter(has_text="calendrier public")
    assert "Vous avez amendé" not in other.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    no_violations(page)

    # Its page: where it came from, her amendment among it.
    card.get_by_role("link").click()
    page.wait_for_url(base + budget.get_url())
    origins = page.locator(".commitment-origins")
    assert f"Amendement n° {amendment.number}" in origins.inner_text()
    assert "Votre amendement" in origins.inner_text()
    assert "Un budget participatif réservé aux associations" in origins.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    no_violations(page)

    # She follows it.
    button = page.get_by_role("button", name="Suivre cet engagement")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    page.wait_for_url(re.compile(r".*#follow$"))
    pressed = page.locator(".commitment-follow button")
    assert pressed.get_attribute("aria-pressed") == "true"
    assert "Vous suivez cet engagement" in page.locator(".messages, main").first.inner_text()

    # The team publishes an update; once the queue has run, she has it by e-mail.
    mail.outbox.clear()
    follow_up.update_publish(
        commitment=budget,
        text="Le premier appel à projets est ouvert jusqu’au 30 avril.",
        progress=35,
        by=adopted_with_my_amendment["editor"],
    )
    work()
    # (The queue also sends what was waiting: the answer to her amendment, the adoption.)
    (message,) = [m for m in mail.outbox if budget.title in m.subject]
    assert message.to == ["lea@example.org"]
    assert "Le premier appel à projets est ouvert jusqu’au 30 avril." in message.body
    assert budget.get_url() in message.body
    link = re.search(r"https?://\S+/follow-up/\d+/", message.body).group(0)
    page.goto(base + "/" + link.split("/", 3)[3])
    assert (
        "Le premier appel à projets est ouvert" in page.locator(".commitment-timeline").inner_text()
    )
    assert "35 % réalisé" in page.locator("main").inner_text()
