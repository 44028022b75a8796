"""The follow-up in Wagtail's admin: commitments, their updates and indicators, the
consultations' questionnaires."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from charte.follow_up import services


@hooks.register("register_log_actions")
def register_follow_up_log_actions(actions):
    actions.register_action(services.ACTION_UPDATE, _("Publish an update"), _("Update published"))
