"""An unchanged paragraph carries its conversation into the next versions: its page shows the
comments made on the same wording before, marked as such and read-only, and its count says so."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from charte.discussions.services import comment_post
from charte.models import CharterIterationPage, Paragraph
from charte.texts import services
from tests.charte.amendments.test_amendment_integration import propose_and_answer
from tests.charte.amendments.test_trail import edit_draft
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


def french(msgid, **values):
    with translation.override("fr"):
        return translation.gettext(msgid) % values


def french_plural(singular, plural, count, **values):
    with translation.override("fr"):
        return translation.ngettext(singular, plural, count) % values


def next_version(previous, editor):
    """Close ``previous``, start the next version, publish it and open it."""
    services.iteration_close(iteration=previous, by=editor)
    draft = services.iteration_start_next(charter=previous.get_parent().specific, by=editor)
    edit_draft(draft, editor, lambda raw: None)
    now = timezone.now()
    return services.iteration_open(
        iteration=CharterIterationPage.objects.get(pk=draft.pk),
        by=editor,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=10),
    )


def row(iteration, position):
    return Paragraph.objects.get(iteration=iteration, position=position)


def test_an_unchanged_paragraph_shows_the_comments_of_every_earlier_version(client, opened, editor):
    citizens = [make_citizen(f"c{n}", f"Habitant {n}") for n in range(5)]
    version = opened
    comment_post(paragraph=row(version, 2), by=citizens[0], text="Sur la première version.")
    comment_post(paragraph=row(version, 2), by=citizens[1], text="Moi aussi, en version 1.")
    comment_post(paragraph=row(version, 1), by=citizens[2], text="Cet alinéa sera réécrit.")
    propose_and_answer(row(version, 1), editor, kind="modify", text="Alinéa réécrit.")
    for n in range(2, 6):  # versions 2 to 5: the second paragraph never changes
        version = next_version(version, editor)
        if n < 5:
            comment_post(paragraph=row(version, 2), by=citizens[n - 1], text=f"Dit en version {n}.")
    latest = row(version, 2)
    assert latest.discussion_earlier()[-1] == row(opened, 2)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(latest.get_url())
    html = response.content.decode()
    carried = html.split('class="discussion__earlier"')[1].split("</section>")[0]
    for text in ("Sur la première version.", "Moi aussi, en version 1.", "Dit en version 4."):
        assert text in carried
    assert "Cet alinéa sera réécrit." not in html  # said about another wording
    assert carried.count(french("Comment on Version %(number)s", number=1)) == 2
    assert carried.count(french("Comment on Version %(number)s", number=4)) == 1
    assert "<form" not in carried and "Répondre" not in carried  # read-only
    assert (
        french_plural(
            "Discussion (%(counter)s comment on earlier versions)",
            "Discussion (%(counter)s comments on earlier versions)",
            5,
            counter=5,
        )
        in html
    )
    assert "Discussion (0 commentaire)" not in html
    # However long the chain: one query for its rows, one for their comments.
    print(f"paragraph page, chain of 4 earlier versions: {len(queries)} queries")
    assert len(queries) <= 36, len(queries)

    # The whole text's margin says it too, without a query per paragraph.
    with CaptureQueriesContext(connection) as text_queries:
        text = client.get(version.url).content.decode()
    assert (
        french_plural(
            "%(counter)s comment on earlier versions",
            "%(counter)s comments on earlier versions",
            5,
            counter=5,
        )
        in text
    )
    assert len(text_queries) <= 45, len(text_queries)


def test_new_comments_stand_beside_the_carried_ones(client, opened, editor):
    lea, sam = make_citizen("lea", "Léa"), make_citizen("sam", "Sam")
    comment_post(paragraph=row(opened, 3), by=lea, text="Dit en version 1.")
    second = next_version(opened, editor)
    comment_post(paragraph=row(second, 3), by=sam, text="Dit en version 2.")
    html = client.get(row(second, 3).get_url()).content.decode()
    current, carried = html.split('class="discussion__earlier"')
    assert "Dit en version 2." in current and "Dit en version 1." not in current
    assert "Dit en version 1." in carried
    assert (
        french_plural(
            "Discussion (%(current)s on this version, %(counter)s comment on earlier versions)",
            "Discussion (%(current)s on this version, %(counter)s comments on earlier versions)",
            1,
            current=1,
            counter=1,
        )
        in html
    )
    # The first version's page is not touched by what came after.
    first = client.get(row(opened, 3).get_url()).content.decode()
    assert "discussion__earlier" not in first and "Dit en version 2." not in first
