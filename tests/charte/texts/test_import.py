"""The communication team imports its draft (Word, OpenDocument, Markdown, pasted text) from
the admin: a preview shows what it becomes, nothing is written before it confirms, and a
re-imported revision keeps the identity of the paragraphs that did not change."""

import io
import time

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from wagtail.models import PageLogEntry
from wagtail.users.models import UserProfile

from charte.models import CharterIterationPage
from charte.texts.outline import body_outline, outline_paragraphs
from tests import factories

pytestmark = pytest.mark.django_db

NBSP, NNBSP = "\u00a0", "\u202f"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@pytest.fixture
def team(client, editor):
    client.force_login(editor)
    return client


def wording(n, article):
    return (
        f"Alinéa {n} de l’article {article}{NNBSP}: la commune s’engage à «{NBSP}répondre{NBSP}» "
        f"à chacun — œuvre commune, {n * 7} habitants."
    )


def charter_plan(articles=150, paragraphs=1000, sections=10):
    """How many paragraphs each article has: 1,000 over 150 articles, 6 or 7 each."""
    base, extra = divmod(paragraphs, articles)
    per_section = articles // sections
    plan, n = [], 0
    for a in range(1, articles + 1):
        count = base + (1 if a <= extra else 0)
        plan.append((a, (a - 1) // per_section, [wording(n + i, a) for i in range(1, count + 1)]))
        n += count
    return plan


def charter_docx(plan, *, change=None):
    document = docx.Document()
    document.add_heading("Charte de la participation citoyenne", 0)
    section = None
    for article, section_index, texts in plan:
        if section_index != section:
            section = section_index
            document.add_heading(f"Titre {ROMAN[section]} – Partie {section + 1}", 1)
        document.add_heading(f"Article {article} – Objet {article}", 2)
        for text in texts:
            document.add_paragraph((change or {}).get(text, text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def import_url(page):
    return reverse("charte_import_draft", args=[page.pk])


def upload(client, page, data, name="charte.docx", mapping="auto"):
    return client.post(
        import_url(page), {"document": SimpleUploadedFile(name, data), "mapping": mapping}
    )


def confirm(client, page, preview, **extra):
    return client.post(import_url(page), {"token": preview.context["token"], **extra})


def draft_texts(page):
    body = CharterIterationPage.objects.get(pk=page.pk).get_latest_revision_as_object().body
    return [(p.key, p.article_title, p.text) for p in outline_paragraphs(body_outline(body))]


def test_a_word_charter_of_1000_paragraphs_is_previewed_then_created_as_a_draft(
    team, charter, django_assert_max_num_queries
):
    small = factories.make_charter(title="Petite charte", slug="petite")
    small_preview = upload(team, small, charter_docx(charter_plan(3, 9, 1)))
    with CaptureQueriesContext(connection) as small_queries:
        confirm(team, small, small_preview)
    plan = charter_plan()
    data = charter_docx(plan)

    with django_assert_max_num_queries(20):
        started = time.perf_counter()
        preview = upload(team, charter, data)
        elapsed = time.perf_counter() - started
    print(f"\nparse and preview of a 1,000-paragraph DOCX: {elapsed:.2f} s")

    assert preview.status_code == 200, preview.content.decode()[:2000]
    counts = preview.context["counts"]
    assert (counts["sections"], counts["articles"], counts["paragraphs"]) == (10, 150, 1000)
    html = preview.content.decode()
    assert "Objet 150" in html and "Alinéa 995 de l’article 150" in html
    assert "Charte de la participation citoyenne" in html  # taken for the title, and said so
    assert not CharterIterationPage.objects.child_of(charter).exists()

    # Confirming writes the text in a constant number of queries, whatever its size.
    with django_assert_max_num_queries(len(small_queries)):
        done = confirm(team, charter, preview)
    assert done.status_code == 302
    page = CharterIterationPage.objects.child_of(charter).get()
    assert done["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.frozen_at is None and page.number == 1
    sections = body_outline(page.get_latest_revision_as_object().body)
    assert [s.title for s in sections] == [
        f"Titre {r} – Partie {i + 1}" for i, r in enumerate(ROMAN)
    ]
    articles = [a for s in sections for a in s.articles]
    assert [a.title for a in articles] == [f"Objet {a}" for a, _s, _t in plan]
    assert [[p.text for p in a.paragraphs] for a in articles] == [t for _a, _s, t in plan]
    entry = PageLogEntry.objects.get(page=page, action="charte.iteration.import")
    assert entry.data["paragraphs"] == 1000 and entry.data["format"] == "docx"


def test_nothing_is_written_without_the_confirmation_and_a_stale_preview_is_refused(team, charter):
    preview = upload(team, charter, charter_docx(charter_plan(6, 20, 2)))
    assert preview.status_code == 200
    other = team.post(import_url(charter), {"token": "forged", "mapping": "auto"})
    assert other.status_code == 302
    assert not CharterIterationPage.objects.child_of(charter).exists()
    assert confirm(team, charter, preview).status_code == 302
    assert CharterIterationPage.objects.child_of(charter).count() == 1


def test_titres_chapitres_and_articles_are_recognised_in_pasted_text(team, charter):
    pasted = "\n".join(
        [
            "Charte de la vie associative",
            "Préambule",
            "La ville reconnaît le rôle des associations.",
            "TITRE I – Principes",
            "Chapitre 1 – Valeurs",
            "Article 1er – Objet",
            "La présente charte fixe les engagements réciproques.",
            "Art. 2 : Laïcité",
            "Les associations respectent la neutralité.",
            "Article 3 dit que ceci est une phrase, pas un titre.",
            "Chapitre 2",
            "Article 3",
            "Moyens",
            "- des salles ;",
            "- des subventions.",
        ]
    )
    preview = team.post(import_url(charter), {"pasted": pasted, "mapping": "auto"})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    draft = preview.context["draft"]
    assert [s.title for s in draft.sections] == [
        "Préambule",
        "TITRE I – Principes — Chapitre 1 – Valeurs",
        "TITRE I – Principes — Chapitre 2",
    ]
    assert [(a.label, a.title) for a in draft.articles] == [
        ("", "Préambule"),
        ("Article 1er", "Objet"),
        ("Art. 2", "Laïcité"),
        ("Article 3", "Moyens"),
    ]
    assert [p.value for p in draft.articles[2].paragraphs] == [
        "Les associations respectent la neutralité.",
        "Article 3 dit que ceci est une phrase, pas un titre.",
    ]
    assert [p.value for p in draft.articles[3].paragraphs] == [
        f"des salles{NNBSP};",
        "des subventions.",
    ]


def test_the_team_chooses_which_heading_levels_are_sections_and_articles(team, charter):
    markdown = (
        "# Charte\n\n## Engagements\n\n### Écoute\n\nLa ville écoute.\n\n"
        "### Réponse\n\nElle répond.\n"
    )
    preview = upload(team, charter, markdown.encode(), "charte.md", mapping="2-3")
    draft = preview.context["draft"]
    assert [s.title for s in draft.sections] == ["Engagements"]
    assert [a.title for a in draft.articles] == ["Écoute", "Réponse"]


def add_link(paragraph, text, url):
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def test_emphasis_links_lists_tables_and_typography_of_a_word_draft(team, charter):
    kept = f"L’œuvre «{NBSP}commune{NBSP}» — voir{NNBSP}! 10{NNBSP}% à 18{NBSP}h."
    document = docx.Document()
    document.add_heading("Article 1 – Objet", 1)
    document.add_paragraph(kept)
    paragraph = document.add_paragraph("La commune agit ")
    paragraph.add_run("résolument").bold = True
    paragraph.add_run(", selon ")
    add_link(paragraph, "la loi", "https://www.legifrance.gouv.fr/loi")
    paragraph.add_run(".")
    document.add_paragraph("informer ;", style="List Number")
    document.add_paragraph("consulter.", style="List Number")
    document.add_heading("Article 2 – Budget", 1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Poste", "Montant"
    table.cell(1, 0).text, table.cell(1, 1).text = "Salles", "10 000 €"
    buffer = io.BytesIO()
    document.save(buffer)

    preview = upload(team, charter, buffer.getvalue())
    draft = preview.context["draft"]
    first, second = draft.articles
    assert first.paragraphs[0].value.encode() == kept.encode()
    assert "<strong>résolument</strong>" in first.paragraphs[1].html
    assert first.paragraphs[1].value == (
        "La commune agit résolument, selon la loi (https://www.legifrance.gouv.fr/loi)."
    )
    assert [p.value for p in first.paragraphs[2:]] == [f"informer{NNBSP};", "consulter."]
    assert [p.value for p in second.paragraphs] == ["Poste – Montant", "Salles – 10 000 €"]
    assert len([w for w in draft.warnings if "2" in w and "« Article 2 »" in w]) == 1

    confirm(team, charter, preview)
    page = CharterIterationPage.objects.child_of(charter).get()
    assert draft_texts(page)[0][2].encode() == kept.encode()


def test_footnotes_and_images_of_an_opendocument_draft(team, charter):
    from odf.draw import Frame
    from odf.opendocument import OpenDocumentText
    from odf.text import H, Note, NoteBody, NoteCitation, P

    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text="Article 1 – Participation"))
    paragraph = P(text="Chacun peut proposer un amendement")
    note = Note(noteclass="footnote", id="ftn1")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Dans les conditions de l’article 4."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(".")
    odt.text.addElement(paragraph)
    with_image = P(text="Voir le schéma.")
    with_image.addElement(Frame(width="2cm", height="2cm"))
    odt.text.addElement(with_image)
    buffer = io.BytesIO()
    odt.write(buffer)

    preview = upload(team, charter, buffer.getvalue(), "charte.odt")
    assert preview.status_code == 200, preview.content.decode()[:2000]
    draft = preview.context["draft"]
    assert [p.value for p in draft.articles[0].paragraphs] == [
        "Chacun peut proposer un amendement[1].\n[1] Dans les conditions de l’article 4.",
        "Voir le schéma.",
    ]
    html = preview.content.decode()
    warnings = " ".join(draft.warnings)
    with translation.override("fr"):
        assert (
            translation.gettext("Footnote %(mark)s was appended to its paragraph, in %(where)s.")
            % {"mark": "1", "where": "« Article 1 »"}
        ) in warnings
        assert (
            translation.gettext("An image cannot be kept: the one in %(where)s was left out.")
            % {"where": "« Article 1 »"}
        ) in warnings
    assert escape(draft.warnings[0]) in html


DAMAGED = "This file is damaged: it cannot be read."
WRONG_TYPE = (
    "This file is not a document that can be imported: send a Word (.docx) or OpenDocument "
    "(.odt) file, Markdown, HTML or plain text."
)
EMPTY = "This document is empty: there is no text to import."


def shown(response, message, language):
    """The refusal is on the page, in the team member's language."""
    with translation.override(language):
        expected = escape(translation.gettext(message))
    return expected in response.content.decode()


def empty_docx():
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 broken archive", "charte.docx", DAMAGED),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "charte.docx", WRONG_TYPE),
        (b"   \n\n  ", "charte.txt", EMPTY),
        (empty_docx(), "charte.docx", EMPTY),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_clear_message(
    team, charter, editor, data, name, message
):
    response = upload(team, charter, data, name)
    assert response.status_code == 200
    assert shown(response, message, "fr")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    response = upload(team, charter, data, name)
    assert response.status_code == 200
    assert shown(response, message, "en")
    assert not CharterIterationPage.objects.child_of(charter).exists()


def test_a_file_too_large_is_refused(team, charter, settings):
    settings.IMPORT_MAX_MB = 1
    response = upload(team, charter, b"a" * (1024 * 1024 + 1), "charte.txt")
    assert response.status_code == 200
    with translation.override("fr"):
        expected = translation.gettext("This file is too large: %(max)s MB at most.") % {"max": 1}
    assert expected in response.content.decode()
    assert not CharterIterationPage.objects.child_of(charter).exists()


def test_only_the_team_that_manages_the_charter_may_import(client, charter):
    from charte.core import roles

    client.force_login(factories.UserFactory(username="mod", role=roles.MODERATORS))
    # Wagtail sends whoever lacks the permission back to the dashboard with its message.
    response = client.get(import_url(charter))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(import_url(charter), {"pasted": "Article 1\nTexte", "mapping": "auto"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not CharterIterationPage.objects.child_of(charter).exists()


def test_a_revised_document_keeps_the_identity_of_its_paragraphs(team, charter, editor):
    plan = charter_plan(12, 60, 3)
    first = upload(team, charter, charter_docx(plan))
    confirm(team, charter, first)
    page = CharterIterationPage.objects.child_of(charter).get()
    before = draft_texts(page)
    old = {text: key for key, _title, text in before}

    reworded = wording(3, 1)
    revised_plan = [list(x) for x in plan]
    revised_plan[0][2] = [
        *revised_plan[0][2][:2],
        reworded.replace("répondre", "répondre vite"),
        "Un alinéa tout à fait nouveau sur les budgets participatifs.",
        *revised_plan[0][2][3:],
    ]
    removed = revised_plan[5][2].pop(1)
    preview = upload(team, page, charter_docx(revised_plan))
    assert preview.status_code == 200
    counts = preview.context["counts"]
    assert (counts["kept"], counts["changed"], counts["new"], counts["removed"]) == (58, 1, 1, 1)
    html = preview.content.decode()
    assert "budgets participatifs" in html and "répondre vite" in html

    assert confirm(team, page, preview).status_code == 302
    after = draft_texts(page)
    keys = {text: key for key, _title, text in after}
    assert keys[wording(1, 1)] == old[wording(1, 1)]
    assert keys[reworded.replace("répondre", "répondre vite")] == old[reworded]
    assert keys["Un alinéa tout à fait nouveau sur les budgets participatifs."] not in old.values()
    assert removed not in keys
    assert len(after) == 60


def test_the_team_can_say_a_changed_paragraph_is_a_new_one(team, charter):
    plan = charter_plan(2, 4, 1)
    confirm(team, charter, upload(team, charter, charter_docx(plan)))
    page = CharterIterationPage.objects.child_of(charter).get()
    old_key = draft_texts(page)[0][0]
    change = {wording(1, 1): wording(1, 1).replace("chacun", "chacune")}
    preview = upload(team, page, charter_docx(plan, change=change))
    assert preview.context["counts"]["changed"] == 1
    confirm(team, page, preview, changed="1")  # « keep » left unticked
    assert draft_texts(page)[0][0] != old_key


def test_a_frozen_iteration_is_not_replaced(team, opened):
    response = team.post(import_url(opened), {"pasted": "Article 1\nTexte", "mapping": "auto"})
    assert response.status_code == 302
    assert [(k, t) for k, _title, t in draft_texts(opened)] == factories.body_texts(opened)


def tracked(paragraph, kind, text):
    """A tracked insertion (w:ins) or deletion (w:del) of ``text`` in a Word paragraph."""
    change = OxmlElement(f"w:{kind}")
    change.set(qn("w:id"), str(len(paragraph._p)))
    change.set(qn("w:author"), "Service juridique")
    run = OxmlElement("w:r")
    piece = OxmlElement("w:t" if kind == "ins" else "w:delText")
    piece.set(qn("xml:space"), "preserve")
    piece.text = text
    run.append(piece)
    change.append(run)
    paragraph._p.append(change)


def test_tracked_changes_are_read_as_accepted(team, charter):
    document = docx.Document()
    document.add_heading("Article 1 – Délais", 1)
    paragraph = document.add_paragraph("La commune répond ")
    tracked(paragraph, "del", "sous trois mois")
    tracked(paragraph, "ins", "sous un mois")
    paragraph.add_run(".")
    buffer = io.BytesIO()
    document.save(buffer)

    draft = upload(team, charter, buffer.getvalue()).context["draft"]
    assert [p.value for p in draft.paragraphs] == ["La commune répond sous un mois."]


def test_markdown_and_pasted_html_keep_emphasis_and_links(team, charter):
    markdown = (
        "## Article 1 – Accès\n\nLe registre est *public* et **gratuit** : "
        "[décret](https://www.legifrance.gouv.fr/d).\n\n1. en mairie ;\n2. en ligne.\n"
    )
    draft = upload(team, charter, markdown.encode(), "charte.md").context["draft"]
    first = draft.paragraphs[0]
    assert "<em>public</em>" in first.html and "<strong>gratuit</strong>" in first.html
    assert first.value == (
        f"Le registre est public et gratuit{NNBSP}: décret (https://www.legifrance.gouv.fr/d)."
    )
    assert [p.value for p in draft.paragraphs[1:]] == [f"en mairie{NNBSP};", "en ligne."]

    pasted = (
        "<h2>Article 1 – Accès</h2><p>Le registre est <b>public</b>.</p>"
        "<script>alert(1)</script><ul><li>en mairie</li><li>en ligne</li></ul>"
    )
    draft = team.post(import_url(charter), {"pasted": pasted, "mapping": "auto"}).context["draft"]
    assert [p.html for p in draft.paragraphs] == [
        "Le registre est <strong>public</strong>.",
        "en mairie",
        "en ligne",
    ]


def test_the_import_action_is_offered_on_a_new_charter_and_on_a_draft(team, charter, editor):
    explore = reverse("wagtailadmin_explore", args=[charter.get_parent().pk])
    assert import_url(charter) in team.get(explore).content.decode()
    page = factories.make_iteration(charter, user=editor)
    listing = team.get(reverse("wagtailadmin_explore", args=[charter.pk])).content.decode()
    assert import_url(page) in listing
    edit = team.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert import_url(page) in edit
    # The charter now has a text: importing is done into its draft.
    assert team.get(import_url(charter))["Location"] == import_url(page)


def test_the_import_action_is_not_offered_on_a_frozen_version(team, opened):
    edit = team.get(reverse("wagtailadmin_pages:edit", args=[opened.pk])).content.decode()
    assert import_url(opened) not in edit


@pytest.mark.parametrize(
    "fragment, expected",
    [
        ('"<i>Le Port</i>" est cité', "<p>«\u00a0<i>Le Port</i>\u00a0» est cité</p>"),
        (
            'Voir <a href="https://x.fr/a:b">l\'article</a> : ici',
            '<p>Voir <a href="https://x.fr/a:b">l’article</a>\u202f: ici</p>',
        ),
        # Quotation marks never pair across two list items.
        ('<ol><li>un "a</li><li>b"</li></ol>', '<ol><li>un "a</li><li>b"</li></ol>'),
    ],
)
def test_typography_reads_a_paragraph_across_its_emphasis_and_links(fragment, expected):
    from charte.core.typography import french
    from charte.texts.importing import paragraph_rich_text

    assert paragraph_rich_text(fragment, french) == expected
    assert paragraph_rich_text(expected, french) == expected
