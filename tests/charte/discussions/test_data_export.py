"""« Download my data » holds everything a person did on the site, not only what they wrote:
their reactions, the discussions they follow, what they reported, and a council member's own
review notes."""

import json

from django.urls import reverse

from charte.core import roles
from charte.debates.services import argument_post, argument_report
from charte.discussions.services import comment_post, comment_react, follow_start
from charte.moderation.services import comment_report
from charte.review.services import note_add
from tests import factories
from tests.charte.discussions.test_comments import make_citizen


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("account_data"))
    assert response.status_code == 200
    return json.loads(response.content)["contributions"]


def test_reactions_follows_and_reports_are_in_the_export(client, opened, paragraph, editor):
    author = make_citizen("marc", "Marc")
    lea = make_citizen()
    comment = comment_post(target=paragraph, by=author, text="Un avis tranché.")
    comment_react(comment=comment, by=lea, reaction="disagree")
    comment_report(comment=comment, by=lea, reason="spam", details="Hors sujet")
    debate = factories.make_debate(opened.get_parent().specific, user=editor)
    argument = argument_post(debate=debate, by=author, side="for", title="Oui", text="Car.")
    argument_report(argument=argument, by=lea, reason="insult", details="Blessant")
    follow_start(target=argument, by=lea)

    data = download(client, lea)
    (reaction,) = data["discussions"]["reactions"]
    assert (reaction["comment"], reaction["reaction"]) == (comment.pk, "disagree")
    assert reaction["address"] == paragraph.get_url()
    assert [f["address"] for f in data["discussions"]["followed_discussions"]] == [
        argument.get_url()
    ]
    (report,) = data["reports"]
    assert (report["comment"], report["reason"], report["details"]) == (
        comment.pk,
        "spam",
        "Hors sujet",
    )
    (argument_reported,) = data["debates"]["reported"]
    assert (argument_reported["argument"], argument_reported["details"]) == (
        argument.get_url(),
        "Blessant",
    )
    assert data["review_notes"] == []


def test_a_council_member_finds_their_own_review_notes_only(client, opened, paragraph):
    council = factories.UserFactory(username="sophie", role=roles.COUNCIL_MEMBERS)
    other = factories.UserFactory(username="paul", role=roles.COUNCIL_MEMBERS)
    note_add(paragraph=paragraph, by=council, text="À relire avec le service juridique.")
    note_add(paragraph=paragraph, by=other, text="Note d’un autre élu.")
    notes = download(client, council)["review_notes"]
    assert [(n["text"], n["paragraph"]) for n in notes] == [
        ("À relire avec le service juridique.", paragraph.get_url())
    ]
