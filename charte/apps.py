from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharteConfig(AppConfig):
    name = "charte"
    verbose_name = _("Participatory charters")
    default_auto_field = "django.db.models.BigAutoField"
