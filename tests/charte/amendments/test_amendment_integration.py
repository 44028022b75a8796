"""Accepted amendments become part of the next iteration, which says where its wording came
from; what cannot be applied automatically is listed for the editor."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from charte.amendments.services import (
    amendment_answer,
    amendment_mark_integrated,
    amendment_propose,
    pending_integration,
)
from charte.models import Amendment, CharterIterationPage, Paragraph
from charte.texts import services
from charte.texts.outline import body_outline, outline_paragraphs
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(opened):
    return list(Paragraph.objects.filter(iteration=opened).order_by("position"))


def propose_and_answer(row, editor, status="accepted", **fields):
    tag = f"{row.pk}{fields.get('kind')}"
    author = fields.pop("author", None) or make_citizen(f"u{tag}", f"Auteur {tag}")
    amendment = amendment_propose(
        paragraph=row, by=author, rationale=fields.pop("rationale", "Motif"), **fields
    )
    return amendment_answer(amendment=amendment, status=status, response="Motivé", by=editor)


def start_next(opened, editor):
    services.iteration_close(iteration=opened, by=editor)
    return services.iteration_start_next(charter=opened.get_parent().specific, by=editor)


def draft_paragraphs(draft):
    return outline_paragraphs(body_outline(draft.get_latest_revision_as_object().body))


def test_accepted_amendments_are_applied_with_their_provenance(opened, rows, editor):
    lea = make_citizen()
    modify = propose_and_answer(
        rows[0], editor, author=lea, kind="modify", text="Une rédaction nouvelle."
    )
    insert = propose_and_answer(
        rows[1], editor, author=lea, kind="insert", text="Un alinéa ajouté après le deuxième."
    )
    delete = propose_and_answer(rows[2], editor, author=lea, kind="delete")
    rejected = propose_and_answer(
        rows[3], editor, author=lea, status="rejected", kind="modify", text="Refusée."
    )

    draft = start_next(opened, editor)
    paragraphs = draft_paragraphs(draft)
    texts = [p.text for p in paragraphs]
    assert texts[0] == "Une rédaction nouvelle."
    assert texts[2] == "Un alinéa ajouté après le deuxième."
    assert rows[2].text not in texts
    assert rows[3].text in texts and "Refusée." not in texts
    assert len(paragraphs) == len(rows)  # one inserted, one deleted

    for amendment in (modify, insert, delete, rejected):
        amendment.refresh_from_db()
    assert (modify.integrated_into, modify.integrated_key) == (draft, rows[0].key)
    assert (insert.integrated_into, insert.integrated_key) == (draft, paragraphs[2].key)
    assert (delete.integrated_into, delete.integrated_key) == (draft, "")
    assert rejected.integrated_into is None
    assert not pending_integration(draft).exists()


def test_the_new_iteration_says_which_amendment_its_wording_comes_from(
    client, opened, rows, editor
):
    association = make_citizen("asso", "Association des Quais")
    amendment = propose_and_answer(
        rows[0], editor, author=association, kind="modify", text="Une rédaction nouvelle."
    )
    draft = start_next(opened, editor)
    draft.save_revision(user=editor).publish()
    now = timezone.now()
    services.iteration_open(
        iteration=CharterIterationPage.objects.get(pk=draft.pk),
        by=editor,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=10),
    )
    new_row = Paragraph.objects.get(iteration=draft, key=rows[0].key)
    assert new_row.text == "Une rédaction nouvelle." and new_row.derived_from == rows[0]

    html = client.get(draft.url).content.decode()
    expected = (
        f'Cette rédaction intègre <a href="{amendment.get_url()}">l’amendement n° 1</a>'
        " (Association des Quais)."
    )
    assert expected in html
    assert expected in client.get(new_row.get_url()).content.decode()
    # The amendment's own page says where it went.
    assert f"Intégré dans la {draft.title}." in client.get(amendment.get_url()).content.decode()

    # The text is kept, the provenance is not: a new pseudonym shows at the next view.
    association.pseudonym = "Collectif des Quais"
    association.save(update_fields=["pseudonym"])
    html = client.get(draft.url).content.decode()
    assert "(Collectif des Quais)." in html
    assert "Association des Quais" not in html


def test_a_version_that_integrates_no_amendment_does_not_ask_at_each_view(
    client, opened, rows, editor
):
    propose_and_answer(rows[0], editor, status="rejected", kind="modify", text="Refusée.")
    draft = start_next(opened, editor)
    draft.save_revision(user=editor).publish()
    services.iteration_open(
        iteration=CharterIterationPage.objects.get(pk=draft.pk),
        by=editor,
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    assert client.get(draft.url).status_code == 200  # rendered and kept

    with CaptureQueriesContext(connection) as captured:
        html = client.get(draft.url).content.decode()
    assert "Cette rédaction intègre" not in html
    asked = [q["sql"] for q in captured if "integrated_into" in q["sql"]]
    assert asked == []


def test_conflicts_and_partial_acceptances_are_left_to_the_editor(client, opened, rows, editor):
    first = propose_and_answer(rows[0], editor, kind="modify", text="Première rédaction.")
    second = propose_and_answer(
        rows[0], editor, author=make_citizen("sam", "Sam"), kind="modify", text="Seconde."
    )
    partial = propose_and_answer(
        rows[1], editor, status="partially_accepted", kind="modify", text="En partie."
    )
    draft = start_next(opened, editor)
    assert draft_paragraphs(draft)[0].text == "Première rédaction."
    assert list(pending_integration(draft)) == [second, partial]
    first.refresh_from_db()
    assert first.integrated_into == draft

    client.force_login(editor)
    screen = client.get(f"/admin/charte/iteration/{draft.pk}/integrate/").content.decode()
    assert "Amendement n° 2" in screen and "Amendement n° 3" in screen
    refused = client.post(
        f"/admin/charte/iteration/{draft.pk}/integrate/",
        {"amendment": second.pk, "key": "not-a-paragraph"},
    )
    assert "Choisissez un alinéa de cette itération." in refused.content.decode()
    client.post(
        f"/admin/charte/iteration/{draft.pk}/integrate/",
        {"amendment": partial.pk, "key": rows[1].key},
    )
    partial.refresh_from_db()
    assert (partial.integrated_into, partial.integrated_key) == (draft, rows[1].key)
    assert list(pending_integration(draft)) == [second]


def test_an_answer_is_final_once_integrated(opened, rows, editor):
    from charte.amendments.services import AmendmentRefused

    amendment = propose_and_answer(rows[0], editor, kind="modify", text="Nouvelle.")
    start_next(opened, editor)
    with pytest.raises(AmendmentRefused, match="déjà intégré"):
        amendment_answer(amendment=amendment, status="rejected", response="Non", by=editor)
    with pytest.raises(AmendmentRefused):
        amendment_mark_integrated(
            amendment=Amendment.objects.get(pk=amendment.pk),
            iteration=CharterIterationPage.objects.get(number=2),
            key=rows[0].key,
            by=editor,
        )


def test_an_accepted_amendment_enters_the_text_in_french_typography(opened, rows, editor):
    propose_and_answer(rows[0], editor, kind="modify", text="L'usager dit \"oui\"  : c'est voté!")
    propose_and_answer(rows[1], editor, kind="insert", text="Voir https://ex.fr/a?b=1 ; merci!")

    texts = [p.text for p in draft_paragraphs(start_next(opened, editor))]

    assert texts[0] == "L’usager dit «\u00a0oui\u00a0»\u202f: c’est voté\u202f!"
    assert texts[2] == "Voir https://ex.fr/a?b=1\u202f; merci\u202f!"
