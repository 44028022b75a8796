"""The evaluation of a consultation: what each figure counts, on the synthesis page and in its
PDF, in French and in English, and in a number of queries that does not grow with the text or
the contributions."""

import datetime
import io

import pytest
from django.db.models import F
from django.utils import timezone, translation
from pypdf import PdfReader

from charte.amendments.models import Amendment
from charte.amendments.services import amendment_answer, amendment_propose, amendment_support
from charte.discussions.models import Comment
from charte.discussions.services import comment_post
from charte.follow_up.evaluation import evaluate
from charte.models import Paragraph
from charte.review.adoption import Adoption
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.documents import fetch_document

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def days_ago(n):
    return timezone.now() - n * DAY


def in_english(page, english) -> str:
    """The address of ``page``'s English translation (made and published here)."""
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    return translated.url if translated.url.startswith("/en/") else f"/en{translated.url}"


def propose(row, user, text="Une autre rédaction."):
    return amendment_propose(paragraph=row, by=user, kind="modify", text=text, rationale="Motif.")


@pytest.fixture
def evaluated(opened, editor):
    """Six accounts took part online (one of them had commented another charter a year
    before), a workshop of 12 people said one thing; three amendments: one accepted after 4
    days, one rejected after 2 days, one withdrawn; then the consultation closed."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    # Someone who took part before, in another charter.
    other = factories.make_iteration(
        factories.make_charter(title="Charte des jardins", slug="jardins"), user=editor
    )
    services.iteration_open(iteration=other, by=editor)
    veteran = make_citizen("ancien", "Ancien")
    earlier = comment_post(
        paragraph=Paragraph.objects.filter(iteration=other).first(), by=veteran, text="Avant."
    )
    Comment.objects.filter(pk=earlier.pk).update(submit_date=days_ago(365))

    jules, assoc, lea, nina, supporter = (
        make_citizen(name, name.title()) for name in ("jules", "assoc", "lea", "nina", "nino")
    )
    comment_post(paragraph=rows[0], by=jules, text="Bien.")
    comment_post(paragraph=rows[1], by=veteran, text="Encore moi.")
    facilitator = make_citizen("animatrice", "Animatrice")
    workshop = factories.make_workshop(opened.get_parent().specific, participants=12)
    said = comment_post(paragraph=rows[5], by=facilitator, text="L’atelier demande plus.")
    Comment.objects.filter(pk=said.pk).update(workshop=workshop)

    accepted = propose(rows[5], assoc)
    rejected = propose(rows[5], lea)
    withdrawn = propose(rows[0], nina)
    amendment_support(amendment=accepted, by=supporter, value="agree")
    amendment_answer(amendment=accepted, status="accepted", response="Retenu.", by=editor)
    amendment_answer(amendment=rejected, status="rejected", response="Non.", by=editor)
    Amendment.objects.filter(pk=accepted.pk).update(answered_at=F("created_at") + 4 * DAY)
    Amendment.objects.filter(pk=rejected.pk).update(answered_at=F("created_at") + 2 * DAY)
    Amendment.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    services.iteration_close(iteration=opened, by=editor)
    opened.refresh_from_db()
    return opened, rows


def test_each_figure_counts_what_it_says(evaluated):
    page, rows = evaluated
    numbers = evaluate(page)
    # jules, assoc, lea, nina, the supporter and the veteran; not the facilitator.
    assert numbers.participants == 6
    assert numbers.declared_participants == 12
    assert (numbers.first_timers, numbers.first_timer_percent) == (5, 83)
    assert [(row.number, row.comments, row.amendments) for row in numbers.by_article] == [
        (1, 2, 1),
        (2, 1, 2),
    ]
    assert {bar.label: (bar.value, bar.percent) for bar in numbers.answers} == {
        "Accepté": (1, 50),
        "Accepté en partie": (0, 0),
        "Rejeté": (1, 50),
        "En attente de réponse": (0, 0),
    }
    assert (numbers.proposed, numbers.withdrawn) == (2, 1)
    assert numbers.median_delay_days == 3.0
    # Not adopted: answered so far.
    assert (numbers.adopted_on, numbers.answered_in_time, numbers.answered_in_time_percent) == (
        None,
        2,
        100,
    )
    assert [(bar.value, bar.percent) for bar in numbers.by_origin] == [(5, 83), (1, 17), (0, 0)]


def test_answers_after_the_council_s_vote_are_not_counted_before_it(evaluated, editor):
    page, rows = evaluated
    Adoption.objects.create(
        iteration=page,
        session_date=timezone.localdate() + 3 * DAY,
        deliberation_reference="DEL-1",
        votes_for=1,
        votes_against=0,
        abstentions=0,
    )
    page.refresh_from_db()
    numbers = evaluate(page)
    assert numbers.adopted_on == timezone.localdate() + 3 * DAY
    # Rejected two days after it was proposed: in time; accepted after four days: too late.
    assert (numbers.answered_in_time, numbers.answered_in_time_percent) == (1, 50)


def test_a_consultation_nobody_took_part_in_says_so(client, opened, editor):
    services.iteration_close(iteration=opened, by=editor)
    numbers = evaluate(opened)
    assert numbers.is_empty and numbers.median_delay_days is None
    html = client.get(f"{opened.url}synthesis/").content.decode()
    assert "Évaluation de la démarche" in html
    assert "Personne n’a participé à cette concertation" in html
    assert "Aucun questionnaire n’a été envoyé" in html


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "fr",
            [
                "Évaluation de la démarche",
                "Participants pour la première fois",
                "5 participants sur 6 n’avaient aucune contribution sur le site",
                "3 jours",
                "Amendements par réponse",
                "Retiré par son auteur",
            ],
        ),
        (
            "en",
            [
                "Evaluation of the process",
                "First-time participants",
                "5 participants of 6 had no contribution on the site",
                "3 days",
                "Amendments by answer",
                "withdrawn by its author is not counted",
            ],
        ),
    ],
)
def test_the_synthesis_page_shows_the_evaluation(client, evaluated, english, language, expected):
    page, _rows = evaluated
    address = in_english(page, english) if language == "en" else page.url
    html = client.get(f"{address}synthesis/").content.decode()
    for words in expected:
        assert words in html


def test_the_synthesis_pdf_holds_the_evaluation(client, evaluated):
    page, _rows = evaluated
    response = fetch_document(client, f"{page.url}synthesis/pdf/")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Évaluation de la démarche" in text
    assert "Participants pour la première fois" in text and "83 %" in text
    assert "Amendements par réponse" in text


def test_the_evaluation_reads_a_fixed_number_of_queries_at_real_size(
    charter, editor, django_assert_max_num_queries, monkeypatch
):
    """1,000 paragraphs, 300 amendments, 1,500 comments: as many queries as with a few."""
    page = factories.make_iteration(charter, factories.body_with(1000), user=editor)
    services.iteration_open(iteration=page, by=editor)
    rows = list(Paragraph.objects.filter(iteration=page).order_by("position"))
    people = [make_citizen(f"p{n}", f"P {n}") for n in range(30)]
    comment_post(paragraph=rows[0], by=people[0], text="Un.")
    propose(rows[1], people[1])
    with django_assert_max_num_queries(20) as few:
        evaluate(page)
    baseline = len(few.captured_queries)

    now = timezone.now()
    Amendment.objects.bulk_create(
        Amendment(
            paragraph=rows[n * 3],
            iteration=page,
            charter=charter,
            number=100 + n,
            kind="modify",
            text="Autre.",
            rationale="Motif.",
            author=people[n % 30],
            created_at=now,
            answered_at=now + 2 * DAY if n % 2 else None,
            status="rejected" if n % 2 else "submitted",
            response="Non." if n % 2 else "",
        )
        for n in range(300)
    )
    for n in range(1500):
        comment_post(paragraph=rows[n % 1000], by=people[n % 30], text=f"Avis {n}.")
    with django_assert_max_num_queries(baseline):
        numbers = evaluate(page)
    assert numbers.proposed == 301 and numbers.contributions == 1500 + 1 + 301
    with translation.override("en"):
        assert len(numbers.by_article) == 200
