"""Text typed with invisible control characters (a NUL byte pasted from another program, which
PostgreSQL cannot store) is accepted without them, on every form citizens and staff write in."""

import pytest

from charte.amendments.services import amendment_propose
from charte.debates.services import argument_post
from charte.discussions.services import comment_post
from charte.models import Paragraph
from charte.review.services import note_add
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db

TYPED = "Une idée\x00 avec\x07 des caractères\x1b invisibles.\nEt une seconde ligne."
CLEAN = "Une idée avec des caractères invisibles.\nEt une seconde ligne."


def test_comments_amendments_arguments_and_notes_drop_control_characters(
    client, opened, charter, editor
):
    from charte.core import roles

    paragraph = Paragraph.objects.filter(iteration=opened).first()
    citizen = make_citizen()
    assert comment_post(paragraph=paragraph, by=citizen, text=TYPED).comment == CLEAN
    amendment = amendment_propose(
        paragraph=paragraph, by=citizen, kind="modify", text=TYPED, rationale=TYPED
    )
    assert (amendment.text, amendment.rationale) == (CLEAN, CLEAN)
    debate = factories.make_debate(charter, user=editor)
    argument = argument_post(debate=debate, by=citizen, side="for", title="Titre\x00", text=TYPED)
    assert (argument.title, argument.text) == ("Titre", CLEAN)
    council = factories.UserFactory(username="elue", role=roles.COUNCIL_MEMBERS)
    assert note_add(paragraph=paragraph, by=council, text=TYPED).text == CLEAN


def test_a_nul_byte_through_the_form_is_not_an_error_page(client, opened):
    paragraph = Paragraph.objects.filter(iteration=opened).first()
    client.force_login(make_citizen())
    response = client.post(url(opened, paragraph, "comment/"), {"comment": TYPED})
    assert response.status_code == 302
