"""Page routing: routes name their views by dotted path, resolved at request time, and a page
finds its children in one query (:class:`ChildRouting`).

A page model sits below the views that serve its routes (DESIGN §5: views and admin form the
tier above every package's models and services), so a route must not import its view, not
even inside the method. It names it instead::

    @path("compare/", name="compare_chooser")
    def compare_chooser_route(self, request):
        return view("charte.history.views.compare_chooser")(self, request)

The first request imports the module; later ones reuse the function.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@cache
def view(dotted: str) -> Callable:
    """The callable at ``dotted`` (``package.module.name``), imported once."""
    return import_string(dotted)


class ChildRouting:
    """Wagtail's routing to a child page in one query instead of two, for the children of
    the expected type.

    Wagtail finds the child by its slug, then reads its specific row (``.specific``): two
    queries per level of the address. A page whose children are nearly all of one type names
    it (``child_page_type``, ``"app_label.ModelName"``), and the child is read as that type
    at once: ``/charter/version-2/`` costs one query per level (a query joining every type
    allowed below instead was slower to plan than Wagtail's two). A child of another type
    costs one query more than Wagtail's way (the miss), then is read as Wagtail does.
    Liveness, privacy and the page's own routes are Wagtail's, unchanged.

    Put it just before ``Page`` among the bases (after ``RoutablePageMixin``, whose own routes
    are tried first)."""

    child_page_type = ""

    def route(self, request, path_components):
        if not path_components or not self.child_page_type:
            return super().route(request, path_components)
        model = apps.get_model(self.child_page_type)
        child = model.objects.child_of(self).filter(slug=path_components[0]).first()
        if child is None or child.content_type_id != _content_type_id(model):
            # Another type, or none: Wagtail's way (a 404 for none).
            return super().route(request, path_components)
        child._cached_parent_obj = self
        return child.route(request, path_components[1:])


def _content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk  # kept by Django after the first
