"""Wagtail admin of moderation: the moderators' queue (its admin URL) and its menu item, shown
to moderators only. ``charte.wagtail_hooks`` imports it so that Wagtail finds the hooks."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from charte.core.rules import is_moderator
from charte.discussions.models import ModerationAction
from charte.moderation import views as moderation_views
from charte.moderation.services import LOG_ACTIONS


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path("charte/moderation/", moderation_views.queue, name="charte_moderation"),
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        _("Moderation"), reverse("charte_moderation"), icon_name="warning", order=250
    )


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    labels = {
        ModerationAction.APPROVE: (_("Approve a contribution"), _("Contribution approved")),
        ModerationAction.HIDE: (_("Hide a contribution"), _("Contribution hidden")),
        ModerationAction.RESTORE: (_("Restore a contribution"), _("Contribution restored")),
        ModerationAction.AUTO_HIDE: (
            _("Hide a contribution after reports"),
            _("Contribution hidden automatically after reports"),
        ),
        ModerationAction.BLOCK: (_("Block an account"), _("Account blocked")),
        ModerationAction.UNBLOCK: (_("Unblock an account"), _("Account unblocked")),
    }
    for action, (label, message) in labels.items():
        actions.register_action(LOG_ACTIONS[action], label, message)
