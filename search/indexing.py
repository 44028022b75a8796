"""Keeping the index current: after a contribution or a page changes and the transaction
commits, a background task (durable queue) recomputes its entries from the database.

Visibility is also checked when searching (pages made private or unpublished drop out at
once); the task then brings the index itself in line.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from . import documents

logger = logging.getLogger(__name__)


def _models():
    from charte.models import Amendment, Argument, Comment, Paragraph

    return {
        "comment": Comment,
        "amendment": Amendment,
        "argument": Argument,
        "paragraph": Paragraph,
        "page": None,  # any page: read as Page, then its specific type
    }


def refresh(kind: str, pk: int, lookups=None) -> int:
    """Recompute the entries of one object (none if it is gone or hidden); returns how many."""
    from wagtail.models import Page

    from . import rebuild
    from .engines import get_engine

    rebuild.note(kind, pk)  # before writing: a rebuild running indexes it again once swapped
    engine = get_engine(for_indexing=True)
    lookups = lookups or documents.Lookups()
    model = _models()[kind]
    if kind == "page":
        page = Page.objects.filter(pk=pk).first()
        obj = page.specific if page else None
    else:
        obj = model.objects.filter(pk=pk).first()
    stale = set(documents.keys_for(kind, obj if obj is not None else _Gone(pk)))
    entries = documents.KINDS[kind][0](obj, lookups) if obj is not None else []
    engine.delete(stale - {e.key for e in entries})
    engine.write(entries)
    if kind == "page" and obj is not None and hasattr(obj, "paragraphs"):
        # An iteration published, translated or unpublished: its paragraphs in every language.
        source = obj.source
        for paragraph_pk in source.paragraphs.values_list("pk", flat=True):
            refresh("paragraph", paragraph_pk, lookups)
    if obj is not None and getattr(type(obj), "discussion_hideable", False):
        # A discussion target that can be hidden (an argument): its discussion is found only
        # while it is shown (entries name it).
        from django.contrib.contenttypes.models import ContentType

        from charte.discussions.models import Comment

        comments = Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
        )
        for comment_pk in comments.values_list("pk", flat=True):
            refresh("comment", comment_pk, lookups)
    if kind == "page" and obj is not None and hasattr(obj, "arguments"):
        # A debate published or unpublished: its arguments.
        for argument_pk in obj.source.arguments.values_list("pk", flat=True):
            refresh("argument", argument_pk, lookups)
    return len(entries)


class _Gone:
    def __init__(self, pk):
        self.pk = pk


MAX_ATTEMPTS = 30


def retry_delay(attempt: int):
    """30 s, 1, 2, 4 … minutes, at most an hour between tries."""
    import datetime

    return datetime.timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


@task(backend="durable")
def refresh_task(kind: str, pk: int, attempt: int = 1) -> int:
    """Run by the worker. While the engine is down the task comes back later, so the index
    catches up when it returns."""
    from django.utils import timezone

    from .engines import EngineUnavailable

    try:
        return refresh(kind, pk)
    except EngineUnavailable:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("Indexing %s %s given up after %s attempts", kind, pk, attempt)
            raise
        delay = retry_delay(attempt)
        logger.warning("Search engine unavailable; indexing %s %s again in %s", kind, pk, delay)
        refresh_task.using(run_after=timezone.now() + delay).enqueue(kind, pk, attempt + 1)
        return 0


def schedule(kind: str, pk: int) -> None:
    """Refresh ``kind``/``pk`` in the background once the current transaction commits."""
    transaction.on_commit(lambda: refresh_task.enqueue(kind, pk))


def _on_change(sender, instance, **kwargs):
    kind = documents.kind_of(instance)
    if kind is not None and instance.pk is not None:
        schedule(kind, instance.pk)


def _on_page_change(sender, instance, **kwargs):
    if documents.kind_of(instance.specific) is not None:
        schedule("page", instance.pk)


def connect_signals():
    from wagtail.signals import page_published, page_unpublished

    from charte.models import (
        Amendment,
        Argument,
        CharterIterationPage,
        CharterPage,
        Comment,
        DebatePage,
        Paragraph,
    )

    for model in (Comment, Amendment, Argument, Paragraph):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"search-delete-{model.__name__}"
        )
    for model in (CharterPage, CharterIterationPage, DebatePage):
        page_published.connect(_on_page_change, sender=model, dispatch_uid=f"search-pub-{model}")
        page_unpublished.connect(
            _on_page_change, sender=model, dispatch_uid=f"search-unpub-{model}"
        )
