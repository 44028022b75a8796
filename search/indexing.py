"""Keeping the index current: after a contribution or a page changes and the transaction
commits, a background task (durable queue) recomputes its entries from the database.

What one transaction changes is refreshed together: one task for one object, otherwise one task
per TASK_SIZE objects, on the ``search`` queue (its own workers: e-mail never waits for it).
The task also refreshes every entry that copies a fact of what changed
(a page: everything read under it and its translations; a discussion target: its comments).
Writes that send no model signal send one of charte's (``texts.paragraphs.paragraphs_frozen``).

Visibility is also checked when searching (pages made private or unpublished drop out at
once); the task then brings the index itself in line.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import task

from . import documents

logger = logging.getLogger(__name__)


def _models():
    from charte.follow_up.models import Commitment
    from charte.models import Amendment, Argument, Comment, Paragraph

    return {
        "comment": Comment,
        "amendment": Amendment,
        "argument": Argument,
        "commitment": Commitment,
        "paragraph": Paragraph,
        "page": None,  # any page: read as Page, then its specific type
    }


BATCH = 500  # objects recomputed together (one read of what they share, one engine write)
# Objects named by one background task at most: a version of 1,000 paragraphs is four tasks,
# which several workers of the search queue share, and a comment's refresh queued behind them
# waits for one of them, not for the whole version.
TASK_SIZE = 250


def refresh(kind: str, pk: int, lookups=None) -> int:
    """Recompute the entries of one object (none if it is gone or hidden) and of what copies
    its facts; returns how many entries were written."""
    return refresh_many({kind: [pk]}, lookups)


def refresh_many(items: dict, lookups=None) -> int:
    """Recompute the entries of these objects (``{kind: [pk, …]}``) and of every entry that
    copies what they show (a page's title: everything read under it and its translations; a
    discussion target's title: the comments on it), in batches; returns how many entries
    were written. An object gone, hidden or private loses its entries."""
    from . import rebuild
    from .engines import get_engine

    engine = get_engine(for_indexing=True)
    visible = lookups.visible_ids if lookups is not None else documents.public_page_ids()
    todo = expand(items)
    rebuild.note_many(todo)  # before writing: a rebuild running indexes them again once swapped
    written = 0
    for kind in documents.KINDS:
        pks = sorted(todo.get(kind, ()))
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            batch_lookups = documents.Lookups(visible)
            objects = _objects(kind, chunk)
            batch_lookups.prefetch(list(objects.values()))
            entries, stale = [], set()
            for pk in chunk:
                obj = objects.get(pk)
                stale.update(documents.keys_for(kind, obj if obj is not None else _Gone(pk)))
                if obj is not None:
                    entries += documents.KINDS[kind][0](obj, batch_lookups)
            engine.delete(stale - {entry.key for entry in entries})
            engine.write(entries)
            written += len(entries)
    return written


def _objects(kind: str, pks) -> dict:
    """The objects of ``kind`` among ``pks`` that may have entries, read as a rebuild reads
    them (a comment hidden or deleted is not among them)."""
    from wagtail.models import Page

    if kind == "page":
        return {page.pk: page for page in Page.objects.filter(pk__in=pks).specific()}
    return {obj.pk: obj for obj in documents.KINDS[kind][1]().filter(pk__in=pks)}


def expand(items: dict) -> dict:
    """``items`` (``{kind: [pk, …]}``) and every object whose entries copy their facts."""
    todo = {kind: {int(pk) for pk in pks} for kind, pks in items.items() if kind in _models()}
    if todo.get("page"):
        for kind, pks in page_dependents(todo["page"]).items():
            todo.setdefault(kind, set()).update(pks)
    for kind in RENAMED_TARGETS:
        if todo.get(kind):
            todo.setdefault("comment", set()).update(comments_on(_models()[kind], todo[kind]))
    return todo


#: The discussion targets whose title or visibility may change on their own, and whose
#: comments' entries (which name them) are recomputed with them.
RENAMED_TARGETS = ("amendment", "argument", "commitment")


def comments_on(model, pks) -> list[int]:
    """The comments on these discussion targets (their entries name the target)."""
    from django.contrib.contenttypes.models import ContentType

    from charte.discussions.models import Comment

    content_type = ContentType.objects.get_for_model(model)
    names = [str(pk) for pk in pks]
    found = []
    for start in range(0, len(names), TASK_SIZE):
        found += Comment.objects.filter(
            content_type=content_type, object_pk__in=names[start : start + TASK_SIZE]
        ).values_list("pk", flat=True)
    return found


def page_dependents(page_pks) -> dict:
    """Everything whose entries copy what these pages show: the charter, version and debate
    pages under them (and their translations), the paragraphs, amendments, arguments and
    commitments read on those pages, and the comments on them."""
    from django.db.models import Q
    from wagtail.models import Page

    from charte.follow_up.models import Commitment
    from charte.models import (
        Amendment,
        Argument,
        CharterIterationPage,
        CharterPage,
        DebatePage,
        Paragraph,
    )

    roots = list(Page.objects.filter(pk__in=page_pks).values_list("path", flat=True))
    if not roots:
        return {}
    under = Q()
    for path in roots:
        under |= Q(path__startswith=path)
    keys = Page.objects.filter(under).values("translation_key")
    pages = list(
        Page.objects.type(CharterPage, CharterIterationPage, DebatePage)
        .filter(Q(under) | Q(translation_key__in=keys))
        .values_list("pk", flat=True)
    )
    paragraphs = list(Paragraph.objects.filter(iteration_id__in=pages).values_list("pk", flat=True))
    amendments = list(Amendment.objects.filter(iteration_id__in=pages).values_list("pk", flat=True))
    arguments = list(Argument.objects.filter(debate_id__in=pages).values_list("pk", flat=True))
    commitments = list(Commitment.objects.filter(charter_id__in=pages).values_list("pk", flat=True))
    comments = [
        *comments_on(Paragraph, paragraphs),
        *comments_on(Amendment, amendments),
        *comments_on(Argument, arguments),
        *comments_on(Commitment, commitments),
    ]
    return {
        "page": pages,
        "paragraph": paragraphs,
        "amendment": amendments,
        "argument": arguments,
        "commitment": commitments,
        "comment": comments,
    }


class _Gone:
    def __init__(self, pk):
        self.pk = pk


MAX_ATTEMPTS = 30


def retry_delay(attempt: int):
    """30 s, 1, 2, 4 … minutes, at most an hour between tries."""
    import datetime

    return datetime.timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


def _retry_or_raise(error, attempt, what, again):
    from django.utils import timezone

    if attempt >= MAX_ATTEMPTS:
        logger.exception("Indexing %s given up after %s attempts", what, attempt)
        raise error
    delay = retry_delay(attempt)
    logger.warning("Search engine unavailable (%s); indexing %s again in %s", error, what, delay)
    again(timezone.now() + delay)
    return 0


@task(backend="durable", queue_name="search")
def refresh_task(kind: str, pk: int, attempt: int = 1) -> int:
    """Run by the worker. While the engine is down the task comes back later, so the index
    catches up when it returns."""
    from .engines import engine_errors

    try:
        return refresh(kind, pk)
    except engine_errors() as error:
        return _retry_or_raise(
            error,
            attempt,
            f"{kind} {pk}",
            lambda when: refresh_task.using(run_after=when).enqueue(kind, pk, attempt + 1),
        )


@task(backend="durable", queue_name="search")
def refresh_batch_task(items: dict, attempt: int = 1) -> int:
    """Run by the worker: the entries of many objects (``{kind: [pk, …]}``), written in
    batches; retried like :func:`refresh_task` while the engine fails."""
    from .engines import engine_errors

    try:
        return refresh_many(items)
    except engine_errors() as error:
        count = sum(len(pks) for pks in items.values())
        return _retry_or_raise(
            error,
            attempt,
            f"{count} objects",
            lambda when: refresh_batch_task.using(run_after=when).enqueue(items, attempt + 1),
        )


def enqueue(items: dict) -> None:
    """Queue the refresh of ``{kind: pks}``: one task for one object, otherwise one task per
    TASK_SIZE objects."""
    pairs = [(kind, pk) for kind in sorted(items) for pk in sorted(set(items[kind]))]
    if not pairs:
        return
    if len(pairs) == 1:
        refresh_task.enqueue(*pairs[0])
        return
    for start in range(0, len(pairs), TASK_SIZE):
        batch: dict[str, list[int]] = {}
        for kind, pk in pairs[start : start + TASK_SIZE]:
            batch.setdefault(kind, []).append(pk)
        refresh_batch_task.enqueue(batch)


class _Pending:
    """What one transaction changed, refreshed together when it commits: the first of its
    commit callbacks to run queues the tasks, the others find nothing left (an object saved
    twice in one transaction is still queued once)."""

    def __init__(self):
        self.items: dict[str, set[int]] = {}
        self.done = False

    def __call__(self):
        self.done = True
        items, self.items = self.items, {}
        enqueue(items)


_current = threading.local()


def _pending_of(connection) -> _Pending:
    """The batch of the transaction under way: a new one when the last has run, or was
    dropped with a rolled-back transaction (no callback of it waits for a commit any more:
    what that transaction scheduled is never queued by a later one)."""
    pending = getattr(_current, "pending", None)
    if (
        pending is None
        or pending.done
        or not any(func is pending for _, func, _ in reversed(connection.run_on_commit))
    ):
        pending = _current.pending = _Pending()
    # Registered at each call, so that a commit callback captured in part (as tests do) still
    # queues the whole batch; the later calls find it empty.
    transaction.on_commit(pending)
    return pending


def schedule(kind: str, pk: int) -> None:
    """Refresh ``kind``/``pk`` in the background once the current transaction commits."""
    schedule_many(kind, [pk])


def schedule_many(kind: str, pks) -> None:
    """Refresh these objects once the current transaction commits. Everything a transaction
    schedules goes into the same few tasks (a version of 1,000 paragraphs is one task),
    queued once."""
    from django.db import connection

    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return
    if not connection.in_atomic_block:
        enqueue({kind: pks})
        return
    _pending_of(connection).items.setdefault(kind, set()).update(pks)


def _on_change(sender, instance, **kwargs):
    kind = documents.kind_of(instance)
    if kind is not None and instance.pk is not None:
        schedule(kind, instance.pk)


def _on_page_change(sender, instance, **kwargs):
    if documents.kind_of(instance.specific) is not None:
        schedule("page", instance.pk)


def _on_paragraphs_frozen(sender, iteration, pks, **kwargs):
    from charte.texts.paragraphs import Paragraph

    if not pks or None in pks:
        pks = Paragraph.objects.filter(iteration=iteration).values_list("pk", flat=True)
    schedule_many("paragraph", list(pks))


def _on_restriction_change(sender, instance, **kwargs):
    """A page made private or public again: every entry under it."""
    if instance.page_id is not None:
        schedule("page", instance.page_id)


AUTHOR_FIELDS = {"author_type", "author_type_confirmed_at", "deleted_at"}


def _on_user_change(sender, instance, created=False, update_fields=None, **kwargs):
    """An account deleted (its contributions signed « compte supprimé ») or its author type
    changed: the entries of what it wrote. Saves of other fields (the last sign-in) do not
    count."""
    from charte.models import Amendment, Argument, Comment

    if created or (update_fields is not None and not AUTHOR_FIELDS & set(update_fields)):
        return
    schedule_many("comment", Comment.objects.filter(user=instance).values_list("pk", flat=True))
    schedule_many(
        "amendment", Amendment.objects.filter(author=instance).values_list("pk", flat=True)
    )
    schedule_many("argument", Argument.objects.filter(author=instance).values_list("pk", flat=True))


def _on_workshop_change(sender, instance, created=False, **kwargs):
    """A workshop or register renamed, or its date, place or number of participants changed:
    the entries of what it said carry its signature and its name."""
    if created:
        return
    schedule_many("comment", instance.comments.values_list("pk", flat=True))
    schedule_many("amendment", instance.amendments.values_list("pk", flat=True))


def _on_commitment_update_change(sender, instance, **kwargs):
    """An update published, edited or deleted: its commitment's entries carry its text."""
    if instance.commitment_id is not None:
        schedule("commitment", instance.commitment_id)


def connect_signals():
    from django.contrib.auth import get_user_model
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished

    from charte.follow_up.models import Commitment, CommitmentUpdate
    from charte.models import (
        Amendment,
        Argument,
        CharterIterationPage,
        CharterPage,
        Comment,
        DebatePage,
        Paragraph,
        Workshop,
    )
    from charte.texts.paragraphs import paragraphs_frozen

    for model in (Comment, Amendment, Argument, Commitment, Paragraph):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"search-delete-{model.__name__}"
        )
    for model in (CharterPage, CharterIterationPage, DebatePage):
        page_published.connect(_on_page_change, sender=model, dispatch_uid=f"search-pub-{model}")
        page_unpublished.connect(
            _on_page_change, sender=model, dispatch_uid=f"search-unpub-{model}"
        )
        post_delete.connect(_on_page_change, sender=model, dispatch_uid=f"search-del-{model}")
    paragraphs_frozen.connect(_on_paragraphs_frozen, dispatch_uid="search-frozen")
    post_save.connect(
        _on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-restricted"
    )
    post_delete.connect(
        _on_restriction_change, sender=PageViewRestriction, dispatch_uid="search-unrestricted"
    )
    post_save.connect(_on_user_change, sender=get_user_model(), dispatch_uid="search-author")
    post_save.connect(_on_workshop_change, sender=Workshop, dispatch_uid="search-workshop")
    post_save.connect(
        _on_commitment_update_change, sender=CommitmentUpdate, dispatch_uid="search-update"
    )
    post_delete.connect(
        _on_commitment_update_change, sender=CommitmentUpdate, dispatch_uid="search-update-delete"
    )
