"""The demo loads once, in French with its English translation, and loads again harmlessly."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from charte.models import CharterIterationPage, CharterPage, IterationState, Paragraph

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def seed(**settings):
    out = io.StringIO()
    with override_settings(**settings):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_demo_and_is_idempotent(client):
    first = seed(DEBUG=True)
    assert "Demo content loaded" in first
    assert "demo-equipe-2026" in first  # passwords are printed in development

    v1, v2 = CharterIterationPage.objects.in_source_locale().order_by("number")
    assert v1.current_state() == IterationState.CLOSED
    assert v2.current_state() == IterationState.CONSULTATION and v2.is_consultation_open()
    assert Paragraph.objects.filter(iteration=v1).count() == 40
    v2_rows = Paragraph.objects.filter(iteration=v2)
    assert 38 <= v2_rows.count() <= 45
    assert v2_rows.filter(derived_from__isnull=False).count() >= 35
    assert v2_rows.filter(derived_from__isnull=True).exists()  # new paragraphs
    assert len({r.article_number for r in v2_rows}) == 8

    # Amendments: answered in v1 (the accepted ones integrated into v2), awaited in v2.
    from charte.models import Amendment

    assert list(Amendment.objects.filter(iteration=v1).values_list("status", flat=True)) == [
        "accepted",
        "accepted",
        "rejected",
    ]
    assert Amendment.objects.filter(iteration=v1, integrated_into=v2).count() == 2
    assert Amendment.objects.filter(iteration=v2, status="submitted").count() == 2
    page = client.get(v2.url).content.decode()
    assert "Cette rédaction intègre <a" in page and "(Association des Tilleuls)" in page
    assert "2 amendements" not in page and "1 amendement" in page  # the margin of v2

    # The demo is searchable at once: the question of the issue finds its contributions.
    found = client.get("/recherche/", {"q": "participation des jeunes"}).content.decode()
    assert "Amendement n° 2" in found and "Article 3, alinéa 2" in found
    assert "Commentaire sur l’article 3, alinéa 2" in found

    english = CharterIterationPage.objects.exclude(locale=v2.locale)
    assert english.count() == 2
    en_v2 = english.get(translation_key=v2.translation_key)
    assert en_v2.live and en_v2.url.startswith("/en/")
    html = client.get(en_v2.url).content.decode()
    assert html.count('class="charter-paragraph"') == v2_rows.count()
    assert 'lang="fr"' not in html.split("<main", 1)[1]  # everything is translated

    # The first consultation has its synthesis: comments, amendments, their answers.
    from charte.publications.synthesis import figures

    numbers = figures(v1)
    assert (numbers.comments, numbers.amendments) == (6, 3) and numbers.participants == 3
    synthesis = client.get(f"{v1.url}synthesis/").content.decode()
    assert synthesis.count('<svg class="chart__bars"') == 5

    # A debate of the listening phase, open, with arguments on both sides, in both languages.
    from charte.models import Argument, DebatePage

    debate = DebatePage.objects.get(locale=v2.locale)
    assert debate.state() == "open" and debate.articles.count() == 1
    assert set(Argument.objects.visible().values_list("side", flat=True)) == {"for", "against"}
    html = client.get(debate.url).content.decode()
    assert "Quelle place pour les jeunes dans les conseils de quartier ?" in html
    assert "Des sièges réservés, sinon rien ne change" in html
    en_debate = DebatePage.objects.exclude(locale=v2.locale).get()
    assert "What place for young people" in client.get(en_debate.url).content.decode()
    assert "Des quotas qui divisent" in client.get(en_debate.url).content.decode()

    second = seed(DEBUG=False)
    assert "already present" in second
    assert "demo-" not in second  # no password outside development
    assert CharterPage.objects.count() == 2  # French and English
    assert CharterIterationPage.objects.count() == 4
    assert Paragraph.objects.count() == 40 + v2_rows.count()
