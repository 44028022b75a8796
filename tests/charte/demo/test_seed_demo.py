"""The demo loads once, in French with its English translation, and loads again harmlessly."""

import datetime
import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from charte.core import roles
from charte.demo.seed import CHARTER_KEY
from charte.models import (
    Amendment,
    CharterIterationPage,
    CharterPage,
    DebatePage,
    IterationState,
    Paragraph,
    Workshop,
)
from charte.texts import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def counts():
    return {
        "pages": Page.objects.count(),
        "charters": CharterPage.objects.count(),
        "iterations": CharterIterationPage.objects.count(),
        "debates": DebatePage.objects.count(),
        "paragraphs": Paragraph.objects.count(),
        "amendments": Amendment.objects.count(),
        "workshops": Workshop.objects.count(),
        "users": get_user_model().objects.count(),
    }


def seed(**settings):
    out = io.StringIO()
    with override_settings(**settings):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.french_analysis  # its search judges French matching
def test_seed_demo_builds_the_demo_and_is_idempotent(client):
    """One test, since each test that loads the demo costs a minute."""
    first = seed(DEBUG=True)
    assert "Demo content loaded" in first
    assert "demo-equipe-2026" in first  # passwords are printed in development

    main = CharterPage.objects.get(translation_key=CHARTER_KEY, locale__language_code="fr")
    v1, v2 = CharterIterationPage.objects.child_of(main).order_by("number")
    assert v1.current_state() == IterationState.CLOSED
    assert v2.current_state() == IterationState.CONSULTATION and v2.is_consultation_open()
    assert Paragraph.objects.filter(iteration=v1).count() == 40
    v2_rows = Paragraph.objects.filter(iteration=v2)
    assert 38 <= v2_rows.count() <= 45
    assert v2_rows.filter(derived_from__isnull=False).count() >= 35
    assert v2_rows.filter(derived_from__isnull=True).exists()  # new paragraphs
    assert len({r.article_number for r in v2_rows}) == 8

    # Amendments: answered in v1 (the accepted ones integrated into v2), awaited in v2.

    assert list(
        Amendment.objects.filter(iteration=v1, workshop=None).values_list("status", flat=True)
    ) == ["accepted", "accepted", "rejected"]
    assert Amendment.objects.filter(iteration=v1, integrated_into=v2).count() == 4

    # Two past workshops on the first consultation (one a paper register), signed by the
    # workshop, never by the facilitator who entered them; one workshop to come on v2.
    from charte.core.origins import origin_of
    from charte.models import Comment

    port, register = Workshop.objects.filter(iteration=v1).order_by("-kind")
    assert (port.kind, port.title, register.kind) == ("workshop", "Atelier du Port", "register")
    assert port.signature().endswith(" – Maison de quartier du Port, 18 participants")
    assert register.signature() == "Registre papier – Hôtel de ville, accueil"
    assert port.report and register.report and not port.is_upcoming()
    facilitator = get_user_model().objects.get(username="animatrice")
    assert list(port.facilitators.all()) == [facilitator]
    assert facilitator.groups.filter(name=roles.FACILITATORS).exists()
    assert Authenticator.objects.filter(user=facilitator).exists()  # its second factor
    entered = Amendment.objects.filter(iteration=v1, workshop__isnull=False).order_by("number")
    assert [(a.workshop.kind, a.status) for a in entered] == [
        ("workshop", "accepted"),
        ("workshop", "rejected"),
        ("register", "accepted"),
    ]
    assert all(a.response and a.answered_by.username == "editrice" for a in entered)
    assert all(a.author_name == a.workshop.signature() for a in entered)
    assert {origin_of(a) for a in entered} == {"workshop", "register"}
    comments = Comment.objects.filter(workshop__isnull=False)
    assert comments.filter(workshop=port).count() == 3
    assert comments.filter(workshop=register).count() == 2
    window = (v1.opens_at, v1.consultation_ends_at())
    for contribution in [*entered, *comments]:
        when = getattr(contribution, "created_at", None) or contribution.submit_date
        assert window[0] <= when <= window[1]
    upcoming = Workshop.objects.get(iteration=v2)
    assert upcoming.is_upcoming() and upcoming.audience == "youth"
    assert not upcoming.comments.exists() and not upcoming.amendments.exists()
    html = client.get(port.amendments.get(status="rejected").get_url()).content.decode()
    assert port.signature() in html and "Lucie" not in html
    assert Amendment.objects.filter(iteration=v2, status="submitted").count() == 2
    page = client.get(v2.url).content.decode()
    assert "Cette rédaction intègre <a" in page and "(Association des Tilleuls)" in page
    assert "2 amendements" not in page and "1 amendement" in page  # the margin of v2

    # The demo is searchable once the worker ran what its writes queued, with no rebuild: the
    # question of the issue finds its contributions, and the index matches the database.
    from tests.worker import work

    work()
    call_command("check_search_index", stdout=io.StringIO())
    found = client.get("/recherche/", {"q": "participation des jeunes"}).content.decode()
    assert "Amendement n° 2" in found and "Article 3, alinéa 2" in found
    assert "Commentaire sur l’article 3, alinéa 2" in found
    # The adopted charter's commitments are searchable too, and the home page leads to them.
    found = client.get("/recherche/", {"q": "réservation en ligne", "kind": "commitment"})
    assert "Ouvrir la réservation des salles en ligne" in found.content.decode()
    home_page = client.get("/").content.decode()
    assert "Charte de la vie associative" in home_page
    assert '<a href="/vie-associative/follow-up/">Suivre ses engagements</a>' in home_page

    english = CharterIterationPage.objects.exclude(locale=v2.locale).filter(
        translation_key__in=[v1.translation_key, v2.translation_key]
    )
    assert english.count() == 2
    en_v2 = english.get(translation_key=v2.translation_key)
    assert en_v2.live and en_v2.url.startswith("/en/")
    html = client.get(en_v2.url).content.decode()
    assert html.count('class="charter-paragraph"') == v2_rows.count()
    assert 'lang="fr"' not in html.split("<main", 1)[1]  # everything is translated

    # The first consultation has its synthesis: comments, amendments, their answers.
    from charte.publications.synthesis import figures

    numbers = figures(v1)
    # Online (6 comments, 3 amendments) and from the workshop and the register (5 and 3).
    assert (numbers.comments, numbers.amendments) == (11, 6)
    assert [bar.value for bar in numbers.by_origin] == [9, 5, 3]  # online, workshop, register
    assert numbers.participants == 3  # the accounts online; never the facilitator
    assert [row.workshop.title for row in numbers.by_workshop] == [
        "Registre de la concertation",  # opened before the workshop was held
        "Atelier du Port",
    ]
    synthesis = client.get(f"{v1.url}synthesis/").content.decode()
    assert synthesis.count('<svg class="chart__bars"') == 6
    # Its residents picked their neighbourhood from the charter's list, counted by it; an
    # elected member is confirmed, another only declared.
    french_charter = main
    assert [t.name for t in french_charter.territories.all()] == [
        "Centre-bourg",
        "Les Tilleuls",
        "La Garenne",
        "Le Port",
    ]
    by_territory = {bar.label: bar.value for bar in numbers.by_territory}
    assert (by_territory["Les Tilleuls"], by_territory["La Garenne"]) == (2, 1)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["camille"].listed_territory.name == "Les Tilleuls"
    assert users["conseillere"].author_type_label == "Élu ou élue"
    assert users["bernard"].author_type_label == "Élu ou élue (déclaration non confirmée)"
    theirs = Amendment.objects.filter(author=users["tilleuls"]).first()
    html = client.get(theirs.get_url()).content.decode()
    assert "(Association (déclaration non confirmée))" in html

    # A debate of the listening phase, open, with arguments on both sides, in both languages.
    from charte.models import Argument

    debate = DebatePage.objects.get(locale=v2.locale)
    assert debate.state() == "open" and debate.articles.count() == 1
    assert set(Argument.objects.visible().values_list("side", flat=True)) == {"for", "against"}
    html = client.get(debate.url).content.decode()
    assert "Quelle place pour les jeunes dans les conseils de quartier ?" in html
    assert "Des sièges réservés, sinon rien ne change" in html
    en_debate = DebatePage.objects.exclude(locale=v2.locale).get()
    assert "What place for young people" in client.get(en_debate.url).content.decode()
    assert "Des quotas qui divisent" in client.get(en_debate.url).content.decode()

    # The town's identity names every page and e-mail; its institutional pages are in the
    # footer, in both languages (tests/home/test_demo_institutional.py checks them in detail).
    from django.contrib.sites.models import Site as DjangoSite

    from charte.core import identity

    assert identity.current().name == "Saint-Aubin-des-Lavandes participe"
    assert DjangoSite.objects.get_current().name == "Saint-Aubin-des-Lavandes participe"
    home_html = client.get("/").content.decode()
    assert "<title>Accueil – Saint-Aubin-des-Lavandes participe</title>" in home_html
    assert '<a href="/mentions-legales/">Mentions légales</a>' in home_html
    assert '<a href="/en/privacy-notice/">Privacy notice</a>' in client.get("/en/").content.decode()

    second = seed(DEBUG=False)
    assert "already present" in second
    assert "demo-" not in second  # no password outside development
    # Both charters (the adopted one: tests/charte/demo/test_adopted_demo.py checks it in
    # detail), each in French and English, each with two versions of its own.
    assert CharterPage.objects.count() == 4
    assert CharterIterationPage.objects.count() == 8
    assert Paragraph.objects.count() == 40 + v2_rows.count() + 12

    # The team uses the demo: closes v2, answers its amendments, starts v3, opens and closes
    # it, starts v4, renames the charter, adopts v4. Loading the demo again changes nothing.
    editor = get_user_model().objects.get(username="editrice")
    charter = main
    services.iteration_close(iteration=v2, by=editor)
    from charte.amendments import services as amendments

    for amendment in Amendment.objects.filter(iteration=v2, status="submitted"):
        amendments.amendment_answer(
            amendment=amendment, status="rejected", response="Non retenu.", by=editor
        )
    v3 = services.iteration_start_next(charter=charter, by=editor)
    v3 = CharterIterationPage.objects.get(pk=v3.pk)
    v3.closes_at = timezone.now() + datetime.timedelta(days=10)
    v3.save_revision(user=editor).publish(user=editor)
    services.iteration_open(iteration=v3, by=editor)
    services.iteration_close(iteration=v3, by=editor)
    v4 = services.iteration_start_next(charter=charter, by=editor)
    v4 = CharterIterationPage.objects.get(pk=v4.pk)
    v4.save_revision(user=editor).publish(user=editor)
    charter = CharterPage.objects.get(pk=charter.pk)
    charter.title = "Charte renommée par l’équipe"
    charter.save_revision(user=editor).publish(user=editor)
    services.iteration_adopt(
        iteration=v4,
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-2027-001",
        votes_for=30,
        votes_against=2,
        abstentions=1,
    )
    before = counts()

    second = seed(DEBUG=False)

    assert "already present" in second
    assert counts() == before
    assert CharterPage.objects.get(pk=charter.pk).title == "Charte renommée par l’équipe"
    # The French pages and the English ones the demo translated still answer.
    for page in CharterIterationPage.objects.live().filter(number__in=(1, 2)):
        assert client.get(page.url).status_code == 200
    assert client.get(v4.url).status_code == 200

    # Once more, for good measure: still nothing new.
    seed(DEBUG=False)
    assert counts() == before
