"""Opening freezes the text; closing, starting the next iteration and adopting follow rules."""

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import PageLogEntry

from charte.models import CharterIterationPage, IterationState, Paragraph
from charte.texts import services
from charte.texts.paragraphs import FrozenParagraphError
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_opening_writes_one_frozen_row_per_paragraph(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)

    rows = list(Paragraph.objects.filter(iteration=iteration).order_by("position"))
    assert [(r.key, r.text) for r in rows] == factories.body_texts(iteration)
    assert [r.position for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [(r.article_number, r.number) for r in rows[:6]] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (1, 5),
        (2, 1),
    ]
    assert rows[0].article_title == "Article de test 1"
    assert rows[0].section_title == "Titre 1"
    assert all(r.derived_from is None for r in rows)
    iteration.refresh_from_db()
    assert iteration.state == IterationState.CONSULTATION
    assert iteration.frozen_at is not None
    entry = PageLogEntry.objects.get(page=iteration, action=services.ACTION_OPEN)
    assert entry.user == editor
    assert entry.data["paragraphs"] == 6


def test_opening_twice_is_refused(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    with pytest.raises(services.LifecycleError, match="already opened"):
        services.iteration_open(iteration=iteration, by=editor)
    assert Paragraph.objects.filter(iteration=iteration).count() == 6


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (None, "none", "Choose when the consultation closes"),
        (2, 1, "must close after it opens"),
        (-10, -1, "has already passed"),
    ],
)
def test_opening_validates_the_window(charter, editor, opens, closes, message):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    iteration = factories.make_iteration(charter, user=editor, opens_at=None, closes_at=None)
    with pytest.raises(services.LifecycleError, match=message):
        services.iteration_open(
            iteration=iteration,
            by=editor,
            opens_at=None if opens is None else now + opens * day,
            closes_at=None if closes == "none" else now + closes * day,
        )
    assert not Paragraph.objects.filter(iteration=iteration).exists()
    iteration.refresh_from_db()
    assert iteration.state == IterationState.DRAFT


def test_a_public_text_with_pending_changes_does_not_open(charter, editor, iteration):
    iteration.title = "Version 1 modifiée"
    iteration.save_revision(user=editor)  # a draft change, not published
    with pytest.raises(services.LifecycleError, match="not published"):
        services.iteration_open(iteration=iteration, by=editor)


def test_a_text_that_is_not_public_opens_and_is_published_at_its_opening(editor, iteration):
    iteration.unpublish()
    iteration.title = "Version 1 modifiée"
    iteration.save_revision(user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    iteration.refresh_from_db()
    assert iteration.live and not iteration.has_unpublished_changes
    assert iteration.title == "Version 1 modifiée"
    assert iteration.state == IterationState.CONSULTATION


def test_a_window_given_when_opening_is_published_as_a_revision(iteration, editor):
    closes = timezone.now() + datetime.timedelta(days=10)
    services.iteration_open(iteration=iteration, by=editor, closes_at=closes)
    iteration.refresh_from_db()
    assert iteration.closes_at == closes
    assert iteration.get_latest_revision_as_object().closes_at == closes
    assert not iteration.has_unpublished_changes


def test_at_most_one_iteration_of_a_charter_in_consultation(charter, editor, iteration):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)
    v2.save_revision(user=editor).publish(user=editor)
    # Reopening v1's window by hand would make two consultations: it is refused.
    v1 = CharterIterationPage.objects.get(pk=iteration.pk)
    v1.closes_at = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="window can no longer be changed"):
        v1.full_clean()


def test_next_iteration_waits_for_the_consultation_to_end(charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    with pytest.raises(services.LifecycleError, match="still in consultation"):
        services.iteration_start_next(charter=charter, by=editor)


def test_a_second_iteration_cannot_open_while_one_is_in_consultation(charter, editor):
    v1 = factories.make_iteration(charter, user=editor)
    # Not possible from the admin (one iteration is added by hand), but from a script it is.
    v2 = factories.make_iteration(charter, title="Version 2", user=editor)
    services.iteration_open(iteration=v1, by=editor)
    with pytest.raises(services.LifecycleError, match="is in consultation until"):
        services.iteration_open(iteration=v2, by=editor)
    assert not Paragraph.objects.filter(iteration=v2).exists()
    services.iteration_close(iteration=v1, by=editor)
    services.iteration_open(iteration=v2, by=editor)
    assert Paragraph.objects.filter(iteration=v2, derived_from__isnull=True).count() == 6


def test_edit_after_opening_is_refused_and_changes_nothing(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    rows_before = list(Paragraph.objects.filter(iteration=iteration).values())
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    page.body = factories.body_with(6, prefix="Texte réécrit")
    with pytest.raises(ValidationError, match="frozen since"):
        page.save_revision(user=editor)
    with pytest.raises(ValidationError, match="frozen"):
        page.save(clean=False)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert factories.body_texts(page) == factories.body_texts(iteration)
    assert list(Paragraph.objects.filter(iteration=iteration).values()) == rows_before


def test_title_summary_and_a_running_window_stay_editable(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    page.title = "Version 1 – projet"
    page.summary = "Une présentation plus claire."
    page.closes_at = page.closes_at + datetime.timedelta(days=7)
    page.save_revision(user=editor).publish(user=editor)
    page.refresh_from_db()
    assert page.title == "Version 1 – projet"
    assert page.state == IterationState.CONSULTATION


def test_publishing_an_old_revision_never_brings_back_an_earlier_state(iteration, editor):
    old_revision = iteration.latest_revision
    services.iteration_open(iteration=iteration, by=editor)
    old_revision.publish(user=editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert page.state == IterationState.CONSULTATION
    assert page.frozen_at is not None


def test_paragraph_rows_cannot_be_changed_or_deleted(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    row = Paragraph.objects.filter(iteration=iteration).first()
    row.text = "Autre chose"
    with pytest.raises(FrozenParagraphError):
        row.save()
    with pytest.raises(FrozenParagraphError):
        row.delete()
    with pytest.raises(FrozenParagraphError):
        Paragraph.objects.filter(iteration=iteration).update(text="x")
    with pytest.raises(FrozenParagraphError):
        Paragraph.objects.filter(iteration=iteration).delete()


def test_next_iteration_keeps_keys_and_points_back(charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)

    assert v2.number == 2 and not v2.live and v2.state == IterationState.DRAFT
    assert factories.body_texts(v2) == factories.body_texts(iteration)
    assert PageLogEntry.objects.filter(page=v2, action=services.ACTION_START_NEXT).exists()

    # The editor rewords the first paragraph, deletes the second, moves the third last and
    # adds a new one.
    sections = copy.deepcopy(list(v2.body.raw_data))
    first_article = sections[0]["value"]["articles"][0]["value"]["paragraphs"]
    first_article[0]["value"] = "Nouvelle rédaction du premier alinéa."
    deleted = first_article.pop(1)
    moved = first_article.pop(1)
    first_article.append(moved)
    first_article.append(factories.paragraph("Un alinéa tout neuf."))
    v2.body = list(sections)
    v2.save_revision(user=editor).publish(user=editor)
    services.iteration_open(
        iteration=v2, by=editor, closes_at=timezone.now() + datetime.timedelta(days=20)
    )

    v1_rows = {r.key: r for r in Paragraph.objects.filter(iteration=iteration)}
    v2_rows = {r.key: r for r in Paragraph.objects.filter(iteration=v2)}
    assert deleted["id"] not in v2_rows
    for key, row in v2_rows.items():
        if key in v1_rows:
            assert row.derived_from == v1_rows[key]
        else:
            assert row.derived_from is None and row.text == "Un alinéa tout neuf."
    assert v2_rows[moved["id"]].position > v2_rows[first_article[0]["id"]].position + 1
    assert v2_rows[first_article[0]["id"]].text == "Nouvelle rédaction du premier alinéa."
    # v1 still holds its own wording.
    assert v1_rows[first_article[0]["id"]].text.startswith("Alinéa 1")


def test_next_iteration_is_refused_while_the_latest_is_a_draft(charter, iteration, editor):
    with pytest.raises(services.LifecycleError, match="still a draft"):
        services.iteration_start_next(charter=charter, by=editor)


def test_closing_records_who_and_when(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    iteration.refresh_from_db()
    assert iteration.state == IterationState.CLOSED
    assert iteration.current_state() == IterationState.CLOSED
    assert not iteration.is_consultation_open()
    entry = PageLogEntry.objects.get(page=iteration, action=services.ACTION_CLOSE)
    assert entry.user == editor
    with pytest.raises(services.LifecycleError, match="not in consultation"):
        services.iteration_close(iteration=iteration, by=editor)


def test_state_follows_the_window_and_cron_records_it(iteration, editor):
    iteration = services.iteration_open(iteration=iteration, by=editor)
    after = iteration.closes_at + datetime.timedelta(seconds=1)
    assert iteration.current_state(after) == IterationState.CLOSED
    assert not iteration.is_consultation_open(after)
    closed = services.close_ended_consultations(now=after)
    assert [c.pk for c in closed] == [iteration.pk]
    entry = PageLogEntry.objects.get(page=iteration, action=services.ACTION_CLOSE)
    assert entry.user is None and entry.data["automatic"] is True


class TestWindowAcrossDaylightSaving:
    """France springs forward on Sunday 28 March 2027 at 2:00 (CET → CEST)."""

    def make(self, charter, editor):
        paris = datetime.timezone(datetime.timedelta(hours=1))  # CET
        opens = datetime.datetime(2027, 3, 27, 9, 0, tzinfo=paris)  # 08:00 UTC
        summer = datetime.timezone(datetime.timedelta(hours=2))  # CEST
        closes = datetime.datetime(2027, 3, 29, 18, 0, tzinfo=summer)  # 16:00 UTC
        iteration = factories.make_iteration(charter, user=editor, opens_at=opens, closes_at=closes)
        services.iteration_open(
            iteration=iteration, by=editor, now=opens - datetime.timedelta(days=1)
        )
        return CharterIterationPage.objects.get(pk=iteration.pk)

    def test_boundaries(self, charter, editor):
        iteration = self.make(charter, editor)
        utc = datetime.UTC
        assert not iteration.is_consultation_open(
            datetime.datetime(2027, 3, 27, 7, 59, 59, tzinfo=utc)
        )
        assert iteration.is_consultation_open(datetime.datetime(2027, 3, 27, 8, 0, tzinfo=utc))
        assert iteration.is_consultation_open(
            datetime.datetime(2027, 3, 29, 15, 59, 59, tzinfo=utc)
        )
        assert not iteration.is_consultation_open(datetime.datetime(2027, 3, 29, 16, 0, tzinfo=utc))
        assert (
            iteration.current_state(datetime.datetime(2027, 3, 29, 16, 0, tzinfo=utc)) == "closed"
        )

    def test_dates_are_written_in_paris_time(self, charter, editor, client):
        from django.utils import translation

        from charte.core.formatting import format_datetime

        iteration = self.make(charter, editor)
        with translation.override("fr"):
            assert format_datetime(iteration.closes_at) == "29 mars 2027 à 18 h"
            assert format_datetime(iteration.opens_at) == "27 mars 2027 à 9 h"
        with translation.override("en"):
            assert format_datetime(iteration.closes_at) == "29 March 2027 at 6 pm"


def test_adoption_records_the_vote_and_supersedes_earlier_versions(charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)
    v2.save_revision(user=editor).publish(user=editor)

    adoption = services.iteration_adopt(
        iteration=v2,
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-2027-042",
        votes_for=25,
        votes_against=4,
        abstentions=3,
    )
    v2.refresh_from_db()
    iteration.refresh_from_db()
    assert adoption.recorded_by == editor and adoption.votes_for == 25
    assert v2.state == IterationState.ADOPTED and v2.frozen_at is not None
    assert Paragraph.objects.filter(iteration=v2).count() == 6  # frozen on adoption
    assert iteration.state == IterationState.SUPERSEDED
    entry = PageLogEntry.objects.get(page=v2, action=services.ACTION_ADOPT)
    assert entry.data["deliberation_reference"] == "DEL-2027-042"
    with pytest.raises(services.LifecycleError, match="already been adopted"):
        services.iteration_start_next(charter=charter, by=editor)


def adopt(iteration, editor, **changes):
    fields = {
        "session_date": timezone.localdate(),
        "deliberation_reference": "DEL-1",
        "votes_for": 20,
        "votes_against": 2,
        "abstentions": 0,
        **changes,
    }
    return services.iteration_adopt(iteration=iteration, by=editor, **fields)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"votes_for": 10, "votes_against": 10}, "did not adopt"),
        ({"votes_for": -1}, "whole numbers"),
        ({"deliberation_reference": "  "}, "reference"),
        ({"session_date": datetime.date(2100, 1, 1)}, "future"),
    ],
)
def test_adoption_refuses_bad_input(iteration, editor, changes, message):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    with pytest.raises(services.LifecycleError, match=message):
        adopt(iteration, editor, **changes)
    iteration.refresh_from_db()
    assert iteration.state == IterationState.CLOSED


def test_adoption_waits_for_the_consultation_to_close(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    with pytest.raises(services.LifecycleError, match="still open"):
        adopt(iteration, editor)


def test_close_ended_consultations_command(iteration, editor):
    import io

    from django.core.management import call_command

    now = timezone.now()
    services.iteration_open(
        iteration=iteration,
        by=editor,
        opens_at=now - datetime.timedelta(days=40),
        closes_at=now - datetime.timedelta(days=1),
        now=now - datetime.timedelta(days=40),
    )
    out = io.StringIO()
    call_command("close_ended_consultations", stdout=out)
    assert "1 consultation(s) closed" in out.getvalue()
    iteration.refresh_from_db()
    assert iteration.state == IterationState.CLOSED


def test_a_version_adopted_without_consultation_keeps_an_editable_title(charter, editor):
    iteration = factories.make_iteration(charter, user=editor, opens_at=None, closes_at=None)
    adopt(iteration, editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    page.title = "Version adoptée"
    page.save_revision(user=editor).publish(user=editor)
    page.closes_at = timezone.now()
    with pytest.raises(ValidationError, match="no longer in consultation"):
        page.full_clean()


def test_a_private_iteration_accepts_no_contribution(iteration, editor):
    from wagtail.models import PageViewRestriction

    services.iteration_open(iteration=iteration, by=editor)
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert page.is_consultation_open()
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert not CharterIterationPage.objects.get(pk=iteration.pk).is_consultation_open()


def test_a_text_whose_paragraphs_share_an_identity_is_not_frozen(charter, editor):
    twin = factories.new_id()
    body = [
        factories.section(
            "Titre I",
            [
                factories.article(
                    "Objet", [factories.paragraph("Un.", twin), factories.paragraph("Deux.", twin)]
                )
            ],
        )
    ]
    iteration = factories.make_iteration(charter, body, user=editor)
    with pytest.raises(services.LifecycleError, match="share one identity"):
        services.iteration_open(iteration=iteration, by=editor)
    assert not Paragraph.objects.exists()
