"""The one guard in front of a citizen's post, and the one family of refusals.

Each refusal kind (honeypot, posting too fast) is checked on the guard itself, then on every
form that uses it, in French and in English, with the exact message the person reads and the
text they typed given back; a double click posts once.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from charte.amendments.services import AmendmentRefused
from charte.core.exceptions import Refused
from charte.core.guards import guard_post, refusal_status
from charte.discussions.services import CommentRefused
from charte.models import Amendment, Argument, Comment, DebatePage
from charte.review.services import NoteRefused
from charte.texts.services import LifecycleError
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db

HONEYPOT = {
    "fr": {
        "comment": "Votre commentaire n’a pas pu être envoyé. Veuillez réessayer.",
        "amendment": "Votre amendement n’a pas pu être envoyé. Veuillez réessayer.",
        "argument": "Votre argument n’a pas pu être envoyé. Veuillez réessayer.",
    },
    "en": {
        "comment": "Your comment could not be sent. Please try again.",
        "amendment": "Your amendment could not be sent. Please try again.",
        "argument": "Your argument could not be sent. Please try again.",
    },
}
TOO_FAST = {
    "fr": r"Vous publiez trop vite\u00a0: attendez (\d+) (seconde|secondes) puis renvoyez-le\.",
    "en": r"You are posting too fast: wait (\d+) (second|seconds) and send it again\.",
}


# -- The family ------------------------------------------------------------------------------


def test_every_refusal_of_a_service_is_a_refused():
    for kind in (CommentRefused, AmendmentRefused, NoteRefused, LifecycleError):
        assert issubclass(kind, Refused)
    with pytest.raises(Refused) as caught:
        raise AmendmentRefused("Écrivez le texte.", 400, "text")
    refusal = caught.value
    assert (refusal.message, refusal.status, refusal.field) == ("Écrivez le texte.", 400, "text")
    assert str(refusal) == "Écrivez le texte." and refusal.retry_after is None


def test_a_refusal_is_403_unless_told_otherwise():
    assert Refused("Non.").status == 403
    assert CommentRefused("Non.").status == 403
    assert NoteRefused("Écrivez votre note.").status == 400  # a form to correct
    too_fast = Refused("Attendez.", 429, retry_after=12)
    assert (too_fast.status, too_fast.retry_after, too_fast.field) == (429, 12, None)


def test_refusal_status_gives_the_status_and_the_time_to_wait():
    response = refusal_status(HttpResponse("form"), Refused("Attendez.", 429, retry_after=12))
    assert response.status_code == 429 and response["Retry-After"] == "12"
    response = refusal_status(HttpResponse("form"), CommentRefused("Non."))
    assert response.status_code == 403 and not response.has_header("Retry-After")
    response = refusal_status(HttpResponse("form"), None)
    assert response.status_code == 200 and not response.has_header("Retry-After")


# -- The guard itself ------------------------------------------------------------------------


def post(user, **data):
    request = RequestFactory().post("/", data, REMOTE_ADDR="198.51.100.7")
    request.user = user
    return request


def guard(request, counted=True):
    return guard_post(request, scope="comment", honeypot_message="Pot de miel", counted=counted)


def test_a_filled_honeypot_is_refused_with_400_for_anyone():
    for user in (make_citizen(), AnonymousUser()):
        with pytest.raises(Refused) as caught:
            guard(post(user, comment="Achetez !", website="http://spam"))
        assert (caught.value.message, caught.value.status) == ("Pot de miel", 400)
        with pytest.raises(Refused):  # a preview is no exception
            guard(post(user, website="http://spam"), counted=False)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_posting_too_fast_is_refused_with_429_and_the_time_to_wait(settings, language):
    settings.POST_RATE_LIMITS = "2/60"
    citizen = make_citizen()
    with translation.override(language):
        assert guard(post(citizen, submission="a")) and guard(post(citizen, submission="b"))
        with pytest.raises(Refused) as caught:
            guard(post(citizen, submission="c"))
    refusal = caught.value
    assert refusal.status == 429 and 1 <= refusal.retry_after <= 61
    seconds, word = re.fullmatch(TOO_FAST[language], refusal.message).groups()
    assert int(seconds) == refusal.retry_after
    assert (word in ("seconde", "second")) == (refusal.retry_after == 1)


def test_what_is_not_a_new_post_is_neither_counted_nor_spends_its_token(settings):
    settings.POST_RATE_LIMITS = "1/60"
    citizen = make_citizen()
    for _ in range(3):  # previews, corrections
        assert guard(post(citizen, submission="same"), counted=False) is True
    assert guard(post(citizen, submission="same")) is True  # the first post counts


def test_anonymous_posts_are_left_to_the_services(settings):
    settings.POST_RATE_LIMITS = "1/60"
    for _ in range(3):  # not counted: the service refuses them, with the reason
        assert guard(post(AnonymousUser(), submission="same")) is True


def test_one_submission_token_posts_once_per_scope_and_account(settings):
    settings.POST_RATE_LIMITS = "100/60"
    lea, marc = make_citizen(), make_citizen("marc", "Marc")
    assert guard(post(lea, submission="f00d" * 8)) is True
    assert guard(post(lea, submission="f00d" * 8)) is False  # the double click
    assert guard(post(marc, submission="f00d" * 8)) is True
    other = guard_post(
        post(lea, submission="f00d" * 8), scope="argument", honeypot_message="Pot de miel"
    )
    assert other is True
    assert guard(post(lea)) is True and guard(post(lea)) is True  # no token: no check


# -- On every form, in both languages ---------------------------------------------------------


@pytest.fixture
def english_opened(opened, english):
    from tests.charte.texts.test_public_pages import translate

    return translate(opened, english)


@pytest.fixture
def debate(charter, editor):
    return factories.make_debate(charter, user=editor)


@pytest.fixture
def english_debate(debate, english, editor):
    translated = debate.copy_for_translation(english, copy_parents=True)
    translated.save_revision(user=editor).publish(user=editor)
    return DebatePage.objects.get(pk=translated.pk)


def comment_form(client, page, paragraph, **data):
    return client.post(url(page, paragraph, "comment/"), {"comment": "Mon avis précieux", **data})


def amendment_form(client, page, paragraph, **data):
    fields = {"kind": "delete", "rationale": "Mon motif précieux", "send": "1"}
    return client.post(url(page, paragraph, "amend/"), {**fields, **data})


def argument_form(client, debate, **data):
    fields = {"side": "for", "title": "Mon titre", "text": "Mon argument précieux"}
    return client.post(f"{debate.url}argue/", {**fields, **data})


def assert_too_fast(response, language):
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    found = re.search(TOO_FAST[language], response.content.decode())
    assert found and int(found.group(1)) == wait


@pytest.fixture(params=["fr", "en"])
def language(request):
    return request.param


@pytest.fixture
def where(language, request):
    """The iteration page in the language of the test (its English translation under /en/)."""
    if language == "fr":
        return request.getfixturevalue("opened")
    return request.getfixturevalue("english_opened")


@pytest.fixture
def debate_where(language, request):
    if language == "fr":
        return request.getfixturevalue("debate")
    return request.getfixturevalue("english_debate")


def test_a_comment_with_the_honeypot_filled_is_refused(client, where, paragraph, language):
    client.force_login(make_citizen())
    response = comment_form(client, where, paragraph, website="http://spam")
    assert response.status_code == 400
    html = response.content.decode()
    assert HONEYPOT[language]["comment"] in html and "Mon avis précieux" in html
    assert not Comment.objects.exists()


def test_a_comment_sent_too_fast_waits(client, where, paragraph, language, settings):
    settings.POST_RATE_LIMITS = "1/60"
    client.force_login(make_citizen())
    assert comment_form(client, where, paragraph).status_code == 302
    response = comment_form(client, where, paragraph, comment="Un second avis")
    assert_too_fast(response, language)
    assert "Un second avis" in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_amendment_with_the_honeypot_filled_is_refused(client, where, paragraph, language):
    client.force_login(make_citizen())
    for step in ({"send": "1"}, {"preview": "1"}):  # sent, or only previewed
        fields = {"kind": "delete", "rationale": "Mon motif précieux", **step}
        response = client.post(url(where, paragraph, "amend/"), {**fields, "website": "x"})
        assert response.status_code == 400
        html = response.content.decode()
        assert HONEYPOT[language]["amendment"] in html and "Mon motif précieux" in html
    assert not Amendment.objects.exists()


def test_an_amendment_sent_too_fast_waits(client, where, paragraph, language, settings):
    settings.POST_RATE_LIMITS = "1/60"
    client.force_login(make_citizen())
    assert amendment_form(client, where, paragraph).status_code == 302
    response = amendment_form(client, where, paragraph, rationale="Un second motif")
    assert_too_fast(response, language)
    assert "Un second motif" in response.content.decode()
    assert Amendment.objects.count() == 1


def test_an_argument_with_the_honeypot_filled_is_refused(client, debate_where, language):
    client.force_login(make_citizen())
    response = argument_form(client, debate_where, website="http://spam")
    assert response.status_code == 400
    html = response.content.decode()
    assert HONEYPOT[language]["argument"] in html and "Mon argument précieux" in html
    assert not Argument.objects.exists()


def test_an_argument_sent_too_fast_waits(client, debate_where, language, settings):
    settings.POST_RATE_LIMITS = "1/60"
    client.force_login(make_citizen())
    assert argument_form(client, debate_where).status_code == 302
    response = argument_form(client, debate_where, text="Un second argument")
    assert_too_fast(response, language)
    assert "Un second argument" in response.content.decode()
    assert Argument.objects.count() == 1


def test_a_double_click_posts_once_on_every_form(client, opened, paragraph, debate, settings):
    settings.POST_RATE_LIMITS = "100/60"
    client.force_login(make_citizen())
    token = {"submission": "c0ffee" * 5}
    for send in (comment_form, amendment_form):
        first = send(client, opened, paragraph, **token)
        second = send(client, opened, paragraph, **token)
        assert first.status_code == second.status_code == 302
    first = argument_form(client, debate, **token)
    second = argument_form(client, debate, **token)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"{debate.url}#arguments"
    assert Comment.objects.count() == Amendment.objects.count() == Argument.objects.count() == 1
