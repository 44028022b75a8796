"""Journeys done with the keyboard only, on a phone-sized and on a desktop window: the resident
reaches each control with Tab, acts with Enter, Space or the arrows, and after each action the
focus is where the next step is and what happened is said (a live region, or the focused
element itself). No page of the way scrolls sideways at the phone's width."""

import re

import pytest
from django.contrib.auth import get_user_model

from charte.models import (
    Amendment,
    Argument,
    ArgumentSupport,
    Comment,
    DebatePage,
    Paragraph,
    ThreadFollow,
)
from tests.e2e.demo import RESIDENT_PASSWORD, sign_in_as_camille
from tests.e2e.test_accessibility import demo  # noqa: F401  (the fixture)
from tests.e2e.test_debate_flow import no_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIZES = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1280, "height": 800}}


def focused(page, selector):
    return page.locator(selector).evaluate("element => element === document.activeElement")


def tab_to(page, locator, most=80):
    """Press Tab until ``locator`` has the focus; the number of presses it took. Fails when it
    is not reached: a control the keyboard cannot reach."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"not reached with {most} presses of Tab: {locator}")


def press_and_wait(page, key):
    """Press ``key`` on the focused control, which sends a form: wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def announced(page, text):
    """``text`` is in a live region of the page (role status or alert), as a screen reader
    says it without the focus moving there."""
    page.locator("[role=status], [role=alert]").filter(has_text=text).first.wait_for()


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.fixture(params=SIZES)
def window(request, browser):
    size = SIZES[request.param]
    page = browser.new_context(viewport=size).new_page()
    page.set_default_timeout(20_000)
    return page, size["width"]


def sign_in(page, base, address):
    camille = get_user_model().objects.get(username="camille")
    camille.set_password(RESIDENT_PASSWORD)
    camille.save()
    page.goto(f"{base}/accounts/login/?next={address}")
    sign_in_as_camille(page)
    page.wait_for_url(f"{base}{address}")


def test_search_and_its_facets_with_the_keyboard(demo, window):  # noqa: F811
    page, width = window
    page.goto(demo["base"] + "/")
    box = page.get_by_role("searchbox", name="Rechercher dans toutes les contributions")
    assert tab_to(page, box) <= 6  # the skip link, the site name, the menu, then the search
    page.keyboard.type("participation des jeunes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=participation+des+jeunes")
    no_sideways_scroll(page, width)
    # « Aller aux résultats » comes first, and leads to them: the first result is one Tab away.
    skip = page.get_by_role("link", name="Aller aux résultats")
    assert tab_to(page, skip) == 2  # after « Aller au contenu »
    page.keyboard.press("Enter")
    first = page.locator(".search-hit h3 a").first
    assert tab_to(page, first) == 1
    # A facet, reached and chosen with the keyboard, narrows the results.
    facet = page.locator(".search-facets").get_by_role("link", name="Commentaires")
    tab_to(page, facet, most=60)
    page.keyboard.press("Enter")
    page.wait_for_url("**kind=comment**")
    titles = page.locator(".search-hit h3").all_inner_texts()
    assert titles and all("Commentaire sur" in title for title in titles)
    chosen = page.locator(".search-facets [aria-current=true]")
    assert "Commentaires" in chosen.first.inner_text()
    no_sideways_scroll(page, width)
    no_violations(page, "search with a facet")


def test_support_an_amendment_with_the_keyboard(demo, window):  # noqa: F811
    page, width = window
    amendment = Amendment.objects.filter(iteration=demo["v2"], status="submitted").exclude(
        author__username="camille"
    )[0]
    address = amendment.get_url()
    sign_in(page, demo["base"], address)
    agree = page.locator(".support-form button.support--agree")
    tab_to(page, agree, most=120)
    assert agree.get_attribute("aria-pressed") == "false"
    press_and_wait(page, "Enter")
    # The page comes back at the supports, says what was recorded, and the button says it is
    # pressed.
    assert page.evaluate("location.hash") == "#supports"
    announced(page, "Votre position est enregistrée")
    assert page.locator(".support-form button.support--agree").get_attribute("aria-pressed") == (
        "true"
    )
    camille = get_user_model().objects.get(username="camille")
    assert camille.amendment_supports.get(amendment=amendment).value == "agree"
    no_sideways_scroll(page, width)
    no_violations(page, "amendment supported")


def test_argue_and_support_an_argument_with_the_keyboard(demo, window):  # noqa: F811
    page, width = window
    debate = DebatePage.objects.get(locale__language_code="fr")
    sign_in(page, demo["base"], debate.url)
    # Sent with nothing chosen nor written: the error summary takes the focus and lists both
    # problems, each leading to its field.
    send = page.get_by_role("button", name="Publier mon argument")
    tab_to(page, page.locator("#argue-side-for"), most=150)
    page.keyboard.press("Tab")  # out of the radio group: to the title
    page.keyboard.press("Tab")  # to the text
    page.keyboard.press("Tab")  # to « follow the comments on my argument »
    assert focused(page, "#argue-follow")
    page.keyboard.press("Tab")  # to the button
    assert send.evaluate("element => element === document.activeElement")
    press_and_wait(page, "Enter")
    assert focused(page, "[data-error-summary]")
    links = page.locator("[data-error-summary] a")
    assert links.count() >= 3
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first error: the side
    assert focused(page, "#argue-side-for")
    # Chosen with the arrows, as a radio group is, then written and sent.
    page.keyboard.press("ArrowDown")
    assert page.locator("#argue-side-against").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Des réunions trop tardives")
    page.keyboard.press("Tab")
    page.keyboard.type("À 20 h, les lycéens qui prennent le car ne peuvent pas venir.")
    page.keyboard.press("Tab")  # « follow », left as it is
    page.keyboard.press("Tab")
    press_and_wait(page, "Enter")
    mine = Argument.objects.get(author__username="camille", title="Des réunions trop tardives")
    assert mine.side == "against"
    announced(page, "Votre argument est publié.")
    no_sideways_scroll(page, width)

    # Support an argument for, from the debate: back on its button, said pressed.
    others = Argument.objects.filter(debate=debate, side="for")
    other = others.exclude(author__username="camille")[0]
    # (In the demo Camille supports it already: not any more, before the page opens.)
    ArgumentSupport.objects.filter(argument=other, user__username="camille").delete()
    page.goto(f"{demo['base']}{debate.url}")
    button = page.locator(f"#argument-{other.pk} button.support")
    assert button.get_attribute("aria-pressed") == "false"
    if width < 600:  # on a phone the columns are tabs: the « for » tab is the one shown
        assert page.locator("#side-for").is_visible()
    tab_to(page, button, most=150)
    press_and_wait(page, "Enter")
    assert ArgumentSupport.objects.filter(argument=other, user__username="camille").exists()
    button = page.locator(f"#argument-{other.pk} button.support")
    assert button.get_attribute("aria-pressed") == "true"
    announced(page, "Vous soutenez cet argument.")
    no_sideways_scroll(page, width)
    no_violations(page, "argument supported")


def test_comment_reply_react_and_report_with_the_keyboard(demo, window):  # noqa: F811
    page, width = window
    other = (
        Comment.objects.filter(is_public=True, is_removed=False, level=0)
        .exclude(user__username="camille")
        .order_by("pk")
        .first()
    )
    paragraph = Paragraph.objects.get(pk=other.object_pk)
    if paragraph.iteration_id != demo["v2"].pk:  # a comment of the open version
        other = Comment.objects.filter(
            object_pk__in=[str(p) for p in demo["v2"].paragraphs.values_list("pk", flat=True)],
            level=0,
            is_public=True,
        ).exclude(user__username="camille")[0]
        paragraph = Paragraph.objects.get(pk=other.object_pk)
    address = paragraph.get_url()
    sign_in(page, demo["base"], address)

    # A comment: the box reached with Tab, typed, sent with Enter from its button.
    box = page.locator("#comment-new")
    tab_to(page, box, most=200)
    page.keyboard.type("Des ateliers le samedi matin, au clavier.")
    page.keyboard.press("Tab")  # « follow this discussion », ticked with the space bar
    assert focused(page, "#follow-new")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page, "#comment-new ~ button, form:has(#comment-new) button[type=submit]")
    press_and_wait(page, "Enter")
    mine = Comment.objects.get(user__username="camille", comment__contains="au clavier")
    assert page.evaluate("location.hash") == f"#c{mine.pk}"
    assert "au clavier" in page.locator(f"#c{mine.pk}").inner_text()
    assert ThreadFollow.objects.filter(user__username="camille", object_id=paragraph.pk).exists()

    # A reply: « Répondre » leads to the reply box, which has the focus: typed at once.
    reply = page.locator(f"#c{other.pk}").get_by_role("link", name=re.compile("^Répondre"))
    tab_to(page, reply, most=200)
    press_and_wait(page, "Enter")
    assert focused(page, f"#comment-{other.pk}")
    page.keyboard.type("Et le mercredi, au clavier aussi.")
    page.keyboard.press("Tab")
    press_and_wait(page, "Enter")
    assert Comment.objects.filter(parent_id=other.pk, comment__contains="mercredi").exists()

    # Agree: the toggle says it is pressed once pressed.
    agree = page.locator(f"#c{other.pk} form[action$='/agree/'] button")
    tab_to(page, agree, most=200)
    assert agree.get_attribute("aria-pressed") == "false"
    press_and_wait(page, "Space")
    assert page.locator(f"#c{other.pk} form[action$='/agree/'] button").get_attribute(
        "aria-pressed"
    ) == ("true")

    # Report: the link leads to the form, whose first field is the next Tab; sent without a
    # reason, the focus is taken back to the field, the details kept; with one, thanks are
    # said.
    report = page.locator(f"#c{other.pk}").get_by_role("link", name=re.compile("^Signaler"))
    tab_to(page, report, most=200)
    press_and_wait(page, "Enter")
    reason = page.locator(f"#reason-{other.pk}")
    assert tab_to(page, reason, most=1) == 1
    page.keyboard.press("Tab")  # the details
    page.keyboard.type("Hors sujet ?")
    page.keyboard.press("Tab")  # the button
    page.keyboard.press("Enter")  # no reason chosen: the browser says so, on the field
    assert focused(page, f"#reason-{other.pk}")
    assert page.locator(f"#details-{other.pk}").input_value() == "Hors sujet ?"
    page.keyboard.press("ArrowDown")  # the first reason
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    press_and_wait(page, "Enter")
    announced(page, "Merci\u00a0: les modérateurs vont l’examiner.")
    no_sideways_scroll(page, width)
    no_violations(page, "after a report")


def test_propose_an_amendment_with_its_preview_with_the_keyboard(demo, window):  # noqa: F811
    page, width = window
    rows = list(demo["v2"].paragraphs.order_by("position"))
    paragraph = rows[4]
    sign_in(page, demo["base"], paragraph.get_url())
    propose = page.get_by_role("link", name="Proposer un amendement à cet alinéa")
    tab_to(page, propose, most=200)
    press_and_wait(page, "Enter")
    # The kind, chosen with the arrows; the wording, from the current one, changed at its end.
    kind = page.locator("input[name=kind]").first
    tab_to(page, kind, most=200)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the wording
    assert focused(page, "#amendment-text")
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type(" Y compris dans les quartiers.")
    page.keyboard.press("Tab")
    assert focused(page, "#amendment-rationale")
    page.keyboard.type("Les quartiers doivent être cités.")
    page.keyboard.press("Tab")  # « Prévisualiser mon amendement »
    press_and_wait(page, "Enter")
    # The preview has the focus (it is read at once); sending is the next controls away.
    assert focused(page, "#preview-title")
    assert "Y compris dans les quartiers" in page.locator(".amendment-preview ins").inner_text()
    send = page.get_by_role("button", name="Envoyer mon amendement")
    tab_to(page, send, most=12)
    press_and_wait(page, "Enter")
    mine = Amendment.objects.get(author__username="camille", rationale__startswith="Les quartiers")
    assert page.locator("h1").inner_text().startswith(f"Amendement n° {mine.number}")
    assert mine.text.endswith("Y compris dans les quartiers.")
    no_sideways_scroll(page, width)
    no_violations(page, "amendment sent")
