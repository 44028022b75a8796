from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharteConfig(AppConfig):
    name = "charte"
    verbose_name = _("Participatory charters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .accounts import services as accounts
        from .amendments import export_amendments
        from .comments import erase_author_details, export_comments
        from .debates import export_debates

        accounts.CONTRIBUTION_EXPORTERS["comments"] = export_comments
        accounts.CONTRIBUTION_EXPORTERS["amendments"] = export_amendments
        accounts.CONTRIBUTION_EXPORTERS["debates"] = export_debates
        if erase_author_details not in accounts.PERSONAL_DATA_ERASERS:
            accounts.PERSONAL_DATA_ERASERS.append(erase_author_details)
