"""The public follow-up of an adopted charter, as residents read it: every commitment by
article with the overall progress and filters, each commitment's page (the article's wording,
where it came from, its timeline), following it and discussing it, in French and English."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from charte.amendments.models import Service
from charte.amendments.services import amendment_answer, amendment_propose
from charte.discussions.models import Comment, ThreadFollow
from charte.discussions.services import comment_post
from charte.follow_up import services as follow_up
from charte.follow_up.models import (
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentUpdateDocument,
    CommitmentUpdateImage,
    Indicator,
    IndicatorValue,
)
from charte.models import CharterIterationPage, CharterPage, Paragraph
from charte.texts import services
from tests import factories
from tests.charte.follow_up.conftest import resident as verified_resident
from tests.charte.review.test_adoption import adopt

pytestmark = pytest.mark.django_db


def resident(username="lea", language="fr"):
    """A resident who may contribute: a verified address and a pseudonym."""
    user = verified_resident(username, language)
    user.pseudonym = f"{username.capitalize()} du Port"
    user.save()
    return user


def main(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def make(charter, editor, article=1, title="Un engagement", **fields):
    fields.setdefault("is_published", True)
    return follow_up.commitment_create(
        charter=charter,
        article_number=article,
        title=title,
        description=fields.pop("description", "Ce que la commune fera."),
        by=editor,
        **fields,
    )


@pytest.fixture
def charter_page(adopted):
    return adopted.get_parent().specific


@pytest.fixture
def voirie(db):
    return Service.objects.create(name="Service voirie")


@pytest.fixture
def several(charter_page, commitment, editor, voirie):
    """Four published commitments (articles 1 and 2) in various states, and a draft one."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    done = make(
        charter_page,
        editor,
        article=2,
        title="Des bancs au port",
        status=CommitmentStatus.DONE,
        progress=100,
        service=voirie,
    )
    late = make(
        charter_page,
        editor,
        article=2,
        title="Un jardin partagé",
        status=CommitmentStatus.IN_PROGRESS,
        progress=40,
        due_on=yesterday,
        service=voirie,
    )
    postponed = make(
        charter_page,
        editor,
        article=1,
        title="Une maison des associations",
        status=CommitmentStatus.POSTPONED,
        status_reason="Le bâtiment doit d’abord être désamianté.",
    )
    draft = make(charter_page, editor, title="Pas encore public", is_published=False)
    follow_up.update_publish(
        commitment=late, text="Les premières parcelles sont tracées.", by=editor
    )
    return {"done": done, "late": late, "postponed": postponed, "draft": draft}


def translate_charter(charter_page, english):
    translated = charter_page.copy_for_translation(english, copy_parents=True)
    translated.slug = "charter"
    translated.save_revision().publish()
    return CharterPage.objects.get(pk=translated.pk)


def translate_version(iteration, english):
    from tests.charte.texts.test_public_pages import translate

    return translate(iteration, english)


# -- The follow-up page ---------------------------------------------------------------------


def test_the_follow_up_page_shows_every_published_commitment_by_article(
    client, charter_page, several
):
    url = charter_page.route_url("follow_up")
    assert url == f"{charter_page.url}follow-up/"
    response = client.get(url)
    assert response.status_code == 200
    html = main(response)
    assert "<h1>Suivi des engagements</h1>" in html
    assert "1 engagement réalisé sur 4" in html
    # Mean progress, as a bar and its text: (0 + 100 + 40 + 0) / 4.
    assert '<progress class="progress__bar" max="100" value="35"' in html
    assert "35 % réalisé" in html
    assert "Pas encore public" not in html
    article_1 = html.split('id="article-1"', 1)[1].split('id="article-2"', 1)[0]
    article_2 = html.split('id="article-2"', 1)[1]
    assert "Réunir chaque conseil de quartier" in article_1
    assert "Une maison des associations" in article_1
    assert "Des bancs au port" in article_2
    late = article_2.split('id="commitment-3"', 1)[1].split("</li>", 1)[0]
    assert '<span class="badge badge--commitment-in_progress">En cours</span>' in late
    assert '<span class="badge badge--late">en retard</span>' in late
    assert "Service voirie" in late
    assert "1 point d’étape, le" in late
    assert several["late"].get_url() in late
    first = html.split('id="commitment-1"', 1)[1].split("</li>", 1)[0]
    assert "en retard" not in first
    assert "Pas encore de point d’étape" in first


def test_the_filters_narrow_the_list_and_say_so(client, charter_page, several, voirie):
    url = charter_page.route_url("follow_up")
    response = client.get(url, {"status": "done"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Suivi des engagements (Réalisé) – " in html
    heading = '<h1>Suivi des engagements <span class="follow-up__filtered">– Réalisé</span></h1>'
    assert heading in html
    assert "Des bancs au port" in html
    assert "Un jardin partagé" not in html
    assert "1 engagement affiché" in html
    assert '<option value="done" selected>Réalisé (1)</option>' in html
    # The overall figures stay those of every commitment.
    assert "1 engagement réalisé sur 4" in html

    html = client.get(url, {"service": str(voirie.pk)}).content.decode()
    assert "Service voirie" in html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "2 engagements affichés" in html
    assert '<option value="in_progress">En cours (1)</option>' in html
    assert "Réunir chaque conseil de quartier" not in html

    # A status nobody offered is ignored: every commitment, not an error.
    response = client.get(url, {"status": "<script>", "service": "abc"})
    assert response.status_code == 200
    assert "4 engagements affichés" in response.content.decode()


def test_no_follow_up_before_adoption(client, opened):
    response = client.get(opened.get_parent().specific.route_url("follow_up"))
    assert response.status_code == 404


def test_an_adopted_charter_without_commitments_says_so(client, charter_page):
    response = client.get(charter_page.route_url("follow_up"))
    assert response.status_code == 200
    assert "Aucun engagement n’a encore été publié." in main(response)


def test_the_follow_up_in_english(client, charter_page, adopted, several, english):
    several["done"].title_en = "Benches at the harbour"
    several["done"].save()
    translated = translate_charter(charter_page, english)
    translate_version(adopted, english)
    url = translated.route_url("follow_up")
    assert url.startswith("/en/")
    html = main(client.get(url))
    assert "<h1>Follow-up of the commitments</h1>" in html
    assert "1 commitment done out of 4" in html
    assert '<span lang="en">Benches at the harbour</span>' in html
    assert "Des bancs au port" not in html
    # No English wording: the French one, marked as such.
    assert '<span lang="fr">Un jardin partagé</span>' in html
    assert '<span lang="fr">Service voirie</span>' in html
    # The article titles of the English version.
    assert "Article Article de test 2" in html
    assert f'href="{translated.url}follow-up/{several["done"].number}/"' in html
    commitment_html = main(client.get(several["done"].get_url(translated)))
    assert '<h1 lang="en">Benches at the harbour</h1>' in commitment_html
    assert "In English: Alinéa 6" in commitment_html
    assert "Where it came from" in commitment_html
    # An update without English wording, in French and marked so; with one, in English.
    late = several["late"]
    follow_up.update_publish(
        commitment=late, text="Les bacs sont posés.", text_en="The beds are in.", by=late.created_by
    )
    late_html = main(client.get(late.get_url(translated)))
    assert '<div class="commitment-update__text" lang="en">The beds are in.</div>' in late_html
    assert (
        '<div class="commitment-update__text" lang="fr">Les premières parcelles sont tracées.</div>'
        in late_html
    )
    assert "Timeline (2 updates)" in late_html
    assert '<span class="badge badge--late">late</span>' in late_html


def test_on_an_english_page_a_version_not_translated_is_read_in_french(
    client, charter_page, commitment, english
):
    translated = translate_charter(charter_page, english)
    index = main(client.get(translated.route_url("follow_up")))
    assert '<span lang="fr">Article de test 1</span>' in index
    html = main(client.get(commitment.get_url(translated)))
    assert '<blockquote class="charter-article" lang="fr">' in html
    assert "Alinéa 1 : la commune" in html
    assert 'hreflang="fr">Article 1 in the adopted text – <span lang="fr">Version 1</span>' in html
    assert "(in French)" in html
    assert "Follow this commitment" in html


# -- « You amended this article » ------------------------------------------------------------


def _consulted_and_adopted(opened, editor, by):
    """An amendment of ``by`` on article 2 of the first version, accepted; a second version
    started (same paragraph keys) and adopted."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    amendment = amendment_propose(
        paragraph=rows[5],
        by=by,
        kind="modify",
        text="Un budget participatif pour les associations.",
        rationale="Les associations le demandent.",
    )
    amendment_answer(
        amendment=amendment, status="accepted", response="Retenu : il est intégré.", by=editor
    )
    services.iteration_close(iteration=opened, by=editor)
    second = services.iteration_start_next(charter=opened.get_parent().specific, by=editor)
    second.save_revision(user=editor).publish(user=editor)
    adopt(second, editor)
    return amendment, CharterIterationPage.objects.get(pk=second.pk)


def test_a_resident_sees_the_commitments_of_the_articles_they_amended(client, opened, editor):
    lea = resident("lea")
    amendment, second = _consulted_and_adopted(opened, editor, lea)
    charter = opened.get_parent().specific
    other = make(charter, editor, article=1, title="Réunir les conseils")
    theirs = make(charter, editor, article=2, title="Un budget associatif")
    assert theirs.iteration_id == second.pk  # the adopted version, not the one amended

    anonymous = main(client.get(charter.route_url("follow_up")))
    assert "Vous avez proposé" not in anonymous
    assert "Vous avez amendé cet article" not in anonymous

    client.force_login(lea)
    html = main(client.get(charter.route_url("follow_up")))
    assert 'Vous avez proposé des amendements sur l’article <a href="#article-2">2</a>.' in html
    card = html.split(f'id="commitment-{theirs.number}"', 1)[1].split("</li>", 1)[0]
    assert "commitment-card--amended" in html.split(f'id="commitment-{theirs.number}"', 1)[0]
    assert '<span class="badge badge--amended">Vous avez amendé cet article</span>' in card
    card = html.split(f'id="commitment-{other.number}"', 1)[1].split("</li>", 1)[0]
    assert "Vous avez amendé" not in card

    # Its page: where it came from, their amendment on the first version, linked.
    page = main(client.get(theirs.get_url()))
    origins = page.split('id="origins-title"', 1)[1].split("</section>", 1)[0]
    assert "1 amendement retenu sur cet article" in origins
    assert f'href="{amendment.get_url()}"' in origins
    assert "Votre amendement" in origins
    assert "Retenu : il est intégré." in origins
    assert "Un budget participatif pour les associations." in origins


def test_where_it_came_from_lists_the_workshops_and_only_the_amendments_kept(
    client, opened, editor
):
    from charte.core import roles
    from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter

    charter = opened.get_parent().specific
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    facilitator = factories.UserFactory(username="anim", role=roles.FACILITATORS)
    workshop = factories.make_workshop(
        charter, facilitators=[facilitator], iteration=opened, title="Atelier du Port"
    )
    register = factories.make_workshop(
        charter, facilitators=[facilitator], iteration=opened, title="Registre de la mairie"
    )
    workshop_comment_enter(
        workshop=workshop, paragraph=rows[1], text="Plus de réunions.", by=facilitator
    )
    from_register = workshop_amendment_enter(
        workshop=register,
        paragraph=rows[2],
        kind="modify",
        text="Des réunions le soir.",
        rationale="Pour ceux qui travaillent.",
        by=facilitator,
    )
    rejected = amendment_propose(
        paragraph=rows[0], by=resident("marc"), kind="delete", text="", rationale="Inutile."
    )
    amendment_answer(amendment=rejected, status="rejected", response="Non.", by=editor)
    amendment_answer(
        amendment=from_register, status="partially_accepted", response="En partie.", by=editor
    )
    elsewhere = factories.make_workshop(charter, iteration=opened, title="Atelier des jeunes")
    workshop_comment_enter(
        workshop=elsewhere, paragraph=rows[5], text="Article 2 seulement.", by=editor
    )
    services.iteration_close(iteration=opened, by=editor)
    adopt(opened, editor)
    commitment = make(charter, editor, article=1)

    html = main(client.get(commitment.get_url()))
    origins = html.split('id="origins-title"', 1)[1].split("</section>", 1)[0]
    assert "1 amendement retenu sur cet article" in origins
    assert f"Amendement n° {from_register.number}" in origins
    assert "Accepté en partie" in origins
    assert f"Amendement n° {rejected.number}<" not in origins
    assert "2 ateliers ou registres ont contribué sur cet article" in origins
    assert f'href="{charter.url}workshops/{workshop.pk}/"' in origins
    assert f'href="{charter.url}workshops/{register.pk}/"' in origins
    assert "Atelier des jeunes" not in origins


# -- A commitment's page --------------------------------------------------------------------


def test_the_commitment_page_tells_its_story(client, charter_page, several, editor):
    postponed = several["postponed"]
    document = get_document_model().objects.create(
        title="Compte rendu du chantier",
        file=ContentFile(b"%PDF-1.4 " + b"x" * 2039, "cr.pdf"),
        file_size=2048,
    )
    image = get_image_model().objects.create(title="Chantier", file=get_test_image_file())
    update = CommitmentUpdate(published_on=datetime.date(2027, 3, 12))
    update.images = [CommitmentUpdateImage(image=image, caption="Le bâtiment bâché")]
    update.documents = [CommitmentUpdateDocument(document=document)]
    follow_up.update_publish(
        commitment=postponed,
        text="Le désamiantage commence en mars.",
        progress=10,
        update=update,
        by=editor,
    )
    follow_up.update_publish(
        commitment=postponed,
        text="Le calendrier est connu.",
        status=CommitmentStatus.POSTPONED,
        published_on=datetime.date(2027, 4, 2),
        by=editor,
    )
    Indicator.objects.create(
        charter=charter_page,
        commitment=postponed,
        title="Associations accueillies",
        unit="associations",
        target=40,
        target_on=datetime.date(2028, 12, 31),
    )
    indicator = Indicator.objects.get()
    IndicatorValue.objects.create(
        indicator=indicator, measured_on=datetime.date(2027, 1, 1), value=12
    )

    response = client.get(postponed.get_url())
    assert response.status_code == 200
    html = main(response)
    assert '<h1 lang="fr">Une maison des associations</h1>' in html
    assert '<span class="badge badge--commitment-postponed">Reporté</span>' in html
    assert "Pourquoi il est reporté\u00a0:" in html
    assert "Le bâtiment doit d’abord être désamianté." in html
    assert 'value="10"' in html
    # The article's wording, in the adopted version, and a link to it.
    article = html.split('id="article-title"', 1)[1].split("</section>", 1)[0]
    assert "Ce que dit l’article 1 de la charte" in article
    assert "Alinéa 5 : la commune" in article
    assert "Alinéa 6" not in article
    assert f'href="{charter_page.url}version-1/#article-1"' in article
    # The timeline, latest first, with its photos and documents.
    timeline = html.split('id="timeline-title"', 1)[1].split("</section>", 1)[0]
    assert "Chronologie (2 points d’étape)" in timeline
    assert timeline.index("Le calendrier est connu.") < timeline.index("Le désamiantage")
    assert "Nouveau statut\u00a0: Reporté" in timeline
    assert "avancement\u00a0: 10 %" in timeline
    assert re.search(r'<img alt="Le bâtiment bâché"[^>]*>', timeline)
    assert "Compte rendu du chantier" in timeline
    assert "(PDF, 2,0\u00a0Kio)" in timeline
    # Its indicator: chart and table, target.
    assert "Associations accueillies" in html
    assert "Objectif\u00a0: 40 associations d’ici le 31 décembre 2028" in html
    assert '<th scope="row">1er janvier 2027</th><td>12</td>' in html


def test_unpublished_unknown_and_other_charters_commitments_are_not_found(
    client, charter_page, several, editor
):
    assert client.get(several["draft"].get_url()).status_code == 404
    assert client.get(charter_page.route_url("commitment", 99)).status_code == 404
    other = factories.make_charter(title="Autre charte", slug="autre", user=editor)
    assert client.get(other.route_url("commitment", 1)).status_code == 404
    follow = client.post(charter_page.route_url("commitment_action", 99, "follow"))
    assert follow.status_code == 404


def test_following_a_commitment_and_stopping(client, commitment):
    lea = resident("lea")
    url = commitment.get_url()
    action = commitment.charter.specific.route_url("commitment_action", commitment.number, "follow")
    anonymous = main(client.get(url))
    assert "Connectez-vous pour suivre cet engagement" in anonymous
    assert client.post(action, {"scope": "commitment", "follow": "start"}).status_code == 302
    assert not ThreadFollow.objects.exists()

    client.force_login(lea)
    html = main(client.get(url))
    assert 'aria-pressed="false" aria-describedby="follow-hint">Suivre cet engagement' in html
    assert "Un e-mail à chacun de ses points d’étape" in html
    response = client.post(action, {"scope": "commitment", "follow": "start"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#follow"
    assert ThreadFollow.objects.filter(user=lea, object_id=commitment.pk).count() == 1
    html = main(client.get(url))
    assert 'aria-pressed="true"' in html
    assert "Suivi – ne plus suivre cet engagement" in html
    # Sent twice (a double click): still followed.
    client.post(action, {"scope": "commitment", "follow": "start"})
    assert ThreadFollow.objects.filter(user=lea).count() == 1
    client.post(action, {"scope": "commitment", "follow": "stop"})
    assert not ThreadFollow.objects.filter(user=lea).exists()


def test_commenting_a_commitment_follows_the_charters_moderation(client, commitment, charter_page):
    lea = resident("lea")
    client.force_login(lea)
    action = charter_page.route_url("commitment_action", commitment.number, "comment")
    response = client.post(action, {"comment": "Enfin des dates !"})
    assert response.status_code == 302
    assert response["Location"] == f"{commitment.get_url()}#c{Comment.objects.get().pk}"
    assert "Enfin des dates" in main(client.get(commitment.get_url()))

    charter_page.premoderation = True
    charter_page.save()
    response = client.post(action, {"comment": "À valider d’abord"}, follow=True)
    html = main(response)
    assert "apparaîtra dès qu’un modérateur l’aura approuvé" in html
    assert "À valider d’abord" not in html


def test_a_refused_comment_keeps_its_text(client, commitment, charter_page, settings):
    client.force_login(resident("lea"))
    action = charter_page.route_url("commitment_action", commitment.number, "comment")
    text = "Trop long. " * (settings.COMMENT_MAX_LENGTH // 5)
    response = client.post(action, {"comment": text})
    assert response.status_code == 400
    html = main(response)
    assert "Un commentaire compte au plus 3000 caractères" in html
    assert text.strip()[:200] in html
    assert not Comment.objects.exists()


def test_reacting_to_a_comment_of_a_commitment(client, commitment, charter_page):
    author, reader = resident("lea"), resident("marc")
    comment = comment_post(target=commitment, by=author, text="Bonne nouvelle.")
    client.force_login(reader)
    url = charter_page.route_url("commitment_comment", commitment.number, comment.pk, "agree")
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{commitment.get_url()}#c{comment.pk}"
    assert "D’accord (1)" in main(client.get(commitment.get_url()))
    missing = charter_page.route_url("commitment_comment", commitment.number, 999, "agree")
    assert client.post(missing).status_code == 404


# -- The charter's pages link to it ----------------------------------------------------------


def test_the_charter_page_leads_to_the_follow_up_and_the_report(client, charter_page, several):
    html = main(client.get(charter_page.url))
    assert f'<a class="follow-up-link" href="{charter_page.url}follow-up/">' in html
    assert "1 engagement réalisé sur 4, 35 % d’avancement global" in html
    year = timezone.localdate().year
    assert f'href="{charter_page.url}bilan/{year}/"' in html


def test_the_charter_page_before_adoption_has_no_follow_up(client, opened):
    html = main(client.get(opened.get_parent().url))
    assert "follow-up/" not in html


def _commitment_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    asked = [q["sql"] for q in captured.captured_queries if "charte_commitment" in q["sql"]]
    return main(response), len(asked)


def test_the_adopted_text_counts_each_articles_commitments_in_one_query(
    client, adopted, several, charter_page
):
    html, asked = _commitment_queries(client, adopted.url)
    assert asked == 1
    assert f'href="{charter_page.url}follow-up/#article-1">2 engagements' in html
    assert f'href="{charter_page.url}follow-up/#article-2">2 engagements' in html
    several["done"].is_published = False
    several["done"].save()
    html, _ = _commitment_queries(client, adopted.url)
    assert 'follow-up/#article-2">1 engagement<' in html
    # The charter page reads its figures in one query too.
    _html, asked = _commitment_queries(client, charter_page.url)
    assert asked == 1


def test_a_version_not_adopted_asks_nothing_of_the_follow_up(client, opened):
    html, asked = _commitment_queries(client, opened.url)
    assert asked == 0
    assert "follow-up/" not in html
    _html, asked = _commitment_queries(client, opened.get_parent().url)
    assert asked == 0


# -- At real size ---------------------------------------------------------------------------


@pytest.fixture
def long_adopted(editor):
    """An adopted version of 1,000 paragraphs (200 articles)."""
    charter = factories.make_charter(title="Charte longue", slug="longue", user=editor)
    iteration = factories.make_iteration(charter, body=factories.body_with(1000), user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    adopt(iteration, editor)
    return CharterIterationPage.objects.get(pk=iteration.pk)


def _many(iteration, count, teams=(), first=1):
    from charte.follow_up.models import Commitment

    charter = iteration.get_parent().specific
    return Commitment.objects.bulk_create(
        Commitment(
            charter=charter,
            iteration=iteration,
            number=n,
            article_number=(n - 1) % 200 + 1,
            title=f"Engagement {n}",
            description="…",
            status=CommitmentStatus.values[n % 5],
            status_reason="Une raison." if n % 5 >= 3 else "",
            progress=n % 101,
            is_published=True,
            service=teams[n % len(teams)] if teams else None,
            due_on=timezone.localdate() - datetime.timedelta(days=n - 100),
        )
        for n in range(first, first + count)
    )


def _queries(client, url, data=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_follow_up_page_costs_the_same_at_real_size(
    client, long_adopted, django_assert_max_num_queries
):
    """200 commitments over 1,000 paragraphs and 50 updates cost what 5 commitments do."""
    charter = long_adopted.get_parent().specific
    teams = [Service.objects.create(name=f"Service {n}") for n in range(5)]
    few = _many(long_adopted, 5, teams)
    CommitmentUpdate.objects.create(commitment=few[0], text="Étape")
    Indicator.objects.create(charter=charter, title="Conseils réunis", target=12)
    client.force_login(resident("lea"))
    url = charter.route_url("follow_up")
    filters = {"service": str(teams[0].pk)}
    client.get(url)
    small = _queries(client, url, filters)

    many = few + _many(long_adopted, 195, teams, first=6)
    CommitmentUpdate.objects.bulk_create(
        CommitmentUpdate(commitment=many[n % 20], text=f"Étape {n}") for n in range(49)
    )
    indicator = Indicator.objects.create(charter=charter, title="Associations", target=40)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, measured_on=datetime.date(2020 + n, 1, 1), value=n)
        for n in range(8)
    )
    assert small <= 30
    with django_assert_max_num_queries(small):
        html = client.get(url, filters).content.decode()
    assert "40 engagements affichés" in html
    assert html.count('class="card commitment-card') == 40


def test_the_commitment_page_costs_the_same_at_real_size(
    client, commitment, django_assert_max_num_queries
):
    """100 updates and 300 comments cost what one of each does."""
    from django.contrib.contenttypes.models import ContentType

    from charte.follow_up.models import Commitment
    from tests.bulk import write_comments

    authors = [resident(f"u{n}") for n in range(5)]
    kind = ContentType.objects.get_for_model(Commitment).pk
    now = timezone.now()

    def comments(first, count):
        write_comments(
            (n, kind, commitment.pk, authors[n % 5].pk, f"U{n % 5}", f"Avis {n}", now, True)
            for n in range(first, first + count)
        )

    CommitmentUpdate.objects.create(commitment=commitment, text="Étape", progress=1)
    comments(1000, 1)
    client.force_login(authors[0])
    client.get(commitment.get_url())
    small = _queries(client, commitment.get_url())

    CommitmentUpdate.objects.bulk_create(
        CommitmentUpdate(commitment=commitment, text=f"Étape {n}", progress=n) for n in range(99)
    )
    comments(2000, 299)
    assert small <= 40
    with django_assert_max_num_queries(small):
        html = client.get(commitment.get_url()).content.decode()
    assert "Chronologie (100 points d’étape)" in html
    assert "Discussion (300 commentaires)" in html


def test_the_follow_up_page_offers_the_years_report_and_its_open_data(
    client, charter_page, commitment
):
    html = main(client.get(charter_page.url + "follow-up/"))
    year = timezone.localdate().year
    assert f'href="{charter_page.url}bilan/{year}/"' in html
    assert f"Le bilan {year}\u00a0: engagements et évaluation de la démarche" in html
    assert f'href="{charter_page.url}follow-up/data/csv/"' in html
    assert client.get(f"{charter_page.url}bilan/{year}/").status_code == 200
    assert client.get(f"{charter_page.url}follow-up/data/csv/").status_code == 200
