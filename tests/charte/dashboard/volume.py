"""Real-size data for the dashboard, written in bulk: comments (straight into the three tables
of the comment model, which the ORM cannot bulk-create), amendments, reports and tasks."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from charte.models import Amendment, Comment, CommentReport, Paragraph
from tests.bulk import write_comments


def seed_comments(paragraphs, authors, count, *, days=14, pending_every=0) -> list[int]:
    """``count`` comments spread over the paragraphs and the last ``days`` days; every
    ``pending_every``-th one held for pre-moderation. Returns their ids."""
    content_type = ContentType.objects.get_for_model(Paragraph).pk
    start = (Comment.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    now = timezone.now()
    spread = days * 86400 // max(count, 1) or 1
    write_comments(
        (
            pk,
            content_type,
            paragraphs[pk % len(paragraphs)].pk,
            authors[pk % len(authors)].pk,
            "",
            f"Avis {pk}",
            now - datetime.timedelta(seconds=(pk - start) * spread + 60),
            not (pending_every and pk % pending_every == 0),
        )
        for pk in range(start, start + count)
    )
    return list(range(start, start + count))


def seed_amendments(iteration, paragraphs, authors, count) -> list[Amendment]:
    """``count`` amendments awaiting an answer, proposed over the last days."""
    now = timezone.now()
    top = Amendment.objects.filter(charter_id=iteration.get_parent().pk).aggregate(
        top=Max("number")
    )["top"]
    return Amendment.objects.bulk_create(
        Amendment(
            paragraph=paragraphs[n % len(paragraphs)],
            iteration=iteration,
            charter_id=iteration.get_parent().pk,
            number=(top or 0) + n + 1,
            kind="modify",
            text=f"Nouvelle rédaction {n}",
            rationale=f"Raison {n}",
            author=authors[n % len(authors)],
            created_at=now - datetime.timedelta(hours=n + 1),
        )
        for n in range(count)
    )


def seed_reports(comment_ids, authors) -> None:
    CommentReport.objects.bulk_create(
        CommentReport(comment_id=pk, user=authors[n % len(authors)], reason="spam")
        for n, pk in enumerate(comment_ids)
    )


def seed_tasks(count, *, failed_every=4) -> None:
    """``count`` tasks in the durable queue: e-mails, search refreshes and document builds,
    every ``failed_every``-th one failed."""
    from django_tasks_db.models import DBTaskResult

    paths = (
        "charte.core.mail.deliver_email",
        "search.indexing.refresh_task",
        "charte.publications.building.build_document_task",
    )
    DBTaskResult.objects.bulk_create(
        DBTaskResult(
            task_path=paths[n % 3],
            status="FAILED" if n % failed_every == 0 else "READY",
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="durable",
            run_after=timezone.now(),
        )
        for n in range(count)
    )
