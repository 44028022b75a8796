"""Every moderation decision is in Wagtail's audit log, with who and when, and listed by the
« Site history » report."""

import pytest
from wagtail.models import ModelLogEntry

from charte.core import roles
from charte.discussions.services import comment_post
from charte.models import Comment
from charte.moderation.services import comment_hide, comment_restore, user_block
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


def test_moderation_decisions_are_in_the_site_history(client, opened, paragraph):
    moderator = factories.UserFactory(username="modo", pseudonym="Modo", role=roles.MODERATORS)
    author = make_citizen()
    comment = comment_post(paragraph=paragraph, by=author, text="Propos vifs")
    comment_hide(comment=comment, by=moderator, reason="Propos insultants")
    comment_restore(comment=Comment.objects.get(pk=comment.pk), by=moderator, reason="Relu")
    user_block(user=author, by=moderator, reason="Insultes répétées")
    user_block(user=author, by=moderator, reason="", block=False)

    entries = ModelLogEntry.objects.exclude(action__startswith="charte.roles.").order_by(
        "timestamp"
    )
    assert [(e.action, e.user, e.object_id) for e in entries] == [
        ("charte.moderation.hide", moderator, str(comment.pk)),
        ("charte.moderation.restore", moderator, str(comment.pk)),
        ("charte.moderation.block", moderator, str(author.pk)),
        ("charte.moderation.unblock", moderator, str(author.pk)),
    ]
    assert entries[0].data["reason"] == "Propos insultants"

    root = factories.UserFactory(
        username="root", is_superuser=True, is_staff=True, role=roles.COMMUNICATION_TEAM
    )
    client.force_login(root)
    html = client.get("/admin/reports/site-history/").content.decode()
    for label in (
        "Contribution masquée",
        "Contribution rétablie",
        "Compte bloqué",
        "Compte débloqué",
    ):
        assert label in html
