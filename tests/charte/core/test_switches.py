"""What is open, per action: the team closes comments, amendments, supports, arguments or their
supports one by one inside the window, or sets a limit per person; every entry point refuses a
closed action with its reason and the typed text given back, and the public pages say what is
open and until when."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from charte.amendments.services import AmendmentRefused, amendment_propose, amendment_withdraw
from charte.core.formatting import format_datetime
from charte.debates.services import argument_post, argument_support
from charte.discussions.services import CommentRefused, comment_post, comment_react
from charte.models import (
    Amendment,
    AmendmentSupport,
    Argument,
    ArgumentSupport,
    CharterIterationPage,
    Comment,
    DebatePage,
    Paragraph,
)
from tests import factories
from tests.admin_forms import draftail, iteration_edit_data, local, switches_data
from tests.charte.discussions.test_comments import make_citizen, url
from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


def when(value, language):
    with translation.override(language):
        return format_datetime(value)


def set_switches(page, **fields):
    """The team's settings, as the page's published values (what the rule reads)."""
    type(page).objects.filter(pk=page.pk).update(**fields)
    page.refresh_from_db()
    return page


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


AMENDMENT = {
    "kind": "modify",
    "text": "Une rédaction que je ne veux pas perdre.",
    "rationale": "Un motif tapé avec soin.",
}


# -- the version: comments, amendments, supports -----------------------------------------------


@pytest.mark.parametrize(
    ("language", "closed"),
    [
        ("fr", "Propositions d’amendement closes depuis le {date}."),
        ("en", "Amendment proposals closed since {date}."),
    ],
)
def test_amendments_closed_while_comments_and_supports_stay_open(
    client, opened, paragraph, english, language, closed
):
    lea, sam = make_citizen(), make_citizen("sam", "Sam des Quais")
    earlier = amendment_propose(paragraph=paragraph, by=sam, **AMENDMENT)
    set_switches(opened, amendments_close_at=ago(days=1))
    page = translate(opened, english) if language == "en" else opened
    expected = closed.format(date=when(opened.amendments_close_at, language))
    client.force_login(lea)

    # The paragraph's page offers comments, not the amendment form, and says why.
    html = client.get(url(page, paragraph)).content.decode()
    assert escape(expected) in html
    assert url(page, paragraph, "amend/") not in html
    assert 'name="comment"' in html

    # The amendment form is not offered; a forged post is refused with the text given back.
    html = client.get(url(page, paragraph, "amend/")).content.decode()
    assert escape(expected) in html and 'name="rationale"' not in html
    response = client.post(url(page, paragraph, "amend/"), {**AMENDMENT, "send": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert escape(expected) in html
    assert escape(AMENDMENT["text"]) in html and escape(AMENDMENT["rationale"]) in html
    assert list(Amendment.objects.all()) == [earlier]
    with pytest.raises(AmendmentRefused):
        amendment_propose(paragraph=Paragraph.objects.get(pk=paragraph.pk), by=lea, **AMENDMENT)

    # Comments and supports are still open.
    response = client.post(url(page, paragraph, "comment/"), {"comment": "Toujours ouvert."})
    assert response.status_code == 302
    assert Comment.objects.filter(user=lea).count() == 1
    response = client.post(f"{page.url}amendments/{earlier.number}/support/", {"value": "agree"})
    assert response.status_code == 302
    assert AmendmentSupport.objects.filter(amendment=earlier, user=lea).count() == 1


@pytest.mark.parametrize(
    ("language", "closed"),
    [("fr", "Commentaires fermés."), ("en", "Comments are not open.")],
)
def test_comments_closed_while_amendments_stay_open(
    client, opened, paragraph, english, language, closed
):
    lea, sam = make_citizen(), make_citizen("sam", "Sam des Quais")
    earlier = comment_post(paragraph=paragraph, by=sam, text="Avant la fermeture.")
    amendment = amendment_propose(paragraph=paragraph, by=sam, **AMENDMENT)
    set_switches(opened, comments_open=False)
    page = translate(opened, english) if language == "en" else opened
    client.force_login(lea)

    html = client.get(url(page, paragraph)).content.decode()
    assert closed in html and 'name="comment"' not in html
    assert "Avant la fermeture." in html  # what was written stays readable
    assert url(page, paragraph, "amend/") in html  # amendments are still offered

    typed = "Un commentaire que je ne veux pas perdre."
    response = client.post(url(page, paragraph, "comment/"), {"comment": typed})
    html = response.content.decode()
    assert response.status_code == 403
    assert closed in html and typed in html
    assert Comment.objects.filter(user=lea).count() == 0
    # Comments on an amendment and reactions are comments too.
    response = client.post(f"{page.url}amendments/{amendment.number}/comment/", {"comment": typed})
    assert response.status_code == 403 and typed in response.content.decode()
    with pytest.raises(CommentRefused):
        comment_react(comment=earlier, by=lea, reaction="agree")
    with pytest.raises(CommentRefused):
        comment_post(target=Amendment.objects.get(pk=amendment.pk), by=lea, text=typed)
    # The JSON API reads the thread and writes nothing, open or closed.
    api = f"/api/paragraphs/{paragraph.pk}/comments/"
    assert client.get(api).json()["count"] == 1
    assert client.post(api, {"text": typed}).status_code == 405
    assert Comment.objects.filter(user=lea).count() == 0

    response = client.post(url(page, paragraph, "amend/"), {**AMENDMENT, "send": "1"})
    assert response.status_code == 302
    assert Amendment.objects.filter(author=lea).count() == 1


@pytest.mark.parametrize(
    ("language", "closed"),
    [
        ("fr", "Soutiens aux amendements clos depuis le {date}."),
        ("en", "Supports of amendments closed since {date}."),
    ],
)
def test_supports_closed_while_amendments_stay_open(
    client, opened, paragraph, english, language, closed
):
    lea, sam = make_citizen(), make_citizen("sam", "Sam des Quais")
    amendment = amendment_propose(paragraph=paragraph, by=sam, **AMENDMENT)
    set_switches(opened, supports_close_at=ago(hours=2))
    page = translate(opened, english) if language == "en" else opened
    expected = escape(closed.format(date=when(opened.supports_close_at, language)))
    client.force_login(lea)

    address = f"{page.url}amendments/{amendment.number}/"
    html = client.get(address).content.decode()
    assert expected in html and f'action="{address}support/"' not in html
    assert 'name="comment"' in html  # its discussion is still open
    response = client.post(f"{address}support/", {"value": "agree"}, follow=True)
    assert expected in response.content.decode()
    assert not AmendmentSupport.objects.exists()

    response = client.post(url(page, paragraph, "amend/"), {**AMENDMENT, "send": "1"})
    assert response.status_code == 302


def test_the_amendment_author_cannot_correct_once_amendments_close(client, opened, paragraph):
    lea = make_citizen()
    amendment = amendment_propose(paragraph=paragraph, by=lea, **AMENDMENT)
    address = f"{opened.url}amendments/{amendment.number}/"
    client.force_login(lea)
    assert f"{address}correct/" in client.get(address).content.decode()
    set_switches(opened, amendments_open=False)
    assert f"{address}correct/" not in client.get(address).content.decode()
    response = client.post(f"{address}correct/", {**AMENDMENT, "text": "Autre.", "send": "1"})
    assert response.status_code == 403
    assert "Propositions d’amendement fermées." in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.text == AMENDMENT["text"]


def test_the_window_decides_before_the_switches(opened, paragraph):
    """An action left open never outlives the window."""
    lea = make_citizen()
    CharterIterationPage.objects.filter(pk=opened.pk).update(closes_at=ago(minutes=1))
    opened.refresh_from_db()
    with pytest.raises(CommentRefused) as refused:
        comment_post(paragraph=paragraph, by=lea, text="Trop tard.")
    assert "La consultation s’est terminée le" in refused.value.message


# -- the public sentence -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "fr",
            f"Commentaires ouverts jusqu’au {{end}}{NNBSP}; propositions d’amendement closes "
            f"depuis le {{early}}{NNBSP}; soutiens aux amendements fermés.",
        ),
        (
            "en",
            "Comments open until {end}; amendment proposals closed since {early}; supports of "
            "amendments are not open.",
        ),
    ],
)
def test_the_version_page_says_what_is_open_and_until_when(
    client, opened, paragraph, english, language, sentence
):
    set_switches(opened, amendments_close_at=ago(days=2), supports_open=False)
    page = translate(opened, english) if language == "en" else opened
    expected = sentence.format(
        end=when(opened.closes_at, language), early=when(opened.amendments_close_at, language)
    )
    assert escape(expected) in client.get(page.url).content.decode()
    assert escape(expected) in client.get(url(page, paragraph)).content.decode()
    client.force_login(make_citizen())
    assert escape(expected) in client.get(url(page, paragraph, "amend/")).content.decode()


def test_an_earlier_closing_date_to_come_is_told_as_such(client, opened):
    soon = timezone.now() + datetime.timedelta(days=3)
    set_switches(opened, amendments_close_at=soon)
    html = client.get(opened.url).content.decode()
    assert escape(f"propositions d’amendement ouvertes jusqu’au {when(soon, 'fr')}") in html
    assert escape(f"Commentaires ouverts jusqu’au {when(opened.closes_at, 'fr')}") in html


def test_no_sentence_once_the_consultation_has_closed(client, opened):
    CharterIterationPage.objects.filter(pk=opened.pk).update(closes_at=ago(minutes=1))
    assert "ouverts jusqu’au" not in client.get(opened.url).content.decode()


# -- limits per person -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "told", "refused"),
    [
        (
            "fr",
            "Vous avez déposé 1 amendement sur 2 pour cette version.",
            "Vous avez déposé 2 amendements sur 2 pour cette version. Vous ne pouvez pas en "
            "ajouter d’autres.",
        ),
        (
            "en",
            "You have proposed 1 amendment out of 2 for this version.",
            "You have proposed 2 amendments out of 2 for this version. You cannot add more.",
        ),
    ],
)
def test_a_limit_of_amendments_per_person_is_exact(
    client, opened, paragraph, english, language, told, refused
):
    set_switches(opened, amendments_limit=2)
    page = translate(opened, english) if language == "en" else opened
    lea, sam = make_citizen(), make_citizen("sam", "Sam des Quais")
    amendment_propose(paragraph=paragraph, by=lea, **AMENDMENT)
    client.force_login(lea)
    assert escape(told) in client.get(url(page, paragraph, "amend/")).content.decode()

    response = client.post(url(page, paragraph, "amend/"), {**AMENDMENT, "send": "1"})
    assert response.status_code == 302
    assert Amendment.objects.filter(author=lea).count() == 2

    # The form is no longer offered; a forged third post is refused with the text kept.
    html = client.get(url(page, paragraph, "amend/")).content.decode()
    assert escape(refused) in html and 'name="rationale"' not in html
    response = client.post(url(page, paragraph, "amend/"), {**AMENDMENT, "send": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert escape(refused) in html and escape(AMENDMENT["rationale"]) in html
    assert Amendment.objects.filter(author=lea).count() == 2
    # Someone else still can.
    amendment_propose(paragraph=paragraph, by=sam, **AMENDMENT)


def test_a_withdrawn_amendment_leaves_room_under_the_limit(opened, paragraph):
    set_switches(opened, amendments_limit=1)
    lea = make_citizen()
    first = amendment_propose(paragraph=paragraph, by=lea, **AMENDMENT)
    with pytest.raises(AmendmentRefused):
        amendment_propose(paragraph=paragraph, by=lea, **AMENDMENT)
    amendment_withdraw(amendment=first, by=lea)
    amendment_propose(paragraph=paragraph, by=lea, **AMENDMENT)
    assert Amendment.objects.filter(author=lea).count() == 2


def test_the_limit_is_counted_inside_the_transaction(opened, paragraph):
    """The count runs after the charter's row is locked, in the same transaction as the
    insert: the queries of one post show the lock, then the count, then the insert."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    set_switches(opened, amendments_limit=3)
    lea = make_citizen()
    with CaptureQueriesContext(connection) as queries:
        amendment_propose(paragraph=paragraph, by=lea, **AMENDMENT)
    sql = [q["sql"] for q in queries.captured_queries]
    insert = next(i for i, q in enumerate(sql) if q.startswith('INSERT INTO "charte_amendment"'))
    counts = [i for i, q in enumerate(sql) if "COUNT(" in q and 'FROM "charte_amendment"' in q]
    assert counts and counts[-1] < insert


# -- debates: arguments and their supports -----------------------------------------------------


def translate_debate(debate, locale):
    translated = debate.copy_for_translation(locale, copy_parents=True)
    translated.question = "What place for young people?"
    translated.slug = "young"
    translated.save_revision().publish()
    return DebatePage.objects.get(pk=translated.pk)


@pytest.fixture
def debate(charter, editor):
    return factories.make_debate(charter, user=editor)


@pytest.mark.parametrize(
    ("language", "closed", "sentence"),
    [
        (
            "fr",
            "Arguments clos depuis le {early}.",
            f"Arguments clos depuis le {{early}}{NNBSP}; soutiens aux arguments ouverts "
            "jusqu’au {end}.",
        ),
        (
            "en",
            "Arguments closed since {early}.",
            "Arguments closed since {early}; supports of arguments open until {end}.",
        ),
    ],
)
def test_arguments_closed_while_their_supports_stay_open(
    client, debate, english, language, closed, sentence
):
    sam, lea = make_citizen("sam", "Sam des Quais"), make_citizen()
    argument = argument_post(debate=debate, by=sam, side="for", title="Titre", text="Texte.")
    set_switches(debate, arguments_close_at=ago(hours=1))
    page = translate_debate(debate, english) if language == "en" else debate
    early, end = when(debate.arguments_close_at, language), when(debate.closes_at, language)
    client.force_login(lea)

    html = client.get(page.url).content.decode()
    assert escape(sentence.format(early=early, end=end)) in html
    assert f'action="{page.url}argue/"' not in html
    assert escape(closed.format(early=early)) in html
    typed = {"side": "against", "title": "Mon titre gardé", "text": "Mon texte gardé."}
    response = client.post(f"{page.url}argue/", typed)
    html = response.content.decode()
    assert response.status_code == 403
    assert escape(closed.format(early=early)) in html
    assert "Mon titre gardé" in html and "Mon texte gardé." in html
    assert Argument.objects.count() == 1

    # Supports are still open, on the debate's page and the argument's.
    assert f"{page.url}a/{argument.pk}/support/" in client.get(page.url).content.decode()
    response = client.post(f"{page.url}a/{argument.pk}/support/")
    assert response.status_code == 302
    assert ArgumentSupport.objects.filter(argument=argument, user=lea).count() == 1


@pytest.mark.parametrize(
    ("language", "closed"),
    [("fr", "Soutiens aux arguments fermés."), ("en", "Supports of arguments are not open.")],
)
def test_supports_of_arguments_closed_while_arguments_stay_open(
    client, debate, english, language, closed
):
    sam, lea = make_citizen("sam", "Sam des Quais"), make_citizen()
    argument = argument_post(debate=debate, by=sam, side="for", title="Titre", text="Texte.")
    set_switches(debate, argument_supports_open=False)
    page = translate_debate(debate, english) if language == "en" else debate
    client.force_login(lea)

    assert f"{page.url}a/{argument.pk}/support/" not in client.get(page.url).content.decode()
    html = client.get(f"{page.url}a/{argument.pk}/").content.decode()
    assert closed in html and f"{page.url}a/{argument.pk}/support/" not in html
    assert 'name="comment"' in html  # its discussion stays open
    client.post(f"{page.url}a/{argument.pk}/support/")
    assert not ArgumentSupport.objects.exists()
    with pytest.raises(CommentRefused) as refused:
        argument_support(argument=argument, by=lea)
    assert refused.value.message == closed

    response = client.post(
        f"{page.url}argue/", {"side": "for", "title": "Encore", "text": "Toujours ouvert."}
    )
    assert response.status_code == 302
    assert Argument.objects.filter(author=lea).count() == 1


def test_a_limit_of_arguments_per_person(client, debate):
    set_switches(debate, arguments_limit=1)
    lea = make_citizen()
    client.force_login(lea)
    assert (
        "Vous avez écrit 0 argument sur 1 dans ce débat." in client.get(debate.url).content.decode()
    )
    argument_post(debate=debate, by=lea, side="for", title="Un", text="Premier.")
    typed = {"side": "against", "title": "Deux", "text": "Le second, gardé."}
    response = client.post(f"{debate.url}argue/", typed)
    html = response.content.decode()
    assert response.status_code == 403
    assert escape("Vous avez écrit 1 argument sur 1 dans ce débat.") in html
    assert "Le second, gardé." in html
    assert Argument.objects.filter(author=lea).count() == 1


# -- the team's settings in the admin ----------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_switches_change_on_a_frozen_version(editor_client, opened):
    page = CharterIterationPage.objects.get(pk=opened.pk)
    early = page.closes_at - datetime.timedelta(days=7)
    data = iteration_edit_data(page)
    data.pop("comments_open")
    data.update(amendments_close_at=local(early), amendments_limit="10")
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.comments_open is False and page.amendments_limit == 10
    assert local(page.amendments_close_at) == local(early)
    assert page.frozen_at is not None  # still the same frozen text


def test_the_admin_shows_what_is_open_in_french(editor_client, opened):
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[opened.pk])).content
    html = html.decode()
    assert "Ce qui est ouvert" in html
    assert "Fermeture anticipée des propositions d’amendement" in html
    assert "Amendements par personne" in html


def test_a_closing_date_after_the_window_is_refused_in_the_form(editor_client, opened):
    page = CharterIterationPage.objects.get(pk=opened.pk)
    late = page.closes_at + datetime.timedelta(days=1)
    data = iteration_edit_data(page, comments_close_at=local(late))
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    end = when(page.closes_at, "fr")
    assert escape(f"Cette date tombe après la fin de la période d’ouverture ({end})") in html
    page.refresh_from_db()
    assert page.comments_close_at is None


def test_a_debate_closing_date_after_its_window_is_refused(editor_client, debate):
    late = debate.closes_at + datetime.timedelta(days=1)
    data = {
        "title": debate.title,
        "slug": debate.slug,
        "question": debate.question,
        "context": draftail(""),
        "opens_at": local(debate.opens_at),
        "closes_at": local(debate.closes_at),
        "conclusion": draftail(""),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        **switches_data(debate),
        "argument_supports_close_at": local(late),
        "action-publish": "action-publish",
    }
    edit = reverse("wagtailadmin_pages:edit", args=[debate.pk])
    response = editor_client.post(edit, data)
    assert response.status_code == 200
    assert "Cette date tombe après la fin de la période d’ouverture" in response.content.decode()
    data["argument_supports_close_at"] = local(debate.closes_at - datetime.timedelta(days=2))
    data["arguments_limit"] = "3"
    response = editor_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    debate.refresh_from_db()
    assert debate.arguments_limit == 3 and debate.argument_supports_close_at is not None
