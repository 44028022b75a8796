"""Comments written in bulk for real-size tests and benchmarks: straight into the three tables
of the comment model (django_comments, django-comments-xtd's and ours), which the ORM cannot
bulk-create, in chunks, then the id sequence moved past them on PostgreSQL and the stored
comment counts made again."""

from django.db import connection, transaction

from charte.discussions.models import DiscussionCount

CHUNK = 5_000


def write_comments(rows) -> None:
    """``rows``: (pk, content type id, target pk, author pk, author name, text, submitted at,
    public), each a top-level comment in French; ``submitted at`` an aware datetime."""
    adapt = connection.ops.adapt_datetimefield_value
    rows = list(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(0, len(rows), CHUNK):
            chunk = rows[first : first + CHUNK]
            cursor.executemany(
                "INSERT INTO django_comments (id, content_type_id, object_pk, site_id, user_id, "
                "user_name, user_email, user_url, comment, submit_date, ip_address, is_public, "
                "is_removed) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (pk, kind, str(target), 1, author, name, "", "", text, adapt(when), None)
                    + (public, False)
                    for pk, kind, target, author, name, text, when, public in chunk
                ],
            )
            cursor.executemany(
                "INSERT INTO django_comments_xtd_xtdcomment (comment_ptr_id, thread_id, "
                'parent_id, level, "order", followup, nested_count) '
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(row[0], row[0], row[0], 0, 0, False, 0) for row in chunk],
            )
            cursor.executemany(
                "INSERT INTO charte_comment (xtdcomment_ptr_id, language, hidden_reason) "
                "VALUES (%s, %s, %s)",
                [(row[0], "fr", "") for row in chunk],
            )
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('django_comments', 'id'), "
                "(SELECT MAX(id) FROM django_comments))"
            )
    DiscussionCount.recount_all()
