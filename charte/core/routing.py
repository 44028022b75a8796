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

from django.utils.module_loading import import_string


@cache
def view(dotted: str) -> Callable:
    """The callable at ``dotted`` (``package.module.name``), imported once."""
    return import_string(dotted)
