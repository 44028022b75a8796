"""What a workshop said, entered by its facilitator: signed by the workshop, with its origin,
through the same rules as online contributions."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from charte.amendments.services import AmendmentRefused, amendment_answer
from charte.core import roles
from charte.core.origins import Origin
from charte.discussions.services import CommentRefused
from charte.models import AmendmentStatus, Workshop
from charte.workshops.services import (
    EntryRefused,
    contribution_counts,
    workshop_amendment_enter,
    workshop_comment_enter,
    workshops_for,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_comment_entered_is_signed_by_the_workshop_never_by_the_facilitator(
    workshop, facilitator, paragraph
):
    comment = workshop_comment_enter(
        workshop=workshop, paragraph=paragraph, text="Plus de bancs.", by=facilitator
    )
    assert comment.origin == Origin.WORKSHOP
    assert comment.user == facilitator  # their « download my data » lists it
    with override("fr"):
        day = timezone.localtime(workshop.starts_at).day
        assert comment.author_name.startswith(f"Atelier du {'1er' if day == 1 else day} ")
        assert comment.author_name.endswith(" – Maison de quartier du Port, 18 participants")
    with override("en"):
        assert comment.author_name.startswith("Workshop of ")
    assert facilitator.username not in comment.author_name
    assert comment.author_type_badge == ""


def test_an_amendment_entered_is_answered_like_any_other(workshop, facilitator, paragraph, editor):
    amendment = workshop_amendment_enter(
        workshop=workshop,
        paragraph=paragraph,
        kind="modify",
        text="Une rédaction issue de l’atelier.",
        rationale="Les participants l’ont demandé.",
        by=facilitator,
    )
    assert (amendment.origin, amendment.number, amendment.author_type_label) == (
        Origin.WORKSHOP,
        1,
        "",
    )
    amendment_answer(
        amendment=amendment, status=AmendmentStatus.ACCEPTED, response="Retenu.", by=editor
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert list(workshop.amendments.all()) == [amendment]


def test_a_workshop_is_many_people_so_no_limit_per_person(workshop, facilitator, paragraph):
    opened = paragraph.iteration
    opened.amendments_limit = 1
    opened.save(update_fields=["amendments_limit"])
    for n in range(3):
        workshop_amendment_enter(
            workshop=workshop,
            paragraph=paragraph,
            kind="delete",
            rationale=f"Raison {n}",
            by=facilitator,
        )
    assert contribution_counts([workshop])[workshop.pk] == {"comments": 0, "amendments": 3}


def test_only_its_facilitators_enter_for_a_workshop(workshop, paragraph, editor):
    other = factories.UserFactory(username="autre", role=roles.FACILITATORS)
    with pytest.raises(EntryRefused) as refused:
        workshop_comment_enter(workshop=workshop, paragraph=paragraph, text="x", by=other)
    assert refused.value.status == 403
    assert list(workshops_for(other)) == []
    resident = factories.UserFactory(username="resident", pseudonym="Rés")
    with pytest.raises(EntryRefused):
        workshop_comment_enter(workshop=workshop, paragraph=paragraph, text="x", by=resident)
    assert list(workshops_for(editor)) == [workshop]  # the team enters for any workshop


def test_a_paragraph_of_another_charter_is_refused(workshop, facilitator, paragraph):
    other = Workshop.objects.create(
        charter=factories.make_charter(title="Autre charte", slug="autre"),
        title="Ailleurs",
        starts_at=timezone.now(),
    )
    other.facilitators.add(facilitator)
    with pytest.raises(EntryRefused):
        workshop_comment_enter(workshop=other, paragraph=paragraph, text="x", by=facilitator)


def test_the_consultation_window_rules_apply(workshop, facilitator, paragraph):
    later = paragraph.iteration.closes_at + datetime.timedelta(days=1)
    with pytest.raises(CommentRefused):
        workshop_comment_enter(
            workshop=workshop, paragraph=paragraph, text="Trop tard.", by=facilitator, now=later
        )
    with pytest.raises(AmendmentRefused):
        workshop_amendment_enter(
            workshop=workshop,
            paragraph=paragraph,
            kind="delete",
            rationale="Trop tard.",
            by=facilitator,
            now=later,
        )


def test_moderators_hide_a_workshop_comment_but_never_block_its_facilitator(
    client, workshop, facilitator, paragraph
):
    from charte.moderation.services import comment_hide, comment_report, user_block
    from tests.charte.discussions.test_comments import make_citizen

    moderator = factories.UserFactory(username="modo", role=roles.MODERATORS)
    comment = workshop_comment_enter(
        workshop=workshop, paragraph=paragraph, text="Propos injurieux.", by=facilitator
    )
    comment_report(comment=comment, by=make_citizen(), reason="insult")
    client.force_login(moderator)
    html = client.get("/admin/charte/moderation/").content.decode()
    assert "Atelier du" in html  # the queue names the workshop, not the facilitator
    assert "Propos injurieux." in html
    assert "Bloquer l’auteur" not in html
    comment_hide(comment=comment, by=moderator, reason="Injurieux")
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    with pytest.raises(CommentRefused):
        user_block(user=facilitator, by=moderator, reason="Pour voir")
    facilitator.refresh_from_db()
    assert facilitator.blocked_at is None


def test_the_admin_home_reminds_a_facilitator_of_their_workshops(
    client, workshop, facilitator, paragraph
):
    coming = Workshop.objects.create(
        charter=workshop.charter,
        title="Atelier des Tilleuls",
        place="École des Tilleuls",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    coming.facilitators.add(facilitator)
    client.force_login(facilitator)
    html = client.get("/admin/").content.decode()
    assert f'href="/admin/workshops/{workshop.pk}/enter/"' in html
    assert "rien de saisi pour l’instant" in html  # held yesterday, nothing entered
    assert "Atelier des Tilleuls, École des Tilleuls – prévu le " in html
    workshop_comment_enter(
        workshop=workshop,
        paragraph=paragraph,
        text="Noté.",
        by=facilitator,
    )
    html = client.get("/admin/").content.decode()
    assert "rien de saisi pour l’instant" not in html
    client.force_login(factories.UserFactory(username="modo", role=roles.MODERATORS))
    assert "Atelier des Tilleuls" not in client.get("/admin/").content.decode()


def test_the_comments_api_says_the_origin_and_never_the_facilitators_type(
    client, workshop, facilitator, paragraph
):
    facilitator.author_type = "municipal_agent"
    facilitator.author_type_confirmed_at = timezone.now()
    facilitator.save(update_fields=["author_type", "author_type_confirmed_at"])
    assert facilitator.public_author_type == "municipal_agent"  # what online comments show
    workshop_comment_enter(workshop=workshop, paragraph=paragraph, text="Noté.", by=facilitator)
    data = client.get(f"/api/paragraphs/{paragraph.pk}/comments/").json()
    (entry,) = data["results"]
    assert (entry["origin"], entry["author_type"]) == ("workshop", None)
    assert entry["author"] == workshop.signature()
    assert entry["workshop"] == f"http://testserver{workshop.get_url()}"
