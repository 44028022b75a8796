"""Journeys done with the keyboard only, on a phone-sized and on a desktop window: the resident
reaches each control with Tab, acts with Enter, Space or the arrows, and after each action the
focus is where the next step is and what happened is said (a live region, or the focused
element itself). No page of the way scrolls sideways at the phone's width."""

import pytest
from django.contrib.auth import get_user_model

from charte.models import Amendment, Argument, ArgumentSupport, DebatePage
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
