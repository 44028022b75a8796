"""Wagtail admin of accounts: how the audit log reads a change of roles (see
:mod:`charte.accounts.audit`). ``charte.wagtail_hooks`` imports it so that Wagtail finds the
hook."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from charte.accounts.audit import ACTION_GROUP_PERMISSIONS, ACTION_ROLES


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
