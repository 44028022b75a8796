from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharteConfig(AppConfig):
    name = "charte"
    verbose_name = _("Participatory charters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every permission rule lives in one module; it registers itself with django-rules on
        # import (the rules app's autodiscovery only looks for a top-level ``rules`` module).
        from charte.accounts import services as accounts
        from charte.amendments.services import export_amendments
        from charte.core import rules  # noqa: F401
        from charte.debates.services import export_debates
        from charte.discussions.services import erase_author_details, export_comments

        accounts.CONTRIBUTION_EXPORTERS["comments"] = export_comments
        accounts.CONTRIBUTION_EXPORTERS["amendments"] = export_amendments
        accounts.CONTRIBUTION_EXPORTERS["debates"] = export_debates
        if erase_author_details not in accounts.PERSONAL_DATA_ERASERS:
            accounts.PERSONAL_DATA_ERASERS.append(erase_author_details)
