"""Debates: arguments for and against within the opening window, with the identity of the
account; supports and positions counted exactly; discussions and moderation as for comments."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape

from charte.debates.services import (
    argument_post,
    argument_report,
    argument_support,
    position_state,
)
from charte.discussions.services import CommentRefused, comment_post, follow_fields
from charte.models import Argument, ArgumentSupport, DebatePosition
from tests import factories
from tests.charte.discussions.test_comments import XSS, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def debate(charter, editor):
    return factories.make_debate(charter, user=editor)


def argue(debate, by, side="for", title="Un argument", text="Parce que les jeunes ont des idées."):
    return argument_post(debate=debate, by=by, side=side, title=title, text=text)


def test_a_citizen_adds_an_argument_under_their_pseudonym(client, debate):
    citizen = make_citizen()
    other = make_citizen("marc", "Marc")
    client.force_login(citizen)
    response = client.post(
        f"{debate.url}argue/",
        {
            "side": "against",
            "title": "Trop de réunions",
            "text": "Les jeunes ont peu de temps le soir.",
            "author": other.pk,  # ignored: identity comes from the account
            "pseudonym": "Le maire",
        },
    )
    argument = Argument.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == argument.get_url()
    assert argument.author == citizen and argument.side == "against"
    html = client.get(debate.url).content.decode()
    column = html.split('id="side-against"', 1)[1].split("</section>", 1)[0]
    assert "Trop de réunions" in column and "Léa du Port" in column
    assert "Le maire" not in html
    assert "Trop de réunions" not in html.split('id="side-for"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"opens_at": 1, "closes_at": 10}, "Le débat ouvre le"),
        ({"opens_at": -10, "closes_at": -1}, "Le débat s’est terminé le"),
    ],
)
def test_arguments_are_accepted_only_while_the_debate_is_open(
    client, charter, editor, window, message
):
    now = timezone.now()
    debate = factories.make_debate(
        charter,
        user=editor,
        opens_at=now + datetime.timedelta(days=window["opens_at"]),
        closes_at=now + datetime.timedelta(days=window["closes_at"]),
    )
    client.force_login(make_citizen())
    response = client.post(
        f"{debate.url}argue/", {"side": "for", "title": "Mon titre", "text": "Mon texte gardé."}
    )
    html = response.content.decode()
    assert response.status_code == 403 and message in html
    assert not Argument.objects.exists()
    # The form is not offered; the reason is.
    assert 'action="' + debate.url + 'argue/"' not in html


def test_a_refused_argument_keeps_what_was_typed(client, debate):
    client.force_login(make_citizen())
    long_text = "Un texte bien trop long. " * 60
    response = client.post(
        f"{debate.url}argue/", {"side": "for", "title": "Mon titre", "text": long_text}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "au plus 1000 caractères" in html
    assert "Mon titre" in html and long_text.strip()[:200] in html
    # The error is the text's, tied to the text only (it was tied to every field).
    assert 'aria-invalid="true" aria-describedby="argue-text-error"' in html
    assert 'id="argue-title-field" name="title" maxlength="120" required value="Mon titre">' in html

    assert 'id="argue-follow" name="follow" value="on">' in html  # left unticked

    ticked = client.post(
        f"{debate.url}argue/",
        {"side": "for", "title": "Mon titre", "text": long_text, "follow": "on"},
    ).content.decode()
    assert 'id="argue-follow" name="follow" value="on" checked>' in ticked

    # Every problem at once, each linked to its field.
    response = client.post(f"{debate.url}argue/", {"side": "", "title": " ", "text": ""})
    html = response.content.decode()
    assert response.status_code == 400
    summary = html.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert re.findall(r'<a href="#([^"]+)">', summary) == [
        "argue-side-for",
        "argue-title-field",
        "argue-text",
    ]
    assert "pour ou contre" in summary and "titre court" in summary
    response = client.post(
        f"{debate.url}argue/", {"side": "for", "title": "T", "text": "Texte", "website": "x"}
    )
    assert response.status_code == 400 and not Argument.objects.exists()


def test_identity_rules_are_those_of_comments(debate):
    unverified = make_citizen("nouveau", "Nouveau", verified=False)
    with pytest.raises(CommentRefused, match="Confirmez votre adresse"):
        argue(debate, unverified)
    blocked = make_citizen("bloque", "Bloqué")
    blocked.blocked_at = timezone.now()
    blocked.save()
    with pytest.raises(CommentRefused, match="bloqué"):
        argue(debate, blocked)


def test_posting_too_fast_is_slowed_down(client, debate, settings):
    settings.POST_RATE_LIMITS = "2/60"
    client.force_login(make_citizen())
    for n in range(2):
        client.post(f"{debate.url}argue/", {"side": "for", "title": f"T{n}", "text": "Texte"})
    response = client.post(f"{debate.url}argue/", {"side": "for", "title": "T3", "text": "Texte"})
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert Argument.objects.count() == 2


def test_one_support_per_citizen_taken_back_at_will(client, debate):
    author, reader = make_citizen(), make_citizen("marc", "Marc")
    argument = argue(debate, author)
    assert argument_support(argument=argument, by=reader) is True
    assert argument_support(argument=argument, by=reader) is True  # twice: still one
    assert ArgumentSupport.objects.filter(argument=argument).count() == 1
    with pytest.raises(CommentRefused, match="votre propre argument"):
        argument_support(argument=argument, by=author)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        ArgumentSupport.objects.create(argument=argument, user=reader)

    client.force_login(reader)
    client.post(f"{debate.url}a/{argument.pk}/unsupport/")
    assert not ArgumentSupport.objects.exists()
    client.post(f"{debate.url}a/{argument.pk}/support/", {"next": "debate"})
    html = client.get(debate.url).content.decode()
    assert "1 soutien" in html and 'aria-pressed="true"' in html


def test_supports_are_refused_once_the_debate_has_closed(debate, editor):
    argument = argue(debate, make_citizen())
    debate.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    debate.opens_at = timezone.now() - datetime.timedelta(days=2)
    debate.save_revision(user=editor).publish(user=editor)
    argument.refresh_from_db()
    with pytest.raises(CommentRefused, match="s’est terminé"):
        argument_support(argument=argument, by=make_citizen("marc", "Marc"))


def test_the_distribution_of_positions_is_shown_after_stating_ones_own(client, debate, editor):
    for n, value in enumerate(["agree", "agree", "disagree"]):
        position_state(debate=debate, by=make_citizen(f"p{n}", f"P{n}"), value=value)
    reader = make_citizen()
    client.force_login(reader)
    assert "3 habitants ont donné leur position" not in client.get(debate.url).content.decode()

    client.post(f"{debate.url}position/", {"value": "mixed"})
    client.post(f"{debate.url}position/", {"value": "agree"})  # changed: still one row
    assert DebatePosition.objects.filter(user=reader).get().value == "agree"
    html = client.get(debate.url).content.decode()
    assert "4 habitants ont donné leur position" in html
    assert "3 (75 %)" in html and "1 (25 %)" in html

    # Once closed, everyone sees it.
    debate.opens_at = timezone.now() - datetime.timedelta(days=3)
    debate.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    debate.save_revision(user=editor).publish(user=editor)
    client.logout()
    assert "4 habitants ont donné leur position" in client.get(debate.url).content.decode()


def test_each_column_is_sorted_and_paginated(client, debate):
    reader = make_citizen("lecteur", "Lecteur")
    arguments = []
    for n in range(12):
        arguments.append(argue(debate, make_citizen(f"a{n}", f"Auteur {n}"), title=f"Pour {n}"))
    argue(debate, make_citizen("contre", "Contre"), side="against", title="Le seul contre")
    argument_support(argument=arguments[3], by=reader)

    html = client.get(debate.url).content.decode()
    column = html.split('id="side-for"', 1)[1].split("</section>", 1)[0]
    assert column.index("Pour 3") < column.index("Pour 11")  # most supported first
    assert "Page 1 sur 2" in column and "for_page=2" in column
    newest = client.get(f"{debate.url}?for_sort=newest&for_page=2").content.decode()
    column = newest.split('id="side-for"', 1)[1].split("</section>", 1)[0]
    assert "Pour 1<" in column and "Pour 0<" in column and "Pour 11<" not in column
    assert "Le seul contre" in newest  # the other column keeps its own first page


def test_an_argument_has_its_own_discussion(client, debate):
    argument = argue(debate, make_citizen())
    client.force_login(make_citizen("marc", "Marc"))
    response = client.post(f"{debate.url}a/{argument.pk}/comment/", {"comment": "Bien vu."})
    assert response.status_code == 302
    html = client.get(argument.get_url()).content.decode()
    assert "Bien vu." in html and "Marc" in html
    assert "1 commentaire" in client.get(debate.url).content.decode()


def test_reports_hide_an_argument_until_a_moderator_decides(client, debate, settings):
    settings.COMMENT_AUTO_HIDE_REPORTS = 2
    argument = argue(debate, make_citizen(), title="Un argument douteux")
    first = make_citizen("r1", "R1")
    argument_report(argument=argument, by=first, reason="insult")
    with pytest.raises(CommentRefused, match="déjà signalé"):
        argument_report(argument=argument, by=first, reason="spam")
    argument_report(argument=argument, by=make_citizen("r2", "R2"), reason="spam")
    argument.refresh_from_db()
    assert argument.hidden_at is not None
    html = client.get(debate.url).content.decode()
    assert "Un argument douteux" not in html and "Argument masqué" in html


@pytest.mark.parametrize("payload", XSS)
def test_title_and_text_are_rendered_inert(client, debate, payload):
    argument = argue(debate, make_citizen(), title=payload[:120], text=payload)
    for address in (debate.url, argument.get_url()):
        main = client.get(address).content.decode().split("<main", 1)[1]
        for dangerous in ("<script>alert", "<img src=x", "<svg onload", "<iframe src=//evil"):
            assert dangerous not in main, (address, dangerous)
        assert 'href="javascript' not in main
        assert escape(payload) in main


def test_the_conclusion_appears_once_closed_with_the_article_it_changed(client, charter, editor):
    from charte.models import Paragraph
    from charte.texts import services

    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    article = Paragraph.objects.filter(iteration=iteration, number=1).first()
    debate = factories.make_debate(charter, user=editor, slug="d2")
    debate.conclusion = "<p>Nous retenons un siège pour les jeunes.</p>"
    debate.influenced.add(article)
    debate.save_revision(user=editor).publish(user=editor)
    assert "Nous retenons" not in client.get(debate.url).content.decode()

    debate.opens_at = timezone.now() - datetime.timedelta(days=3)
    debate.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    debate.save_revision(user=editor).publish(user=editor)
    html = client.get(debate.url).content.decode()
    assert "Ce que nous retenons" in html and "Nous retenons un siège" in html
    assert f'href="{iteration.url}#article-1"' in html


def test_a_page_of_arguments_costs_a_fixed_number_of_queries(
    client, debate, django_assert_max_num_queries
):
    def add(count, start):
        people = [make_citizen(f"q{start + n}", f"Q{start + n}") for n in range(count)]
        for n, person in enumerate(people):
            argument = argue(debate, person, side="for" if n % 2 else "against", title=f"A{n}")
            if n:
                argument_support(argument=argument, by=people[n - 1])
            comment_post(target=argument, by=people[0], text="Un avis.")

    add(4, 0)
    client.force_login(make_citizen())
    client.get(debate.url)
    with django_assert_max_num_queries(40) as captured:
        client.get(debate.url)
    few = len(captured.captured_queries)
    add(30, 100)
    with django_assert_max_num_queries(few):
        response = client.get(debate.url)
    assert response.status_code == 200


def test_the_team_lists_filters_and_exports_the_arguments(client, debate, editor):
    import json

    argue(debate, make_citizen(), side="for", title="=SOMME(A1:A9)", text="Pour les jeunes.")
    argue(debate, make_citizen("marc", "Marc"), side="against", title="Trop tôt", text="Non.")
    client.force_login(editor)
    listing = client.get("/admin/arguments/?side=against").content.decode()
    assert "Trop tôt" in listing and "SOMME" not in listing
    response = client.get("/admin/arguments/?export=csv")
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=SOMME(A1:A9)" in csv and "Trop tôt" in csv
    rows = json.loads(client.get("/admin/arguments/?export=json").content)
    assert {row["title"] for row in rows} == {"=SOMME(A1:A9)", "Trop tôt"}
    assert client.get("/admin/arguments/add/").status_code == 404

    client.force_login(make_citizen("curieux", "Curieux"))
    response = client.get("/admin/arguments/")
    assert (response.status_code, response.get("Location")) == (302, "/accounts/profile/")


def test_moderators_decide_on_arguments_in_their_queue(client, debate, editor, settings):
    from django.urls import reverse

    settings.COMMENT_AUTO_HIDE_REPORTS = 1
    argument = argue(debate, make_citizen(), title="Un argument signalé")
    argument_report(argument=argument, by=make_citizen("r1", "R1"), reason="off_topic")
    client.force_login(editor)
    queue = client.get(reverse("charte_moderation")).content.decode()
    assert "Un argument signalé" in queue and "1 argument de débat attend" in queue
    client.post(
        reverse("charte_moderation"),
        {"argument": argument.pk, "action": "hide", "reason": "Hors sujet"},
    )
    argument.refresh_from_db()
    assert argument.hidden_reason == "Hors sujet"
    assert "Hors sujet" in client.get(debate.url).content.decode()
    client.post(reverse("charte_moderation"), {"argument": argument.pk, "action": "restore"})
    argument.refresh_from_db()
    assert argument.hidden_at is None


def test_download_my_data_holds_arguments_supports_and_positions(client, debate):
    import json

    citizen = make_citizen()
    mine = argue(debate, citizen, side="against", title="Mon argument")
    other = argue(debate, make_citizen("marc", "Marc"), title="Le sien")
    argument_support(argument=other, by=citizen)
    position_state(debate=debate, by=citizen, value="mixed")
    client.force_login(citizen)
    response = client.get("/accounts/data/")
    data = json.loads(response.content)["contributions"]["debates"]
    assert [a["title"] for a in data["arguments"]] == ["Mon argument"]
    assert data["arguments"][0]["address"] == mine.get_url()
    assert data["supported"] == [other.get_url()]
    assert data["positions"] == [{"debate": debate.question, "position": "mixed"}]


def test_the_admin_offers_the_articles_of_the_charters_frozen_versions(client, charter, editor):
    from charte.texts import services

    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    client.force_login(editor)
    html = client.get(f"/admin/pages/add/charte/debatepage/{charter.pk}/").content.decode()
    # The two articles of the version, each by its first paragraph.
    assert html.count('name="articles"') == 2
    assert "Version 1 – Article 2 – Article de test 2" in html

    from charte.models import DebatesIndexPage

    index = factories.home_page().add_child(
        instance=DebatesIndexPage(title="Débats", slug="debats")
    )
    html = client.get(f"/admin/pages/add/charte/debatepage/{index.pk}/").content.decode()
    assert 'name="articles"' not in html  # a debate that stands alone concerns no charter


def test_the_author_is_told_of_a_decision_on_their_argument(debate, editor, mailoutbox):
    from charte.debates.services import argument_hide
    from charte.discussions.notifications import notify_decision
    from charte.models import ModerationDecision

    author = make_citizen()
    argument = argue(debate, author, title="Un argument vif")
    argument_hide(argument=argument, by=editor, reason="Propos injurieux")
    decision = ModerationDecision.objects.get(**follow_fields(argument))
    assert notify_decision(decision.pk) is True
    message = mailoutbox[-1]
    assert message.to == [author.email]
    assert "argument" in message.subject and "Propos injurieux" in message.body
    assert argument.get_url() in message.body


def test_the_home_page_lists_the_debates_open_now(client, debate, charter, editor):
    now = timezone.now()
    factories.make_debate(
        charter,
        user=editor,
        slug="fini",
        question="Une question déjà close ?",
        opens_at=now - datetime.timedelta(days=9),
        closes_at=now - datetime.timedelta(days=1),
    )
    html = client.get("/").content.decode()
    assert "Débats ouverts en ce moment" in html
    assert debate.question in html and "Une question déjà close ?" not in html


def test_the_team_creates_a_debate_then_concludes_it_in_the_admin(client, charter, editor):
    from charte.models import DebatePage, Paragraph
    from charte.texts import services
    from tests.admin_forms import local

    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    first_of_article_2 = Paragraph.objects.get(iteration=iteration, article_number=2, number=1)
    now = timezone.now()
    data = {
        "title": "Les horaires des réunions",
        "slug": "horaires",
        "question": "À quelle heure se réunir ?",
        "context": '{"blocks": [], "entityMap": {}}',
        "opens_at": local(now - datetime.timedelta(hours=1)),
        "closes_at": local(now + datetime.timedelta(days=14)),
        "articles": [str(first_of_article_2.pk)],
        "conclusion": '{"blocks": [], "entityMap": {}}',
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    client.force_login(editor)
    response = client.post(f"/admin/pages/add/charte/debatepage/{charter.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    debate = DebatePage.objects.get(slug="horaires")
    assert debate.live and list(debate.articles.all()) == [first_of_article_2]
    page = client.get(debate.url).content.decode()
    assert "À quelle heure se réunir ?" in page and f'{iteration.url}#article-2"' in page

    # The window must make sense; what was typed stays in the form.
    wrong = {**data, "slug": "horaires-2", "closes_at": local(now - datetime.timedelta(days=2))}
    response = client.post(f"/admin/pages/add/charte/debatepage/{charter.pk}/", wrong)
    assert response.status_code == 200
    assert "Le débat doit se terminer après son ouverture." in response.content.decode()
    assert not DebatePage.objects.filter(slug="horaires-2").exists()


def test_a_hidden_or_deleted_argument_shows_neither_its_title_nor_its_text(client, debate, editor):
    from charte.debates.services import argument_delete_own, argument_hide

    author = make_citizen()
    hidden = argue(debate, author, title="Un titre injurieux", text="Un texte injurieux.")
    argument_hide(argument=hidden, by=editor, reason="Propos injurieux")
    deleted = argue(debate, author, title="Un titre retiré", text="Un texte retiré.")
    argument_delete_own(argument=deleted, by=author)
    html = client.get(hidden.get_url()).content.decode()
    assert "injurieux." not in html and "Un titre injurieux" not in html
    assert "Propos injurieux" in html
    html = client.get(deleted.get_url()).content.decode()
    assert "retiré" not in html and "Argument supprimé" in html


def test_the_comparison_chooser_says_when_the_choice_is_wrong(client, charter, editor):
    from charte.texts import services

    first = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=first, by=editor)
    services.iteration_close(iteration=first, by=editor)
    second = services.iteration_start_next(charter=charter, by=editor)
    second.save_revision(user=editor).publish(user=editor)
    services.iteration_open(
        iteration=second, by=editor, closes_at=timezone.now() + datetime.timedelta(days=9)
    )
    response = client.get(f"{charter.url}compare/?from=2&to=2", follow=True)
    assert "Choisissez deux versions différentes" in response.content.decode()
    response = client.get(f"{charter.url}compare/?from=1&to=9", follow=True)
    assert "Choisissez deux versions de ce texte" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"{charter.url}compare/1/2/"


def test_the_english_charter_page_lists_every_debate_the_untranslated_in_french(
    client, charter, editor, english
):
    """A debate not translated yet is listed on the English charter page as its French page,
    marked as such, instead of being missing; a translated one in English."""
    untranslated = factories.make_debate(charter, user=editor)
    translated = factories.make_debate(
        charter,
        question="Faut-il un budget participatif ?",
        title="Budget participatif",
        slug="budget",
        user=editor,
    )
    english_charter = charter.copy_for_translation(english, copy_parents=True)
    english_charter.save_revision().publish()
    english_debate = translated.copy_for_translation(english)
    english_debate.question = "Should there be a participatory budget?"
    english_debate.save_revision().publish()

    html = client.get(english_charter.url).content.decode()

    assert (
        f'<a href="{untranslated.url}" lang="fr" hreflang="fr">'
        "Quelle place pour les jeunes dans les conseils de quartier ?</a> "
        '<span class="in-language">(in French)</span>'
    ) in html
    assert f'<a href="{english_debate.url}">Should there be a participatory budget?</a>' in html
    assert "Faut-il un budget participatif ?" not in html
    assert client.get(untranslated.url).status_code == 200


def test_the_english_home_lists_every_open_debate_the_untranslated_in_french(
    client, charter, editor, english
):
    debate = factories.make_debate(charter, user=editor)
    english_charter = charter.copy_for_translation(english, copy_parents=True)
    english_charter.save_revision().publish()
    english_home = english_charter.get_parent().specific
    assert english_home.live  # an alias of the French home, in English

    html = client.get(english_home.url).content.decode()

    assert (
        f'<a href="{debate.url}" lang="fr" hreflang="fr">'
        "Quelle place pour les jeunes dans les conseils de quartier ?</a> "
        '<span class="in-language">(in French)</span>'
    ) in html


def test_an_argument_s_author_follows_its_comments_only_when_they_tick_the_box(debate):
    from charte.debates.services import argument_post
    from charte.models import ThreadFollow

    lea = make_citizen()
    quiet = argument_post(debate=debate, by=lea, side="for", title="Pour", text="Un argument.")
    assert not ThreadFollow.objects.filter(user=lea, **follow_fields(quiet)).exists()
    followed = argument_post(
        debate=debate, by=lea, side="against", title="Contre", text="Un autre.", follow=True
    )
    assert ThreadFollow.objects.filter(user=lea, **follow_fields(followed)).exists()
