"""The demo as the browser tests use it: loaded, with a resident who can sign in."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from charte.models import CharterIterationPage

RESIDENT_PASSWORD = "une phrase de passe solide"


def load_demo():
    """Load the demo and give its resident Camille a known password; its open version 2."""
    call_command("seed_demo", verbosity=0)
    citizen = get_user_model().objects.get(username="camille")
    citizen.set_password(RESIDENT_PASSWORD)
    citizen.save()
    # The demo's other charter, adopted in 2024, has a version 2 too: not in consultation.
    return CharterIterationPage.objects.get(
        number=2, locale__language_code="fr", state="consultation"
    )


def sign_in_as_camille(page):
    """Fill the sign-in form the page shows with Camille's e-mail and password, and send it."""
    page.fill("#id_login", "camille@demo.example")
    page.fill("#id_password", RESIDENT_PASSWORD)
    page.click("main button[type=submit]")
