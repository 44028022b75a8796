from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from charte.accounts.forms import SIGNUP_PAGES
        from charte.demo.adopted import demo_adopted
        from charte.demo.seed import EXTRA_SEEDERS
        from home import demo, models

        models.connect_signals()  # the footer's cached links follow the pages
        SIGNUP_PAGES["addresses"] = models.signup_addresses  # linked beside the consent
        if demo.demo_institutional not in EXTRA_SEEDERS:
            EXTRA_SEEDERS.append(demo.demo_institutional)  # the demo's identity and pages
        if demo_adopted not in EXTRA_SEEDERS:
            EXTRA_SEEDERS.append(demo_adopted)  # the adopted charter of 2024 and its follow-up
