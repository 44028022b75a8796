"""Page routes name their views by dotted path, resolved at request time.

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

from django.http import Http404
from django.utils.module_loading import import_string

from charte.core.locales import remember


@cache
def view(dotted: str) -> Callable:
    """The callable at ``dotted`` (``package.module.name``), imported once."""
    return import_string(dotted)


class ChildRouting:
    """Wagtail's routing to a child page in one query instead of two.

    Wagtail finds the child by its slug, then reads its specific row (``.specific``): two
    queries per level of the address. A page whose children are of a few known types reads
    the child together with their rows (a join per type allowed below it), so the address
    ``/fr/charter/version-2/`` costs one query per level. The child's locale comes with it and
    is kept for the request (:mod:`charte.core.locales`). A child of another type (one that is
    no longer allowed below, or that inherits from an allowed type) is read as Wagtail does.
    Liveness, privacy and the page's own routes are Wagtail's, unchanged.

    Put it just before ``Page`` among the bases (after ``RoutablePageMixin``, whose own routes
    are tried first)."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        joins = _child_joins(type(self))
        child = (
            self.get_children()
            .filter(slug=path_components[0])
            .select_related("locale", *joins)
            .first()
        )
        if child is None:
            raise Http404
        remember(child.locale)
        child._cached_parent_obj = self
        specific = _joined_specific(child, joins)
        specific._cached_parent_obj = self
        return specific.route(request, path_components[1:])


@cache
def _child_joins(model) -> dict:
    """The page types allowed below ``model`` that extend Wagtail's page directly, by the
    name that joins their row to the page's."""
    from wagtail.models import Page

    joins = {}
    for child_model in model.allowed_subpage_models():
        link = child_model._meta.parents.get(Page)
        if link is not None and child_model._meta.get_parent_list() == [Page]:
            joins[link.remote_field.get_accessor_name()] = child_model
    return joins


def _joined_specific(child, joins: dict):
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(child.content_type_id).model_class()
    for accessor, joined_model in joins.items():
        if joined_model is model:
            specific = getattr(child, accessor, None)
            if specific is not None:
                return specific
    return child.specific
