"""Reads of debates that pages of the texts package show.

texts sits below debates and never imports it: ``CharteConfig.ready()`` hands these
functions to ``charte.texts.reading.READERS``.
"""

from __future__ import annotations

from charte.debates.models import DebatePage


def charter_debates(charter) -> list:
    """The published, public debates of a charter, the latest opened first."""
    return list(DebatePage.objects.child_of(charter).live().public().order_by("-opens_at"))
