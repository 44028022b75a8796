"""Paragraphs in restricted rich text: emphasis, links and lists reach readers, nothing unsafe
does, and everything that compares or searches a paragraph reads its text."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from charte.models import CharterIterationPage, Paragraph
from charte.texts import services
from tests import factories

pytestmark = pytest.mark.django_db

RICH = (
    "<p>La commune <b>s’engage</b> à répondre, <i>par écrit</i>, selon "
    '<a href="https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006390000">'
    "l’article L. 2141-1</a> :</p>"
    "<ol><li>dans un délai d’un mois ;</li><li>en ligne.</li></ol>"
    "<ul><li>Une liste à puces</li></ul>"
    '<p><a href="javascript:alert(1)">piège</a><script>alert("x")</script> '
    '<span style="color:red" onclick="alert(2)">fin</span></p>'
)


def migration():
    import importlib

    return importlib.import_module("charte.migrations.0022_paragraph_rich_text")


def migration_apps():
    """The models as the migration sees them (plain managers, no immutability guard)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    return loader.project_state(("charte", "0022_paragraph_rich_text")).apps


@pytest.fixture
def rich(charter, editor):
    body = [
        factories.section(
            "Titre premier",
            [factories.article("Réponses", [RICH, "<p>Deuxième alinéa.</p>"])],
        )
    ]
    page = factories.make_iteration(charter, body, user=editor)
    services.iteration_open(iteration=page, by=editor)
    return CharterIterationPage.objects.get(pk=page.pk)


def test_the_public_page_shows_emphasis_links_and_lists_and_nothing_unsafe(client, rich):
    for url in (rich.url, rich.url + rich.reverse_subpage("paragraph", args=[row_key(rich)])):
        html = client.get(url).content.decode()
        assert "<strong>s’engage</strong>" in html and "<em>par écrit</em>" in html
        assert (
            '<a href="https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006390000">'
            "l’article L. 2141-1</a>" in html
        )
        assert "<ol><li>dans un délai d’un mois ;</li><li>en ligne.</li></ol>" in html
        assert "<ul><li>Une liste à puces</li></ul>" in html
        assert "<a>piège</a>" in html
        assert "javascript:" not in html and 'alert("x")' not in html
        assert "onclick" not in html and "color:red" not in html


def row_key(page):
    return Paragraph.objects.filter(iteration=page).order_by("position").first().key


def test_frozen_rows_keep_the_text_for_diffs_search_and_amendments(rich):
    row = Paragraph.objects.filter(iteration=rich).order_by("position").first()
    assert row.text == (
        "La commune s’engage à répondre, par écrit, selon l’article L. 2141-1 :\n"
        "1. dans un délai d’un mois ;\n2. en ligne.\n– Une liste à puces\n\npiège fin"
    )
    assert "<strong>s’engage</strong>" in row.html


@pytest.mark.french_analysis  # its search judges French matching
def test_search_finds_words_inside_emphasis(client, rich):
    call_command("rebuild_search_index", verbosity=0, stdout=None)
    html = client.get("/recherche/", {"q": "engage"}).content.decode()
    assert "1 résultat" in html and "engage" in html


def test_a_change_of_emphasis_alone_is_refused_once_the_text_is_frozen(rich, editor):
    body = copy.deepcopy(list(rich.body.raw_data))
    paragraph = body[0]["value"]["articles"][0]["value"]["paragraphs"][1]
    paragraph["value"] = "<p><b>Deuxième</b> alinéa.</p>"
    rich.body = body
    with pytest.raises(ValidationError) as refusal:
        rich.full_clean()
    assert "Le texte de cette itération est figé depuis" in " ".join(refusal.value.messages)


def test_the_migration_turns_plain_text_into_rich_text_and_back_keeping_the_keys(charter, editor):
    body = [
        factories.section(
            "Titre",
            [factories.article("Un", ["Ligne 1 & <tag>\nLigne 2\n\nSecond paragraphe."])],
            key="s-1",
        )
    ]
    body[0]["value"]["articles"][0]["value"]["paragraphs"][0]["id"] = "p-key-1"
    page = factories.make_iteration(charter, body, user=editor)
    services.iteration_open(iteration=page, by=editor)
    assert Paragraph.objects.get(iteration=page).text.startswith("Ligne 1 & <tag>")

    historical = migration_apps()
    migration().forwards(historical, None)
    page = CharterIterationPage.objects.get(pk=page.pk)
    stored = page.body.raw_data[0]["value"]["articles"][0]["value"]["paragraphs"][0]
    assert stored["id"] == "p-key-1"
    assert stored["value"] == (
        "<p>Ligne 1 &amp; &lt;tag&gt;<br/>Ligne 2</p><p>Second paragraphe.</p>"
    )
    revision = page.latest_revision.as_object()
    assert str(
        revision.body.raw_data[0]["value"]["articles"][0]["value"]["paragraphs"][0]["value"]
    ).startswith("<p>Ligne 1 &amp; &lt;tag&gt;")
    # The frozen text still matches its rows: the page can be saved again.
    page.full_clean()

    migration().backwards(historical, None)
    page = CharterIterationPage.objects.get(pk=page.pk)
    stored = page.body.raw_data[0]["value"]["articles"][0]["value"]["paragraphs"][0]
    assert stored == {
        "type": "paragraph",
        "id": "p-key-1",
        "value": "Ligne 1 & <tag>\nLigne 2\n\nSecond paragraphe.",
    }
