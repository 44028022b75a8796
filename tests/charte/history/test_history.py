"""Comparing iterations and following one paragraph through them: what a resident reads to
see what changed, and thanks to whom."""

import copy
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from charte.amendments.services import amendment_answer, amendment_propose
from charte.core.diff import word_diff
from charte.discussions.services import comment_post
from charte.history.comparison import (
    ADDED,
    MODIFIED,
    REMOVED,
    UNCHANGED,
    compare,
    paragraph_history,
)
from charte.models import CharterIterationPage, CharterPage, Paragraph
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

TEXTS = [
    "La commune publie chaque année le bilan des concertations menées.",
    "Les habitants sont associés aux projets qui concernent leur quartier.",
    "Les réunions publiques se tiennent le soir, dans des salles accessibles.",
    "Un compte rendu de chaque réunion est mis en ligne sous un mois.",
    "Les élus répondent par écrit aux questions posées.",
    "Le conseil des jeunes est consulté sur les projets éducatifs.",
]


@pytest.fixture
def v1(charter, editor):
    body = [
        factories.section(
            "Titre premier",
            [
                factories.article("Transparence", TEXTS[:4]),
                factories.article("Dialogue", TEXTS[4:]),
            ],
        )
    ]
    page = factories.make_iteration(charter, body, user=editor)
    services.iteration_open(iteration=page, by=editor)
    return page


def rows(page):
    return list(Paragraph.objects.filter(iteration=page).order_by("position"))


def next_version(previous, editor, change):
    """Close ``previous``, start the next iteration, let ``change`` edit its raw body (a list
    of sections), publish and open it."""
    services.iteration_close(iteration=previous, by=editor)
    draft = services.iteration_start_next(charter=previous.get_parent().specific, by=editor)
    sections = copy.deepcopy(list(draft.body.raw_data))
    change(sections)
    draft.body = sections
    draft.save_revision(user=editor).publish(user=editor)
    return services.iteration_open(
        iteration=draft, by=editor, closes_at=timezone.now() + datetime.timedelta(days=10)
    )


def paragraphs_of(sections, article=0):
    return sections[0]["value"]["articles"][article]["value"]["paragraphs"]


def by_key(comparison):
    return {change.row.key: change for change in comparison.changes}


def test_added_removed_moved_modified_and_unchanged_paragraphs(v1, editor):
    old = rows(v1)

    def edit(sections):
        first, second = paragraphs_of(sections, 0), paragraphs_of(sections, 1)
        first[0]["value"] = "La commune publie chaque année, en mars, le bilan des concertations."
        first.pop(1)  # removed
        moved = first.pop(1)  # « Les réunions publiques… » goes to the second article
        second.append(moved)
        first.append(factories.paragraph("Les données des concertations sont ouvertes."))

    v2 = next_version(v1, editor, edit)
    comparison = compare(v1, v2)
    changes = by_key(comparison)

    assert changes[old[0].key].status == MODIFIED
    assert changes[old[1].key].status == REMOVED and changes[old[1].key].merged_into is None
    assert changes[old[2].key].status == UNCHANGED and changes[old[2].key].moved
    assert changes[old[3].key].status == UNCHANGED and not changes[old[3].key].moved
    added = [c for c in comparison.changes if c.status == ADDED]
    assert [c.new_text for c in added] == ["Les données des concertations sont ouvertes."]
    assert comparison.counts == {
        "added": 1,
        "removed": 1,
        "modified": 1,
        "unchanged": 4,
        "moved": 1,
        "merged": 0,
    }
    # The removed paragraph is shown where it stood: right after the first one.
    order = [c.row.key for c in comparison.changes]
    assert order.index(old[1].key) == order.index(old[0].key) + 1


def test_a_paragraph_moved_within_its_article_is_moved_and_the_others_are_not(v1, editor):
    old = rows(v1)

    def edit(sections):
        first = paragraphs_of(sections, 0)
        first.insert(0, first.pop(3))  # the fourth paragraph goes first

    comparison = compare(v1, next_version(v1, editor, edit))
    moved = {c.row.key for c in comparison.changes if c.moved}
    assert moved == {old[3].key}
    assert comparison.count(UNCHANGED) == 6


def test_two_paragraphs_merged_into_one(v1, editor):
    old = rows(v1)

    def edit(sections):
        first = paragraphs_of(sections, 0)
        first[2]["value"] = (
            "Les réunions publiques se tiennent le soir, dans des salles accessibles ; "
            "un compte rendu de chaque réunion est mis en ligne sous un mois."
        )
        first.pop(3)

    comparison = compare(v1, next_version(v1, editor, edit))
    changes = by_key(comparison)
    merged = changes[old[3].key]
    assert merged.status == REMOVED and merged.merged_into.key == old[2].key
    assert changes[old[2].key].status == MODIFIED
    assert [row.key for row in changes[old[2].key].merged_from] == [old[3].key]
    # A deletion elsewhere is not mistaken for a merge.
    assert changes[old[0].key].merged_from == []


def test_versions_compared_across_an_iteration_in_between(v1, editor):
    old = rows(v1)

    def reword(sections):
        paragraphs_of(sections, 1)[0]["value"] = "Les élus répondent par écrit, sous un mois."

    def delete_and_add(sections):
        paragraphs_of(sections, 0).pop(0)
        paragraphs_of(sections, 1).append(factories.paragraph("Une charte évaluée chaque année."))

    v2 = next_version(v1, editor, reword)
    v3 = next_version(v2, editor, delete_and_add)
    comparison = compare(v1, v3)
    changes = by_key(comparison)

    assert changes[old[4].key].status == MODIFIED
    assert changes[old[4].key].old.iteration_id == v1.pk
    assert changes[old[4].key].new.iteration_id == v3.pk
    assert changes[old[0].key].status == REMOVED
    assert comparison.count(ADDED) == 1
    assert comparison.count(UNCHANGED) == 4


def test_the_amendments_that_caused_a_change_are_shown_with_it(client, v1, editor):
    old = rows(v1)
    author = make_citizen("assoc", "Association du Port")
    amendment = amendment_propose(
        paragraph=old[4],
        by=author,
        kind="modify",
        text="Les élus répondent par écrit, sous quinze jours, aux questions posées.",
        rationale="Un délai précis.",
    )
    amendment_answer(amendment=amendment, status="accepted", response="Retenu.", by=editor)
    v2 = next_version(v1, editor, lambda sections: None)  # the amendment is applied on start

    comparison = compare(v1, v2)
    change = by_key(comparison)[old[4].key]
    assert change.status == MODIFIED and change.amendments == [amendment]

    charter = v1.get_parent().specific
    response = client.get(f"{charter.url}compare/1/2/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "amendement n° 1" in html and "Association du Port" in html
    assert "<ins>" in html and "texte ajouté" in html  # marked in words, not colour alone
    assert "sous quinze jours" in html

    # The rendering is kept, and renewed when its author's name changes or is erased.
    author.pseudonym = "Collectif du Port"
    author.save(update_fields=["pseudonym"])
    html = client.get(f"{charter.url}compare/1/2/").content.decode()
    assert "Collectif du Port" in html and "Association du Port" not in html
    author.deleted_at = timezone.now()
    author.save(update_fields=["deleted_at"])
    html = client.get(f"{charter.url}compare/1/2/").content.decode()
    assert "Collectif du Port" not in html and "compte supprimé" in html


def test_the_diff_handles_accents_and_punctuation(v1, editor):
    old = rows(v1)

    def edit(sections):
        paragraphs_of(sections, 1)[0]["value"] = (
            "Les élues répondent par écrit ; aux questions posées !"
        )

    comparison = compare(v1, next_version(v1, editor, edit))
    change = by_key(comparison)[old[4].key]
    changed = [
        (c.op, c.text) for c in word_diff(change.old_text, change.new_text) if c.op != "equal"
    ]
    # « élus » and « élues » are two words; each punctuation mark is a change of its own.
    assert changed == [
        ("delete", "élus"),
        ("insert", "élues"),
        ("insert", "; "),
        ("delete", "."),
        ("insert", " !"),
    ]
    diff = str(change.diff)
    assert '<del><span class="visually-hidden">[texte supprimé\u00a0: </span>élus' in diff


def test_the_comparison_addresses(client, v1, editor):
    charter = v1.get_parent().specific
    next_version(v1, editor, lambda sections: paragraphs_of(sections, 0).pop(0))
    base = charter.url

    assert client.get(f"{base}compare/2/1/").headers["Location"] == f"{base}compare/1/2/"
    assert client.get(f"{base}compare/?from=2&to=1").headers["Location"] == f"{base}compare/1/2/"
    assert client.get(f"{base}compare/1/1/").status_code == 404
    assert client.get(f"{base}compare/1/7/").status_code == 404
    page = client.get(f"{base}compare/1/2/").content.decode()
    assert 'lang="fr"' in page and "1 alinéa supprimé" in page
    # Unchanged paragraphs are folded, and shown open on request (to print the whole text).
    assert '<details class="comparison__unchanged">' in page
    assert (
        '<details class="comparison__unchanged" open>'
        in client.get(f"{base}compare/1/2/?all=1").content.decode()
    )
    # The charter page offers the comparison.
    assert 'action="' + base + 'compare/"' in client.get(base).content.decode()


def test_the_unchanged_paragraphs_link_to_their_page_in_the_readers_language(
    client, v1, editor, english
):
    def reword(sections):
        paragraphs_of(sections, 0)[0]["value"] = "La commune publie le bilan en mars."
        paragraphs_of(sections, 1)[0]["value"] = "Les élus & les <agents>\nrépondent."

    v2 = next_version(v1, editor, reword)
    folded = rows(v2)[4]  # unchanged from here on: the second article
    next_version(v2, editor, lambda sections: paragraphs_of(sections, 0).pop(0))
    charter = v1.get_parent().specific
    page = client.get(f"{charter.url}compare/2/3/").content.decode()
    unchanged = page[page.index('<details class="comparison__unchanged">') :]
    v3 = CharterIterationPage.objects.get(number=3, locale=v1.locale)
    expected = (
        f'<div class="change change--unchanged" id="change-{folded.key}"><p class="change__where">'
        f'<a href="{v3.url}p/{folded.key}/">Article 2, alinéa 1</a></p>'
        "<p>Les élus &amp; les &lt;agents&gt;<br>répondent.</p></div>"
    )
    assert expected in unchanged

    # Read in English where the version is not translated: its links say the source language.
    in_english(v1, english)
    charter_en = CharterPage.objects.get(translation_key=charter.translation_key, locale=english)
    html = client.get(f"{charter_en.url}compare/2/3/").content.decode()
    assert f'<a href="{v3.url}p/{folded.key}/" hreflang="fr">Article 2, paragraph 1</a>' in html


def test_a_draft_iteration_cannot_be_compared(client, v1, editor):
    charter = v1.get_parent().specific
    services.iteration_close(iteration=v1, by=editor)
    draft = services.iteration_start_next(charter=charter, by=editor)
    draft.save_revision(user=editor).publish(user=editor)  # published, but not frozen
    assert client.get(f"{charter.url}compare/1/2/").status_code == 404


def test_a_paragraph_history_back_to_the_first_version(client, v1, editor):
    old = rows(v1)
    citizen = make_citizen()
    comment_post(paragraph=old[4], by=citizen, text="Dans quel délai ?")
    amendment = amendment_propose(
        paragraph=old[4],
        by=citizen,
        kind="modify",
        text="Les élus répondent par écrit sous un mois.",
        rationale="Un délai.",
    )
    amendment_answer(amendment=amendment, status="accepted", response="D'accord.", by=editor)
    v2 = next_version(v1, editor, lambda sections: None)
    v3 = next_version(v2, editor, lambda sections: None)

    steps = paragraph_history(v3, old[4].key)
    assert [step.iteration.number for step in steps] == [1, 2, 3]
    assert [step.comment_count for step in steps] == [1, 0, 0]
    assert steps[0].amendments == [amendment] and steps[1].integrates == [amendment]
    assert [step.changed for step in steps] == [False, True, False]
    # From the first version, the history goes on to its descendants.
    assert len(paragraph_history(v1, old[4].key)) == 3

    response = client.get(f"{v3.url}p/{old[4].key}/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "D&#x27;accord." in html
    assert "1 commentaire" in html and "<ins>" in html
    assert client.get(f"{v3.url}p/unknown/history/").status_code == 404

    # A reader holding the page is told it changed when its author's name did.
    tag = response.headers["ETag"]
    history = f"{v3.url}p/{old[4].key}/history/"
    assert client.get(history, HTTP_IF_NONE_MATCH=tag).status_code == 304
    citizen.pseudonym = "Léa des Quais"
    citizen.save(update_fields=["pseudonym"])
    renamed = client.get(history, HTTP_IF_NONE_MATCH=tag)
    assert renamed.status_code == 200
    assert "Léa des Quais" in renamed.content.decode()


def in_english(page, english):
    """An English translation of ``page`` (same block ids), each paragraph prefixed."""
    from charte.models import CharterIterationPage

    translated = page.copy_for_translation(english, copy_parents=True)
    body = copy.deepcopy(list(translated.body.raw_data))
    for section in body:
        for article in section["value"]["articles"]:
            for paragraph in article["value"]["paragraphs"]:
                paragraph["value"] = "In English: " + paragraph["value"]
    translated.body = list(body)
    translated.save_revision().publish()
    return CharterIterationPage.objects.get(pk=translated.pk)


def test_the_comparison_reads_in_the_readers_language(client, v1, editor, english):
    old = rows(v1)

    def reword(sections):
        paragraphs_of(sections, 0)[0]["value"] = "La commune publie le bilan en mars."

    v2 = next_version(v1, editor, reword)
    v1_en, v2_en = in_english(v1, english), in_english(v2, english)
    change = by_key(compare(v1_en, v2_en))[old[0].key]
    assert change.status == MODIFIED  # decided on the frozen rows, whatever the language
    assert change.old_text.startswith("In English: La commune publie chaque année")
    assert change.new_text == "In English: La commune publie le bilan en mars."

    charter_en = v1_en.get_parent()
    html = client.get(f"{charter_en.url}compare/1/2/").content.decode()
    assert '<html lang="en">' in html and "Version 2 compared with Version 1" in html
    assert "In English: La commune publie " in html and "en mars" in html


@pytest.mark.parametrize("count", [12, 60])
def test_the_comparison_reads_a_fixed_number_of_queries(
    client, charter, editor, count, django_assert_max_num_queries
):
    """However long the text and however many amendments shaped it."""
    from charte.models import Amendment

    first = factories.make_iteration(charter, factories.body_with(count), user=editor)
    services.iteration_open(iteration=first, by=editor)
    for n, row in enumerate(rows(first)[: count // 3]):
        author = make_citizen(f"c{n}", f"Citoyen {n}")
        amendment = amendment_propose(
            paragraph=row, by=author, kind="modify", text=f"Rédaction {n}.", rationale="Motif."
        )
        amendment_answer(amendment=amendment, status="accepted", response="Oui.", by=editor)
    second = next_version(first, editor, lambda sections: None)
    assert Amendment.objects.filter(integrated_into=second).count() == count // 3
    # On PostgreSQL the page's time budget adds four statements of its own (a savepoint, its
    # statement_timeout, the rollback to the savepoint and its release), whatever the size.
    # +2 on a first request: the site's identity and its footer menu (then cached); +1 for what
    # identifies the kept rendering (the amendments integrated in between).
    budget = 33 + (4 if connection.vendor == "postgresql" else 0)
    with django_assert_max_num_queries(budget):
        response = client.get(f"{charter.url}compare/1/2/")
    assert response.status_code == 200


def test_a_change_of_spacing_alone_is_shown_as_typography_not_as_rewording(client, v1, editor):
    old = rows(v1)

    def edit(sections):
        # A plain space became a narrow no-break space before « ! », a straight apostrophe
        # a curly one: the words are the same.
        paragraphs_of(sections, 1)[0]["value"] = "Les élus répondent par écrit\u202f! aux questions"
        paragraphs_of(sections, 1)[1]["value"] = TEXTS[5].replace(" ", "\u00a0", 1)

    v2 = next_version(v1, editor, edit)
    comparison = compare(v1, v2)
    spacing = by_key(comparison)[old[5].key]
    assert spacing.status == MODIFIED and spacing.typography_only
    # A real rewording is still one.
    assert not by_key(comparison)[old[4].key].typography_only

    page = client.get(f"{v1.get_parent().url}compare/1/2/").content.decode()
    change = page.split(f'id="change-{old[5].key}"')[1].split("</article>")[0]
    assert "badge--change-typography" in change and 'class="diff__typography"' in change
    assert "<del>" not in change and "<ins>" not in change
    reworded = page.split(f'id="change-{old[4].key}"')[1].split("</article>")[0]
    assert "badge--change-modified" in reworded and "<del>" in reworded

    history = client.get(v2.url + v2.reverse_subpage("paragraph_history", args=[old[5].key]))
    assert 'class="diff__typography"' in history.content.decode()
