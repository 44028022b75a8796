"""A live rebuild: the new index is built aside while contributions keep being indexed into the
old one, then swapped in. Every object indexed meanwhile is noted here (``note_many``, called by
:func:`search.indexing.refresh_many` before it writes) and indexed again once the new index is in
place (``finish``), so that nothing written to the old index during the rebuild is lost.

The note is taken before the write: a write that reached the old index before the swap was
noted before it, so ``finish``, which runs after the swap, sees the note. A write after the swap
goes to the new index anyway."""

from __future__ import annotations

from django.db import transaction

from .models import RebuildChange, RebuildInProgress


def start() -> None:
    """Mark a rebuild as running (forgetting what an interrupted one had noted)."""
    with transaction.atomic():
        RebuildInProgress.objects.all().delete()
        RebuildChange.objects.all().delete()
        RebuildInProgress.objects.create()


def note_many(items: dict) -> None:
    """While a rebuild runs, remember that these objects (``{kind: [pk, …]}``) are being
    indexed: one query when no rebuild runs, one more to note them all when one does."""
    if not any(items.values()) or not running():
        return
    RebuildChange.objects.bulk_create(
        RebuildChange(kind=kind, object_pk=pk) for kind, pks in items.items() for pk in pks
    )


def running() -> bool:
    return RebuildInProgress.objects.exists()


def finish(refresh) -> int:
    """After the swap: end the rebuild, then index again every object noted meanwhile (with
    ``refresh(kind, pk)``, from the database as it is now). Returns how many."""
    RebuildInProgress.objects.all().delete()
    done = set()
    last = 0
    while True:  # also what was noted while these were indexed again
        changes = list(
            RebuildChange.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "kind", "object_pk")
        )
        if not changes:
            break
        for pk, kind, object_pk in changes:
            last = pk
            if (kind, object_pk) not in done:
                done.add((kind, object_pk))
                refresh(kind, object_pk)
    RebuildChange.objects.filter(pk__lte=last).delete()
    return len(done)


def abandon() -> None:
    """A rebuild that failed: the old index stayed current, nothing to index again."""
    with transaction.atomic():
        RebuildInProgress.objects.all().delete()
        RebuildChange.objects.all().delete()
