"""Wagtail admin of accounts: how the audit log reads a change of roles (see
:mod:`charte.accounts.audit`). ``charte.wagtail_hooks`` imports it so that Wagtail finds the
hook."""

from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from charte.accounts import admin_views
from charte.accounts.audit import ACTION_GROUP_PERMISSIONS, ACTION_ROLES
from charte.accounts.models import author_type_label
from charte.accounts.services import ACTION_AUTHOR_TYPE_CONFIRM, ACTION_AUTHOR_TYPE_REFUSE
from charte.core.rules import can_confirm_author_type


def _changes(data) -> str:
    parts = []
    if data.get("added"):
        parts.append(gettext("added: %(names)s") % {"names": ", ".join(data["added"])})
    if data.get("removed"):
        parts.append(gettext("removed: %(names)s") % {"names": ", ".join(data["removed"])})
    if data.get("administrator") is True:
        parts.append(gettext("made an administrator"))
    elif data.get("administrator") is False:
        parts.append(gettext("no longer an administrator"))
    return "; ".join(parts)


@hooks.register("register_log_actions")
def register_role_log_actions(actions):
    @actions.register_action(ACTION_ROLES)
    class RolesChanged(LogFormatter):
        label = _("Change an account's roles")

        def format_message(self, log_entry):
            return gettext("Roles of the account changed (%(changes)s)") % {
                "changes": _changes(log_entry.data)
            }

    @actions.register_action(ACTION_GROUP_PERMISSIONS)
    class GroupPermissionsChanged(LogFormatter):
        label = _("Change a group's permissions")

        def format_message(self, log_entry):
            return gettext("Permissions of the group changed (%(changes)s)") % {
                "changes": _changes(log_entry.data)
            }

    @actions.register_action(ACTION_AUTHOR_TYPE_CONFIRM)
    class AuthorTypeConfirmed(LogFormatter):
        label = _("Confirm an author type")

        def format_message(self, log_entry):
            return gettext("Author type confirmed: %(type)s") % {
                "type": author_type_label(log_entry.data.get("author_type", ""))
            }

    @actions.register_action(ACTION_AUTHOR_TYPE_REFUSE)
    class AuthorTypeRefused(LogFormatter):
        label = _("Refuse an author type")

        def format_message(self, log_entry):
            return gettext("Author type refused: %(type)s (%(reason)s)") % {
                "type": author_type_label(log_entry.data.get("author_type", "")),
                "reason": log_entry.data.get("reason", ""),
            }


@hooks.register("register_admin_urls")
def register_author_type_urls():
    return [
        path("charte/author-types/", admin_views.author_types, name="charte_author_types"),
    ]


class AuthorTypesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_confirm_author_type(request.user)


@hooks.register("register_admin_menu_item")
def register_author_types_menu_item():
    return AuthorTypesMenuItem(
        _("Author types"), reverse("charte_author_types"), icon_name="user", order=260
    )
