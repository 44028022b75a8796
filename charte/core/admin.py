"""Wagtail admin of what every package relies on: the permissions a group may be given in
Wagtail's group editor (declared in :mod:`charte.core.rules`), and the stylesheet the site's
parts of the admin share. ``charte.wagtail_hooks`` imports it so that Wagtail finds the hooks."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from charte.core import rules


@hooks.register("register_permissions")
def register_grantable_permissions():
    """The abilities a group may be given in Wagtail's group editor."""
    return rules.grantable_permissions()


@hooks.register("insert_global_admin_css")
def site_admin_css():
    """What the site's parts of the admin share with its public pages (the spoken labels of
    word diffs hidden from sight)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
