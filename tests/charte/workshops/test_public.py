"""The public side of workshops and paper registers: their pages, the charter's section, and
the origin of what they said wherever contributions are shown or counted."""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.translation import override

from charte.amendments.services import amendment_answer, amendment_propose
from charte.discussions.services import comment_post
from charte.models import CharterIterationPage, CharterPage, Paragraph, Workshop
from charte.publications.documents import document_html
from charte.texts import services
from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter
from tests import factories
from tests.bulk import write_comments
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def charter_page(opened):
    return opened.get_parent().specific


@pytest.fixture
def rows(opened):
    return list(Paragraph.objects.filter(iteration=opened).order_by("position"))


@pytest.fixture
def register(charter_page, opened, facilitator):
    register = Workshop.objects.create(
        charter=charter_page,
        iteration=opened,
        kind="register",
        title="Registre de l’hôtel de ville",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        place="Hôtel de ville, accueil",
    )
    register.facilitators.add(facilitator)
    return register


@pytest.fixture
def upcoming(charter_page):
    return Workshop.objects.create(
        charter=charter_page,
        title="Atelier des jeunes",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        online=True,
        audience="youth",
    )


@pytest.fixture
def entered(workshop, facilitator, rows):
    """Two comments and one amendment entered from the workshop."""
    first = workshop_comment_enter(
        workshop=workshop, paragraph=rows[0], text="Plus de bancs au port.", by=facilitator
    )
    second = workshop_comment_enter(
        workshop=workshop, paragraph=rows[0], text="Des horaires adaptés.", by=facilitator
    )
    amendment = workshop_amendment_enter(
        workshop=workshop,
        paragraph=rows[1],
        kind="modify",
        text="Une rédaction issue de l’atelier du port.",
        rationale="Les participants l’ont demandé.",
        by=facilitator,
    )
    return first, second, amendment


def translate_charter(charter_page, english):
    translated = charter_page.copy_for_translation(english, copy_parents=True)
    translated.slug = "charter"
    translated.save_revision().publish()
    return CharterPage.objects.get(pk=translated.pk)


# -- The workshop's page --------------------------------------------------------------------


def test_the_workshop_page_shows_what_came_out_of_it_in_french(
    client, charter_page, workshop, entered, editor
):
    first, _second, amendment = entered
    amendment_answer(amendment=amendment, status="accepted", response="Retenu, merci.", by=editor)
    workshop.facilitated_by = "Service démocratie locale"
    workshop.report = "Dix-huit habitants autour de trois tables."
    workshop.save()
    url = workshop.get_url()
    assert url == f"{charter_page.url}workshops/{workshop.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Atelier du Port</h1>" in html
    assert "Maison de quartier du Port" in html
    assert "18 participants" in html
    assert "Ouvert à tous et à toutes" in html
    assert "Service démocratie locale" in html
    assert "Dix-huit habitants autour de trois tables." in html
    assert '<h2 id="report-title">Compte rendu</h2>' in html
    assert "Signaler" not in html.split("<main", 1)[1]  # no homonym of « report » here
    assert "Ce qui en est ressorti" in html
    assert "Plus de bancs au port." in html
    assert f"#c{first.pk}" in html  # the comment links to its place in the paragraph's thread
    assert "Amendement n° 1" in html
    assert amendment.get_url() in html
    assert "Retenu, merci." in html
    # Breadcrumbs like the other subpages of a charter.
    assert re.search(r'<nav class="breadcrumb[^"]*"[^>]*>.*?Ateliers.*?</nav>', html, re.S)


def test_the_workshop_page_in_english(client, charter_page, workshop, entered, english):
    translated = translate_charter(charter_page, english)
    url = translated.url + translated.reverse_subpage("workshop", args=[workshop.pk])
    assert url.startswith("/en/")
    html = client.get(url).content.decode()
    assert '<h1 lang="fr">Atelier du Port</h1>' in html
    assert "What came out of it" in html
    assert "Amendment no. 1" in html
    assert '<span class="badge badge--workshop">Workshop</span>' in html


def test_an_upcoming_workshop_says_so_and_shows_no_outcome(client, upcoming):
    html = client.get(upcoming.get_url()).content.decode()
    assert "à venir" in html
    assert "n’a pas encore eu lieu" in html
    assert "Ce qui en est ressorti" not in html
    assert "en ligne" in html


def test_a_workshop_of_another_charter_is_not_found(client, charter_page, workshop, editor):
    other = factories.make_charter(title="Autre charte", slug="autre", user=editor)
    assert client.get(f"{other.url}workshops/{workshop.pk}/").status_code == 404
    assert client.get(f"{charter_page.url}workshops/{workshop.pk + 100}/").status_code == 404


def test_a_hidden_comment_is_not_among_what_came_out(client, workshop, entered):
    first, _second, _amendment = entered
    first.hidden_at = timezone.now()
    first.save()
    html = client.get(workshop.get_url()).content.decode()
    assert "Plus de bancs au port." not in html
    assert "Des horaires adaptés." in html


def test_the_workshop_page_reads_a_fixed_number_of_queries(
    client, workshop, facilitator, rows, django_assert_max_num_queries
):
    Comment = workshop.comments.model
    now = timezone.now()
    first = workshop_comment_enter(
        workshop=workshop, paragraph=rows[0], text="Premier.", by=facilitator
    )
    rows_written = [
        (
            first.pk + 1 + i,
            first.content_type_id,
            rows[i % len(rows)].pk,
            facilitator.pk,
            first.user_name,
            f"Post-it {i}",
            now,
            True,
        )
        for i in range(500)
    ]
    write_comments(rows_written)
    Comment.objects.filter(pk__gt=first.pk).update(workshop=workshop)
    # A few amendments too (each one is numbered under a lock: not in bulk).
    for row in rows[1:4]:
        workshop_amendment_enter(
            workshop=workshop, paragraph=row, kind="delete", rationale="Inutile.", by=facilitator
        )
    client.get(workshop.get_url())  # warm the per-process caches
    with django_assert_max_num_queries(25):
        response = client.get(workshop.get_url())
    assert "Post-it 499" in response.content.decode()


# -- Lists -----------------------------------------------------------------------------------


def test_the_list_shows_upcoming_then_past_workshops(
    client, charter_page, workshop, register, upcoming, entered
):
    response = client.get(f"{charter_page.url}workshops/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Atelier des jeunes") < html.index("Atelier du Port")
    assert html.index("Atelier du Port") < html.index("Registre de l’hôtel de ville")
    assert "2 commentaires · 1 amendement proposé" in html
    assert "Registre papier" in html
    assert upcoming.get_url() in html


def test_the_list_in_english(client, charter_page, workshop, english):
    translated = translate_charter(charter_page, english)
    html = client.get(f"{translated.url}workshops/").content.decode()
    assert "Workshops and paper registers" in html
    assert f"{translated.url}workshops/{workshop.pk}/" in html


def test_the_charter_page_has_a_short_section_with_a_link_to_the_list(
    client, charter_page, workshop, upcoming
):
    html = client.get(charter_page.url).content.decode()
    assert "Ateliers et registres papier" in html
    assert "Ateliers à venir" in html
    assert f"{charter_page.url}workshops/" in html
    assert workshop.get_url() in html


def test_a_charter_without_workshops_shows_no_section(client, charter_page):
    html = client.get(charter_page.url).content.decode()
    assert "Ateliers et registres papier" not in html


def test_a_debate_page_lists_the_workshops_that_fed_it(client, charter_page, workshop, editor):
    from charte.models import DebatePage

    now = timezone.now()
    debate = DebatePage(
        title="Le débat",
        slug="le-debat",
        question="Faut-il des conseils de jeunes ?",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
    )
    charter_page.add_child(instance=debate)
    debate.save_revision().publish()
    workshop.debate = debate
    workshop.save()
    html = client.get(debate.url).content.decode()
    assert "Ateliers et registres qui ont nourri ce débat" in html
    assert workshop.get_url() in html


# -- Origin everywhere -----------------------------------------------------------------------


def test_the_discussion_marks_workshop_comments_and_links_their_signature(
    client, opened, workshop, entered, rows
):
    citizen = make_citizen()
    comment_post(paragraph=rows[0], by=citizen, text="En ligne, moi.")
    html = client.get(f"{opened.url}p/{rows[0].key}/").content.decode()
    badges = re.findall(
        r'<span class="badge badge--origin badge--workshop">En atelier</span>', html
    )
    assert len(badges) == 2
    assert f'<a href="{workshop.get_url()}">Atelier du ' in html
    assert "En ligne, moi." in html


def test_a_register_comment_has_its_own_badge(client, opened, register, facilitator, rows):
    workshop_comment_enter(
        workshop=register, paragraph=rows[0], text="Écrit en mairie.", by=facilitator
    )
    html = client.get(f"{opened.url}p/{rows[0].key}/").content.decode()
    assert 'badge--register">Registre papier</span>' in html
    assert "Registre papier – Hôtel de ville, accueil" in html


def test_the_margin_says_how_many_came_from_workshops(
    client, opened, entered, register, facilitator, rows
):
    workshop_comment_enter(
        workshop=register, paragraph=rows[0], text="Écrit en mairie.", by=facilitator
    )
    comment_post(paragraph=rows[0], by=make_citizen(), text="En ligne.")
    html = client.get(opened.url).content.decode()
    assert (
        '<span class="charter-paragraph__count">4 commentaires</span>'
        '<span class="charter-paragraph__origin">'
        ", dont 2 en atelier et 1 sur registre papier</span>"
    ) in html
    assert '1 amendement<span class="charter-paragraph__origin">, dont 1 en atelier</span>' in html


def test_the_margin_in_english(client, opened, entered, english):
    from tests.charte.texts.test_public_pages import translate

    translated = translate(opened, english)
    html = client.get(translated.url).content.decode()
    assert (
        '2 comments</span><span class="charter-paragraph__origin">, including 2 in workshops'
        in html
    )


def test_the_page_query_count_does_not_grow_with_workshop_contributions(
    client, charter, editor, facilitator, django_assert_max_num_queries
):
    iteration = factories.make_iteration(charter, factories.body_with(1000), user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    workshop = Workshop.objects.create(
        charter=charter,
        iteration=iteration,
        title="Atelier",
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        place="Salle",
    )
    workshop.facilitators.add(facilitator)
    rows = list(Paragraph.objects.filter(iteration=iteration).order_by("position")[:40])
    for row in rows:
        workshop_comment_enter(workshop=workshop, paragraph=row, text="Dit.", by=facilitator)
        workshop_amendment_enter(
            workshop=workshop, paragraph=row, kind="delete", rationale="Inutile.", by=facilitator
        )
    client.get(iteration.url)
    # The same budget as a page without any contribution (tests/charte/texts).
    with django_assert_max_num_queries(17):
        html = client.get(iteration.url).content.decode()
    assert html.count("dont 1 en atelier") == 80


def test_the_amendment_list_filters_by_origin_and_by_workshop(
    client, opened, workshop, register, entered, facilitator, rows
):
    citizen = make_citizen()
    amendment_propose(paragraph=rows[2], by=citizen, kind="delete", rationale="En ligne.")
    workshop_amendment_enter(
        workshop=register, paragraph=rows[3], kind="delete", rationale="En mairie.", by=facilitator
    )
    url = f"{opened.url}amendments/"
    html = client.get(url).content.decode()
    assert '<option value="online">En ligne (1)</option>' in html
    assert '<option value="workshop">Atelier (1)</option>' in html
    assert '<option value="register">Registre papier (1)</option>' in html
    assert "3 amendements" in html
    assert html.count("badge--origin") == 2

    html = client.get(url, {"origin": "workshop", "kind": "modify"}).content.decode()
    assert "1 amendement" in html
    assert '<option value="workshop" selected>' in html
    assert '<option value="modify" selected>' in html  # the other filters are kept

    html = client.get(url, {"origin": "online"}).content.decode()
    assert "1 amendement" in html
    assert "badge--origin" not in html

    html = client.get(url, {"workshop": register.pk}).content.decode()
    assert "1 amendement" in html
    assert f'<option value="{register.pk}" selected>' in html

    html = client.get(url, {"origin": "nonsense"}).content.decode()
    assert "3 amendements" in html


def test_the_amendment_list_filter_in_english(client, opened, entered, english):
    from tests.charte.texts.test_public_pages import translate

    translated = translate(opened, english)
    html = client.get(f"{translated.url}amendments/", {"origin": "workshop"}).content.decode()
    assert '<label for="f-origin">Origin</label>' in html
    assert '<option value="workshop" selected>Workshop (1)</option>' in html
    assert '<span class="badge badge--origin badge--workshop">In a workshop</span>' in html


def test_the_amendment_page_is_signed_by_the_workshop(client, workshop, entered):
    _first, _second, amendment = entered
    html = client.get(amendment.get_url()).content.decode()
    assert 'badge--origin badge--workshop">En atelier</span>' in html
    assert f'<a href="{workshop.get_url()}">Atelier du ' in html
    assert "anim" not in re.sub(r"<[^>]+>", "", html.split("<main", 1)[1]).split()


def test_the_comparison_thanks_the_workshop(client, opened, workshop, entered, editor):
    _first, _second, amendment = entered
    amendment_answer(amendment=amendment, status="accepted", response="Retenu.", by=editor)
    charter_page = opened.get_parent().specific
    services.iteration_close(iteration=opened, by=editor)
    following = services.iteration_start_next(charter=charter_page, by=editor)
    following.save_revision(user=editor).publish(user=editor)
    services.iteration_open(
        iteration=following, by=editor, closes_at=timezone.now() + datetime.timedelta(days=10)
    )
    html = client.get(f"{charter_page.url}compare/1/2/").content.decode()
    provenance = html[html.index('class="provenance"') :]
    provenance = provenance[: provenance.index("</p>")]
    assert "Grâce à" in provenance
    assert "En atelier" in provenance
    assert f'<a href="{workshop.get_url()}">Atelier du ' in provenance

    # The comparison is kept; the workshop's signature corrected is shown at the next view.
    workshop.place = "Salle des fêtes du Port"
    workshop.save(update_fields=["place"])
    html = client.get(f"{charter_page.url}compare/1/2/").content.decode()
    provenance = html[html.index('class="provenance"') :]
    assert "Salle des fêtes du Port" in provenance[: provenance.index("</p>")]


def test_the_review_pack_says_proposed_in_a_workshop(opened, workshop, entered):
    opened = CharterIterationPage.objects.get(pk=opened.pk)  # as frozen
    with override("fr"):
        html = document_html("review", opened)
    assert "Proposé en atelier\u00a0: Atelier du " in html
    with override("en"):
        html = document_html("review", opened)
    assert "Proposed in a workshop: Workshop of " in html


def test_the_amendment_list_costs_the_same_with_workshop_amendments(
    client, opened, workshop, register, facilitator, rows, django_assert_max_num_queries
):
    for n in range(60):
        workshop_amendment_enter(
            workshop=(workshop, register)[n % 2],
            paragraph=rows[n % len(rows)],
            kind="delete",
            rationale="Dit en atelier.",
            by=facilitator,
        )
    url = f"{opened.url}amendments/"
    client.get(url)
    # The budget of tests/charte/amendments (online amendments only).
    with django_assert_max_num_queries(18):
        html = client.get(url).content.decode()
    assert html.count("badge--origin") == 20  # a page of cards, each with its origin
