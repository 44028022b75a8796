"""Wagtail admin of the abilities every package relies on: the permissions a group may be given
in Wagtail's group editor (declared in :mod:`charte.core.rules`). ``charte.wagtail_hooks``
imports it so that Wagtail finds the hook."""

from wagtail import hooks

from charte.core import rules


@hooks.register("register_permissions")
def register_grantable_permissions():
    """The abilities a group may be given in Wagtail's group editor."""
    return rules.grantable_permissions()
