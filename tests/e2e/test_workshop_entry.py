"""The issue's « done when »: a facilitator enters twenty contributions from a workshop in under
five minutes on a laptop, with the keyboard only. Each note: its paragraph's reference typed,
Tab, the kind chosen with the arrows, Tab, the text, Tab, the rationale, Tab, Enter; the page
comes back with the cursor in the reference field for the next one."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from charte.core import roles
from charte.core.origins import Origin
from charte.models import Amendment, Comment, Paragraph, Workshop
from charte.texts import services
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FIVE_MINUTES = 300
# Per note, besides what is typed: Tab to the kind, at most three arrows, Tab to the text, Tab
# to the rationale, Tab to the button, Enter.
KEYS_PER_NOTE = 8
KINDS = ["comment", "modify", "insert", "delete"]

# Twenty sticky notes: (reference as typed, kind, text, rationale).
NOTES = [
    ("art. 1 § 1", "comment", "Plus de bancs sur la place.", ""),
    ("1.2", "comment", "Les horaires doivent être affichés.", ""),
    ("1.3", "modify", "La commune répond à chaque habitant sous un mois.", "Un délai rassure."),
    ("art. 2 § 1", "comment", "Penser aux personnes âgées.", ""),
    ("2.2", "delete", "", "Redondant avec l’article 1."),
    ("2.3", "insert", "Les réponses sont publiées en ligne.", "Transparence demandée."),
    ("3.1", "comment", "Traduire en langue des signes.", ""),
    ("3.2", "comment", "Associer les écoles.", ""),
    ("art. 3 § 3", "modify", "Le conseil de quartier est consulté.", "Demande unanime."),
    ("4.1", "comment", "Une réunion par trimestre.", ""),
    ("4.2", "comment", "Des permanences le samedi.", ""),
    ("4.3", "delete", "", "Déjà prévu par la loi."),
    ("1.1", "comment", "Et des fontaines.", ""),
    ("2.1", "modify", "Chacun peut participer, quel que soit son âge.", "Inclure les jeunes."),
    ("3.1", "comment", "Des affiches dans les halls.", ""),
    ("4.1", "insert", "Un bilan annuel est présenté.", "Pour suivre les engagements."),
    ("1.2", "comment", "Un numéro de téléphone unique.", ""),
    ("2.3", "comment", "Pas seulement en ligne.", ""),
    ("3.3", "comment", "Des ateliers dans chaque quartier.", ""),
    ("4.2", "comment", "Garder une trace écrite.", ""),
]


@pytest.fixture
def entry(live_server, browser):
    """A charter with a version in consultation (four articles of three paragraphs), a
    workshop, its facilitator signed in with their second factor, on a laptop's window."""
    editor = factories.editor()
    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(
        charter, body=factories.body_with(12, per_article=3), user=editor
    )
    services.iteration_open(iteration=iteration, by=editor)
    facilitator = factories.UserFactory(username="animatrice", role=roles.FACILITATORS)
    EmailAddress.objects.create(
        user=facilitator, email=facilitator.email, verified=True, primary=True
    )
    workshop = Workshop.objects.create(
        charter=charter,
        iteration=iteration,
        title="Atelier du Port",
        starts_at=timezone.now(),
        place="Maison de quartier du Port",
        participants=18,
    )
    workshop.facilitators.add(facilitator)
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    base = live_server.url
    page.goto(f"{base}/admin/")
    page.fill("#id_login", facilitator.email)
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page, f"{base}/admin/workshops/{workshop.pk}/enter/", workshop, iteration


def test_a_facilitator_enters_twenty_notes_with_the_keyboard_in_under_five_minutes(entry):
    page, address, workshop, iteration = entry
    page.goto(address)
    started = time.monotonic()
    keys = []  # presses of keys other than what is typed, per note
    kind = "comment"  # the screen starts on « comment », then keeps the last kind
    for number, (reference, wanted, text, rationale) in enumerate(NOTES, start=1):
        assert page.evaluate("document.activeElement.name") == "reference", number
        presses = 0
        page.keyboard.type(reference)
        if number == 1:
            # As it is typed, the screen says which paragraph the reference designates.
            preview = page.locator("#reference-preview")
            preview.filter(has_text="art. 1 § 1 – Alinéa 1").wait_for()
        page.keyboard.press("Tab")
        presses += 1
        assert page.evaluate("document.activeElement.name") == "kind", number
        for _step in range((KINDS.index(wanted) - KINDS.index(kind)) % len(KINDS)):
            page.keyboard.press("ArrowDown")
            presses += 1
        kind = wanted
        page.keyboard.press("Tab")
        presses += 1
        assert page.evaluate("document.activeElement.name") == "text", number
        page.keyboard.type(text)
        page.keyboard.press("Tab")
        presses += 1
        page.keyboard.type(rationale)
        page.keyboard.press("Tab")
        presses += 1
        assert page.evaluate("document.activeElement.type") == "submit", number
        with page.expect_navigation():
            page.keyboard.press("Enter")
        presses += 1
        keys.append(presses)
        done = page.locator("#entry-done")
        assert f"n° {number} enregistrée sur l’" in done.inner_text(), number
    elapsed = time.monotonic() - started

    assert elapsed < FIVE_MINUTES, elapsed
    assert max(keys) <= KEYS_PER_NOTE, keys
    comments = Comment.objects.filter(workshop=workshop)
    amendments = Amendment.objects.filter(workshop=workshop)
    assert (comments.count(), amendments.count()) == (13, 7)
    assert {c.origin for c in comments} | {a.origin for a in amendments} == {Origin.WORKSHOP}
    # Each on the paragraph its reference named.
    by_pk = {p.pk: p for p in Paragraph.objects.filter(iteration=iteration)}
    entered = sorted(
        [(c.submit_date, by_pk[int(c.object_pk)], "comment", c.comment) for c in comments]
        + [(a.created_at, a.paragraph, a.kind, a.text) for a in amendments],
        key=lambda row: row[0],
    )
    for (reference, kind, text, _rationale), (_when, paragraph, got_kind, got_text) in zip(
        NOTES, entered, strict=True
    ):
        article, number = reference.replace("art. ", "").replace(" § ", ".").split(".")
        assert (paragraph.article_number, paragraph.number) == (int(article), int(number))
        assert (got_kind, got_text) == (kind, text)
    listing = page.locator("#entries-title + p").inner_text()
    assert listing == "13 commentaires · 7 amendements"
